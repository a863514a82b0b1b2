/**
 * The Dynamics 365 / Dataverse CrmConnector. Composition only: every request is a
 * dynamics-web-api call made through DataverseClient (tokens, RateLimiter, withRetry,
 * classification, correlation ids).
 */
import type { ApiCallObserver } from '../shared/api-calls.js';
import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock.js';
import type { CrmObjectKind, CrmRecord } from '../../src/domain/crm-record.js';
import type { StateStore } from '../../src/store/types.js';
import { ConnectorError, isConnectorError, type SignInHint } from '../errors.js';
import type { ChangePage, CrmConnector } from '../types.js';
import { createTokenSource } from './auth.js';
import { readBatch } from './batch.js';
import { DataverseClient } from './client.js';
import { DescribeCache, type AttributeMeta } from './describe.js';
import { dataverseDescriptor, type TableFacts } from './descriptor.js';
import { planFields } from './fields.js';
import { parseDynamicsOptions, type DynamicsOptions, type DynamicsOptionsInput } from './options.js';
import { fetchByIds, readChanges, type ReadContext } from './read-changes.js';
import { createDynamicsSetup } from './setup.js';
import { CurrencyCache } from './write-body.js';
import { createRecords, updateRecords, type WriteContext } from './writes.js';

export interface DynamicsConnectorDeps {
  logger: Logger;
  clock: Clock;
  /** Accepted for symmetry with the other connectors; cursors are kept by the engine. */
  store?: StateStore;
  /** What to change when Entra refuses the sign-in (names the configuration key or variable). */
  signInHint?: SignInHint;
  /** Told of every request sent (metrics). */
  onApiCall?: ApiCallObserver;
}

/** The connector plus what benchmarks and the status page read besides the contract. */
export interface DynamicsConnector extends CrmConnector {
  readonly system: 'dynamics';
  /** HTTP requests sent to Dataverse since start (retries included). */
  requestCount(): number;
}

const asError = (error: unknown, op: string): ConnectorError =>
  isConnectorError(error) ? error : new ConnectorError({ kind: 'unknown', system: 'dynamics', message: `${op}: ${error instanceof Error ? error.message : String(error)}`, cause: error });

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function createDynamicsConnector(options: DynamicsOptionsInput | DynamicsOptions, deps: DynamicsConnectorDeps): DynamicsConnector {
  const parsed = parseDynamicsOptions(options);
  const logger = deps.logger.child({ connector: 'dynamics' });
  const tokens = createTokenSource({ auth: parsed.auth, orgUrl: parsed.url, timeoutMs: parsed.timeoutMs, clock: deps.clock, signInHint: deps.signInHint });
  const client = new DataverseClient({ options: parsed, tokens, logger, clock: deps.clock, onApiCall: deps.onApiCall });
  // Every query of a describe in one `$batch`: one request where a table and its lookups took 26.
  const describeCache = new DescribeCache(async (queries) => {
    const answers = await readBatch({
      client,
      op: 'describe',
      expected: queries.length,
      now: () => deps.clock.now(),
      build: async (dwa) => {
        for (const { table, cast, select, expand } of queries) {
          await dwa.retrieveAttributes<AttributeMeta>({
            entityKey: `LogicalName='${table}'`,
            ...(cast ? { castType: `Microsoft.Dynamics.CRM.${cast}` } : {}),
            select: [...select],
            ...(expand ? { expand: [{ property: expand }] } : {}),
          });
        }
      },
    });
    return answers.map((answer) => (answer as { value?: AttributeMeta[] }).value ?? []);
  });
  const readCtx: ReadContext = { client, logger, pageSize: parsed.pageSize, overlapMs: parsed.readOverlapMs, untracked: new Set() };

  // inboundLeadsAs 'opportunity': orgs that do not use leads keep lead-kind records as opportunities.
  const tableOf = (kind: CrmObjectKind): TableFacts =>
    kind === 'lead' && parsed.inboundLeadsAs === 'lead' ? dataverseDescriptor.tables.lead : dataverseDescriptor.tables.opportunity;
  const logicalName = (kind: CrmObjectKind): string => (tableOf(kind) === dataverseDescriptor.tables.lead ? 'lead' : 'opportunity');
  const writeCtx: WriteContext = { client, clock: deps.clock, currencies: new CurrencyCache(client), tableOf, batchSize: parsed.batchSize, dunsField: parsed.accountDunsField,
    accountColumns: async () => new Set((await describeCache.describe({ kind: 'opportunity', table: 'account' })).fields.map((f) => f.path)),
  };

  const byColumn = async (args: { kind: CrmObjectKind; column?: string; values: readonly string[]; fields: readonly string[]; op: string }): Promise<CrmRecord[]> => {
    if (args.values.length === 0) return [];
    try {
      const table = tableOf(args.kind);
      const plan = planFields({ paths: args.fields, primaryKey: table.primaryKey });
      return await fetchByIds({ ctx: readCtx, table, kind: args.kind, plan, ids: args.values, ...(args.column ? { column: args.column } : {}) });
    } catch (error) {
      throw asError(error, args.op);
    }
  };

  return {
    system: 'dynamics',

    async describe(kind) {
      try {
        return await describeCache.describe({ kind, table: logicalName(kind) });
      } catch (error) {
        throw asError(error, 'describe');
      }
    },

    async *readChanges(args): AsyncIterable<ChangePage<CrmRecord>> {
      try {
        yield* readChanges({ ctx: readCtx, table: tableOf(args.kind), kind: args.kind, fields: args.fields, cursor: args.cursor, signal: args.signal });
      } catch (error) {
        throw asError(error, 'readChanges');
      }
    },

    // A text that is not a GUID names no row (ids not found are absent); Dataverse would refuse the query.
    getRecords: (args) => byColumn({ kind: args.kind, values: args.ids.filter((id) => GUID.test(id)), fields: args.fields, op: 'getRecords' }),

    findByExternalId: (args) => byColumn({ kind: args.kind, column: args.field, values: args.values, fields: args.fields, op: 'findByExternalId' }),

    async createRecords(writes) {
      try {
        return await createRecords(writeCtx, writes);
      } catch (error) {
        throw asError(error, 'createRecords');
      }
    },

    async updateRecords(writes) {
      try {
        return await updateRecords(writeCtx, writes);
      } catch (error) {
        throw asError(error, 'updateRecords');
      }
    },

    setup: createDynamicsSetup({ client, clock: deps.clock }),
    health: () => client.health(),
    requestCount: () => client.requestCount,
    close: () => client.close(),
  };
}
