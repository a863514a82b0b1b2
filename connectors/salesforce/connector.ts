/**
 * The Salesforce CrmConnector, built on jsforce. Composition only: every call goes
 * through SalesforceClient (session, RateLimiter, withRetry, classification, budget reserve).
 */
import type { ApiCallObserver } from '../shared/api-calls.js';
import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock.js';
import type { CrmObjectDescription, CrmObjectKind, CrmRecord } from '../../src/domain/crm-record.js';
import type { StateStore } from '../../src/store/types.js';
import type { SignInHint } from '../errors.js';
import type { ChangePage, CrmConnector, CrmCreate } from '../types.js';
import { createAuthenticator } from './auth.js';
import { asConnectorError } from './classify-error.js';
import { SalesforceClient } from './client.js';
import { chunk } from './collections.js';
import { CompositeSupport } from './composite.js';
import { createRecords } from './create-records.js';
import { DescribeCache } from './describe.js';
import { salesforceDescriptor } from './descriptor.js';
import { parseSalesforceOptions, type SalesforceOptions, type SalesforceOptionsInput } from './options.js';
import { completeChildren, queryAllRows } from './query-pages.js';
import { readChanges } from './read-changes.js';
import { rowToRecord } from './record-parse.js';
import { createSalesforceSetup } from './setup.js';
import { assertFieldName, planFields, selectClause, soqlList } from './soql.js';
import { createTransportSettings } from './transport.js';
import { updateRecords } from './update-records.js';

export interface SalesforceConnectorDeps {
  logger: Logger;
  clock: Clock;
  /** Keeps an API budget pause across restarts. */
  store?: StateStore;
  /** What to change when Salesforce refuses the sign-in (names the configuration key or variable). */
  signInHint?: SignInHint;
  /** Told of every request sent, with the API allowance the answer reported (metrics). */
  onApiCall?: ApiCallObserver;
}

/** The connector plus what operators and benchmarks read besides the contract. */
export interface SalesforceConnector extends CrmConnector {
  readonly system: 'salesforce';
  /** `Sforce-Limit-Info` of the latest response: `{ used, limit }` of the daily allocation. */
  apiUsage(): { used: number; limit: number } | null;
}

/**
 * Builds the Salesforce CrmConnector. Options are parsed here (a problem names its path); the
 * session is opened lazily on the first call. Reads: one queryAll page per ChangePage, changes
 * and deletes together. Writes: sObject Collections of at most 200 rows, `allOrNone: false`,
 * creates upserted on their external id, updates guarded by a version re-read (update-records.ts).
 * Every method throws only ConnectorError.
 */
export function createSalesforceConnector(options: SalesforceOptionsInput | SalesforceOptions, deps: SalesforceConnectorDeps): SalesforceConnector {
  const parsed = parseSalesforceOptions(options);
  const logger = deps.logger.child({ connector: 'salesforce' });
  const settings = createTransportSettings({ timeoutMs: parsed.timeoutMs, ca: parsed.ca });
  const authenticator = createAuthenticator({ auth: parsed.auth, loginUrl: parsed.loginUrl, instanceUrl: parsed.instanceUrl, settings, clock: deps.clock, signInHint: deps.signInHint });
  const client = new SalesforceClient({ options: parsed, authenticator, settings, logger, clock: deps.clock, store: deps.store, onApiCall: deps.onApiCall });
  const describeCache = new DescribeCache(client);
  const composite = new CompositeSupport();
  const children = salesforceDescriptor.childRelationships;

  // inboundLeadsAs 'opportunity': orgs that do not use leads keep lead-kind records as Opportunities.
  const objectOf = (kind: CrmObjectKind): string =>
    kind === 'lead' && parsed.inboundLeadsAs === 'opportunity' ? salesforceDescriptor.objectNames.opportunity : salesforceDescriptor.objectNames[kind];
  const objectFor = (write: CrmCreate): string => objectOf(write.kind);

  async function queryRecords(args: { kind: CrmObjectKind; field: string; values: readonly string[]; fields: readonly string[]; op: string }): Promise<CrmRecord[]> {
    const plan = planFields({ paths: args.fields, childRelationships: children });
    const field = assertFieldName(args.field);
    const out: CrmRecord[] = [];
    try {
      for (const values of chunk([...new Set(args.values)], salesforceDescriptor.idsPerQuery)) {
        const soql = `${selectClause({ object: objectOf(args.kind), plan })} WHERE ${field} IN ${soqlList(values)} ORDER BY Id`;
        for (const row of await queryAllRows({ client, soql, op: args.op })) {
          if (plan.children.size > 0) await completeChildren({ client, row, relationships: plan.children.keys() });
          out.push(rowToRecord({ row, kind: args.kind, plan }));
        }
      }
    } catch (error) {
      throw asConnectorError(error, args.op);
    }
    return out;
  }

  return {
    system: 'salesforce',

    async describe(kind): Promise<CrmObjectDescription> {
      try {
        return await describeCache.describe({ kind, object: objectOf(kind), parents: kind === 'opportunity' ? ['Account'] : [] });
      } catch (error) {
        throw asConnectorError(error, 'describe');
      }
    },

    async *readChanges(args): AsyncIterable<ChangePage<CrmRecord>> {
      try {
        yield* readChanges({
          client,
          options: parsed,
          object: objectOf(args.kind),
          kind: args.kind,
          fields: args.fields,
          childRelationships: children,
          cursor: args.cursor,
          now: deps.clock.now(),
          signal: args.signal,
        });
      } catch (error) {
        throw asConnectorError(error, 'readChanges');
      }
    },

    getRecords: (args) => {
      // A text that is not an id names no record (the contract: ids not found are absent); in
      // SOQL it would fail the whole query instead.
      const ids = args.ids.filter((id) => salesforceDescriptor.recordId.test(id));
      return ids.length === 0 ? Promise.resolve([]) : queryRecords({ ...args, field: 'Id', values: ids, op: 'getRecords' });
    },

    findByExternalId: (args) => (args.values.length === 0 ? Promise.resolve([]) : queryRecords({ ...args, op: 'findByExternalId' })),

    async createRecords(writes) {
      try {
        const accountFields = async (): Promise<ReadonlySet<string>> => new Set((await describeCache.sobject('Account')).fields.map((f) => f.name));
        return await createRecords({ client, writes, objectFor, dunsField: parsed.accountDunsField, accountFields, apiVersion: parsed.apiVersion, composite });
      } catch (error) {
        throw asConnectorError(error, 'createRecords');
      }
    },

    async updateRecords(writes) {
      try {
        return await updateRecords({ client, writes, objectOf, apiVersion: parsed.apiVersion, composite });
      } catch (error) {
        throw asConnectorError(error, 'updateRecords');
      }
    },

    setup: createSalesforceSetup(client),
    health: () => client.health(),
    apiUsage: () => client.apiUsage,
    close: () => client.close(),
  };
}
