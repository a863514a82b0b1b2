/**
 * createRecords / updateRecords: `$batch` groups of change sets, one outcome per input in the
 * same order.
 * - Creates upsert on the alternate key with `If-None-Match: *` (create only; "Update and delete table rows using the Web API", upsert): a 412 means
 *   an earlier attempt already created it, so a crash between create and link heals into
 *   `created: false` with the first record's id, and never overwrites what a person has edited.
 * - Updates PATCH with the record's `@odata.etag` in `If-Match` (412 -> conflict; "Perform conditional operations using the Web API").
 * - An opportunity update setting statecode 1 / 2 runs the WinOpportunity / LoseOpportunity actions
 *   with the statuscode as Status, in the same change set as the PATCH of the other fields (so a
 *   stale version stops both); statecode 0 reopens with a plain PATCH (the Web API docs show no reopen action;
 *   this is what the connector chooses).
 */
import type { Clock } from '../../src/core/clock.js';
import type { CrmObjectKind } from '../../src/domain/crm-record.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import type { CrmCreate, CrmUpdate, WriteOutcome } from '../types.js';
import { runBatch, type BatchGroup, type BatchOp, type GroupResult } from './batch.js';
import type { DataverseClient } from './client.js';
import { matchAccount, matchContact } from './customer.js';
import { dataverseDescriptor, type TableFacts } from './descriptor.js';
import { assertName } from './fields.js';
import { toBody, type CurrencyCache } from './write-body.js';

export interface WriteContext {
  client: DataverseClient;
  clock: Clock;
  currencies: CurrencyCache;
  tableOf: (kind: CrmObjectKind) => TableFacts;
  batchSize: number;
  dunsField: string | null;
  /** The account table's columns (entity definitions), read once. */
  accountColumns: () => Promise<ReadonlySet<string>>;
}

const failed = (error: unknown): WriteOutcome => ({
  ok: false,
  error: isConnectorError(error) ? error : new ConnectorError({ kind: 'unknown', system: 'dynamics', message: String(error), cause: error }),
});

/**
 * The alternate-key segment `field='value'`, quotes doubled and the value percent-encoded (the
 * service decodes the URL before reading the key): dynamics-web-api splits a key on commas and
 * turns `"` into `'`, and writes `$batch` request lines as they are, where a space would end the URL.
 */
const keyOf = (field: string, value: string): string => `${assertName(field)}='${encodeURIComponent(value.replace(/'/g, "''"))}'`;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const recordId = (id: string): string => {
  if (!GUID.test(id)) throw new ConnectorError({ kind: 'invalid', system: 'dynamics', message: `not a Dataverse record id: ${JSON.stringify(id)}` });
  return id;
};

/**
 * `idempotent`: a resend after a lost answer cannot write twice (create-only upserts), so the
 * retry loop may resend it; an update batch is not resent (it would come back as a conflict).
 */
const batch = (ctx: WriteContext, groups: BatchGroup[], op: string, idempotent: boolean): Promise<GroupResult[]> =>
  runBatch({ client: ctx.client, groups, op, idempotent, now: () => ctx.clock.now() });

const row = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});

/**
 * Customer lookups of an inbound opportunity, bound by `@odata.bind`. A lead holds the
 * company and the person itself, in the columns the mapping names: no account or contact is
 * matched or made for it.
 */
async function customerBinds(ctx: WriteContext, write: CrmCreate): Promise<Record<string, string>> {
  const binds: Record<string, string> = {};
  if (!write.customer || write.kind === 'lead') return binds;
  const accountId = write.customer.account ? await matchAccount({ client: ctx.client, account: write.customer.account, dunsField: ctx.dunsField, accountColumns: ctx.accountColumns }) : null;
  const first = write.customer.contacts[0];
  const contactId = first ? await matchContact({ client: ctx.client, contact: first, accountId }) : null;
  if (accountId) {
    binds['parentaccountid@odata.bind'] = `/accounts(${accountId})`;
    binds['customerid_account@odata.bind'] = `/accounts(${accountId})`;
  }
  if (contactId) binds['parentcontactid@odata.bind'] = `/contacts(${contactId})`;
  return binds;
}

export async function createRecords(ctx: WriteContext, writes: readonly CrmCreate[]): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = new Array<WriteOutcome>(writes.length);
  for (let start = 0; start < writes.length; start += ctx.batchSize) {
    const slice = writes.slice(start, start + ctx.batchSize);
    const groups: BatchGroup[] = [];
    const indexOf: number[] = [];
    for (const [i, write] of slice.entries()) {
      const table = ctx.tableOf(write.kind);
      try {
        const body = { ...(await toBody({ fields: write.fields, currencies: ctx.currencies })), ...(await customerBinds(ctx, write)), [write.externalId.field]: write.externalId.value };
        // If-None-Match: * makes the upsert create-only: an existing record answers 412.
        const request = { collection: table.entitySet, key: keyOf(write.externalId.field, write.externalId.value), data: body, ifnonematch: '*', returnRepresentation: true, select: [table.primaryKey] };
        groups.push({ writes: [{ call: 'upsert', request }] });
        indexOf.push(start + i);
      } catch (error) {
        outcomes[start + i] = failed(error);
      }
    }
    if (groups.length === 0) continue;
    const results = await batch(ctx, groups, 'createRecords', true);
    const existing: { index: number; write: CrmCreate }[] = [];
    for (const [g, result] of results.entries()) {
      const index = indexOf[g] as number;
      const write = writes[index] as CrmCreate;
      if (!result.ok) {
        if (result.error.kind === 'conflict') existing.push({ index, write });
        else outcomes[index] = { ok: false, error: result.error };
        continue;
      }
      const created = row(result.writes[0]);
      outcomes[index] = { ok: true, id: String(created[ctx.tableOf(write.kind).primaryKey]), version: String(created['@odata.etag']), created: true };
    }
    for (const { index, write } of existing) outcomes[index] = await findExisting(ctx, write);
  }
  return outcomes;
}

/** The record an earlier attempt created (If-None-Match 412): its id and version. */
async function findExisting(ctx: WriteContext, write: CrmCreate): Promise<WriteOutcome> {
  const table = ctx.tableOf(write.kind);
  try {
    const found = await ctx.client.call({ op: 'createRecords.existing' }, (dwa, extras) =>
      dwa.retrieve<Record<string, unknown>>({ collection: table.entitySet, key: keyOf(write.externalId.field, write.externalId.value), select: [table.primaryKey], ...extras }),
    );
    return { ok: true, id: String(found[table.primaryKey]), version: String(found['@odata.etag']), created: false };
  } catch (error) {
    return failed(error);
  }
}

/** The statecode an opportunity update closes to (1 won, 2 lost), or null. */
function closingState(write: CrmUpdate): 1 | 2 | null {
  const state = write.fields['statecode'];
  return write.kind === 'opportunity' && (state === 1 || state === 2) ? state : null;
}

/**
 * A close refused (invalid: a closed opportunity refuses edits until reopened; conflict: its version moved
 * with the close) may repeat one that already happened, after a crash between the action and
 * recording it. If the record already
 * has the wanted state and status the write is done; otherwise the refusal stands.
 */
async function alreadyClosed(ctx: WriteContext, write: CrmUpdate, refusal: ConnectorError): Promise<WriteOutcome> {
  const table = ctx.tableOf(write.kind);
  try {
    const current = await ctx.client.call({ op: 'updateRecords.closed' }, (dwa, extras) =>
      dwa.retrieve<Record<string, unknown>>({ collection: table.entitySet, key: recordId(write.id), select: ['statecode', 'statuscode'], ...extras }),
    );
    const status = write.fields['statuscode'];
    const same = current['statecode'] === write.fields['statecode'] && (typeof status !== 'number' || current['statuscode'] === status);
    return same ? { ok: true, id: write.id, version: String(current['@odata.etag']), created: false } : { ok: false, error: refusal };
  } catch (error) {
    return failed(error);
  }
}

async function updateGroup(ctx: WriteContext, write: CrmUpdate): Promise<BatchGroup> {
  const table = ctx.tableOf(write.kind);
  const key = recordId(write.id);
  const state = closingState(write);
  const data = await toBody({ fields: write.fields, currencies: ctx.currencies, skip: state === null ? [] : ['statecode', 'statuscode'] });
  if (state === null) {
    return { writes: [{ call: 'update', request: { collection: table.entitySet, key, data, ifmatch: write.version, returnRepresentation: true, select: [table.primaryKey] } }] };
  }
  const status = typeof write.fields['statuscode'] === 'number' ? write.fields['statuscode'] : dataverseDescriptor.defaultStatus[state];
  // An empty PATCH still checks If-Match, so a record that moved since stops the close too.
  const patch: BatchOp = { call: 'update', request: { collection: table.entitySet, key, data, ifmatch: write.version } };
  const close: BatchOp = {
    call: 'callAction',
    request: {
      actionName: state === 1 ? 'WinOpportunity' : 'LoseOpportunity',
      action: { Status: status, OpportunityClose: { subject: `${state === 1 ? 'Won' : 'Lost'} (Partner Center sync)`, 'opportunityid@odata.bind': `/opportunities(${key})` } },
    },
  };
  // The actions answer nothing: the new version comes from a read after the change set.
  return { writes: [patch, close], read: { call: 'retrieve', request: { collection: table.entitySet, key, select: [table.primaryKey] } } };
}

export async function updateRecords(ctx: WriteContext, writes: readonly CrmUpdate[]): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = new Array<WriteOutcome>(writes.length);
  for (let start = 0; start < writes.length; start += ctx.batchSize) {
    const groups: BatchGroup[] = [];
    const owners: number[] = [];
    for (const [i, write] of writes.slice(start, start + ctx.batchSize).entries()) {
      try {
        groups.push(await updateGroup(ctx, write));
        owners.push(start + i);
      } catch (error) {
        outcomes[start + i] = failed(error);
      }
    }
    if (groups.length === 0) continue;
    const results = await batch(ctx, groups, 'updateRecords', false);
    for (const [g, result] of results.entries()) {
      const index = owners[g] as number;
      const write = writes[index] as CrmUpdate;
      if (!result.ok && (result.error.kind === 'invalid' || result.error.kind === 'conflict') && closingState(write) !== null) outcomes[index] = await alreadyClosed(ctx, write, result.error);
      else if (!result.ok) outcomes[index] = { ok: false, error: result.error };
      else {
        const updated = row(result.read ?? result.writes[0]);
        outcomes[index] = { ok: true, id: write.id, version: String(updated['@odata.etag']), created: false };
      }
    }
  }
  return outcomes;
}
