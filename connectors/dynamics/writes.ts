/**
 * createRecords / updateRecords: `$batch` groups of change sets, one outcome per input in the
 * same order.
 * - Creates upsert on the alternate key with `If-None-Match: *` (create only, §3.4): a 412 means
 *   an earlier attempt already created it, so a crash between create and link heals into
 *   `created: false` with the first record's id, and never overwrites what a person has edited.
 * - Updates PATCH with the record's `@odata.etag` in `If-Match` (412 -> conflict, §4).
 * - An opportunity update setting statecode 1 / 2 runs WinOpportunity / LoseOpportunity (§7.3)
 *   with the statuscode as Status, in the same change set as the PATCH of the other fields (so a
 *   stale version stops both); statecode 0 reopens with a plain PATCH (§7.3, UNCERTAIN there).
 */
import type { CrmObjectKind } from '../../src/domain/crm-record.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import type { CrmCreate, CrmUpdate, WriteOutcome } from '../types.js';
import { buildBatch, parseBatch, type BatchGroup, type BatchOp, type GroupResult } from './batch.js';
import type { DataverseClient } from './client.js';
import { matchAccount, matchContact } from './customer.js';
import { dataverseDescriptor, type TableFacts } from './descriptor.js';
import { assertName } from './fields.js';
import { toBody, type CurrencyCache } from './write-body.js';

export interface WriteContext {
  client: DataverseClient;
  currencies: CurrencyCache;
  tableOf: (kind: CrmObjectKind) => TableFacts;
  batchSize: number;
  dunsField: string;
}

const failed = (error: unknown): WriteOutcome => ({
  ok: false,
  error: isConnectorError(error) ? error : new ConnectorError({ kind: 'unknown', system: 'dynamics', message: String(error), cause: error }),
});

const keyOf = (field: string, value: string): string => `${assertName(field)}='${value.replace(/'/g, "''")}'`;

/**
 * `idempotent`: a resend after a lost answer cannot write twice (create-only upserts), so the
 * retry loop may resend it; an update batch is not resent (it would come back as a conflict).
 */
async function runBatch(ctx: WriteContext, groups: BatchGroup[], op: string, idempotent: boolean): Promise<GroupResult[]> {
  const { boundary, text } = buildBatch(groups);
  const res = await ctx.client.request({
    op,
    method: 'POST',
    url: '$batch',
    rawBody: { contentType: `multipart/mixed; boundary=${boundary}`, text },
    headers: { prefer: 'odata.continue-on-error' },
    write: !idempotent,
  });
  return parseBatch({ contentType: res.headers['content-type'] ?? '', body: res.body, groups, op });
}

const json = (text: string): Record<string, unknown> => (text === '' ? {} : (JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)) as Record<string, unknown>));

/** Customer lookups of an inbound create, bound by `@odata.bind` (§3.2). */
async function customerBinds(ctx: WriteContext, write: CrmCreate): Promise<Record<string, string>> {
  const binds: Record<string, string> = {};
  if (!write.customer) return binds;
  const accountId = write.customer.account ? await matchAccount({ client: ctx.client, account: write.customer.account, dunsField: ctx.dunsField }) : null;
  const first = write.customer.contacts[0];
  const contactId = first ? await matchContact({ client: ctx.client, contact: first, accountId }) : null;
  if (write.kind === 'lead') {
    if (accountId) binds['parentaccountid@odata.bind'] = `/accounts(${accountId})`;
    if (contactId) binds['parentcontactid@odata.bind'] = `/contacts(${contactId})`;
    return binds;
  }
  if (accountId) {
    binds['parentaccountid@odata.bind'] = `/accounts(${accountId})`;
    binds['customerid_account@odata.bind'] = `/accounts(${accountId})`;
  }
  if (contactId) binds['parentcontactid@odata.bind'] = `/contacts(${contactId})`;
  return binds;
}

export async function createRecords(ctx: WriteContext, writes: readonly CrmCreate[]): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = new Array<WriteOutcome>(writes.length);
  const api = ctx.client.apiBase;
  for (let start = 0; start < writes.length; start += ctx.batchSize) {
    const slice = writes.slice(start, start + ctx.batchSize);
    const groups: BatchGroup[] = [];
    const indexOf: number[] = [];
    for (const [i, write] of slice.entries()) {
      const table = ctx.tableOf(write.kind);
      try {
        const body = { ...(await toBody({ fields: write.fields, currencies: ctx.currencies })), ...(await customerBinds(ctx, write)), [write.externalId.field]: write.externalId.value };
        groups.push({
          changeSet: [
            {
              method: 'PATCH',
              url: `${api}${table.entitySet}(${keyOf(write.externalId.field, write.externalId.value)})?$select=${table.primaryKey}`,
              headers: { 'If-None-Match': '*', Prefer: 'return=representation' },
              body,
            },
          ],
        });
        indexOf.push(start + i);
      } catch (error) {
        outcomes[start + i] = failed(error);
      }
    }
    if (groups.length === 0) continue;
    const results = await runBatch(ctx, groups, 'createRecords', true);
    const existing: { index: number; write: CrmCreate }[] = [];
    for (const [g, result] of results.entries()) {
      const index = indexOf[g] as number;
      const write = writes[index] as CrmCreate;
      if (!result.ok) {
        if (result.error.kind === 'conflict') existing.push({ index, write });
        else outcomes[index] = { ok: false, error: result.error };
        continue;
      }
      const row = json(result.parts[0]?.body ?? '');
      outcomes[index] = { ok: true, id: String(row[ctx.tableOf(write.kind).primaryKey]), version: String(row['@odata.etag']), created: true };
    }
    for (const { index, write } of existing) outcomes[index] = await findExisting(ctx, write);
  }
  return outcomes;
}

/** The record an earlier attempt created (If-None-Match 412): its id and version. */
async function findExisting(ctx: WriteContext, write: CrmCreate): Promise<WriteOutcome> {
  const table = ctx.tableOf(write.kind);
  try {
    const row = await ctx.client.json<Record<string, unknown>>({
      op: 'createRecords.existing',
      method: 'GET',
      url: `${table.entitySet}(${keyOf(write.externalId.field, write.externalId.value)})?$select=${table.primaryKey}`,
    });
    return { ok: true, id: String(row[table.primaryKey]), version: String(row['@odata.etag']), created: false };
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
 * A close refused (invalid: a closed opportunity refuses edits, §7.1; conflict: its version moved
 * with the close) may repeat one that already happened, after a crash between the action and
 * recording it. If the record already
 * has the wanted state and status the write is done; otherwise the refusal stands.
 */
async function alreadyClosed(ctx: WriteContext, write: CrmUpdate, refusal: ConnectorError): Promise<WriteOutcome> {
  const table = ctx.tableOf(write.kind);
  try {
    const row = await ctx.client.json<Record<string, unknown>>({ op: 'updateRecords.closed', method: 'GET', url: `${table.entitySet}(${write.id})?$select=statecode,statuscode` });
    const status = write.fields['statuscode'];
    const same = row['statecode'] === write.fields['statecode'] && (typeof status !== 'number' || row['statuscode'] === status);
    return same ? { ok: true, id: write.id, version: String(row['@odata.etag']), created: false } : { ok: false, error: refusal };
  } catch (error) {
    return failed(error);
  }
}

async function updateGroup(ctx: WriteContext, write: CrmUpdate): Promise<BatchGroup[]> {
  const table = ctx.tableOf(write.kind);
  const url = `${ctx.client.apiBase}${table.entitySet}(${write.id})`;
  const state = closingState(write);
  const body = await toBody({ fields: write.fields, currencies: ctx.currencies, skip: state === null ? [] : ['statecode', 'statuscode'] });
  const read: BatchOp = { method: 'GET', url: `${url}?$select=${table.primaryKey}` };
  if (state === null) {
    return [{ changeSet: [{ method: 'PATCH', url: `${url}?$select=${table.primaryKey}`, headers: { 'If-Match': write.version, Prefer: 'return=representation' }, body }] }];
  }
  const status = typeof write.fields['statuscode'] === 'number' ? write.fields['statuscode'] : dataverseDescriptor.defaultStatus[state];
  // An empty PATCH still checks If-Match, so a record that moved since stops the close too.
  const patch: BatchOp = { method: 'PATCH', url, headers: { 'If-Match': write.version }, body };
  const action: BatchOp = {
    method: 'POST',
    url: `${ctx.client.apiBase}${state === 1 ? 'WinOpportunity' : 'LoseOpportunity'}`,
    body: { Status: status, OpportunityClose: { subject: `${state === 1 ? 'Won' : 'Lost'} (Partner Center sync)`, 'opportunityid@odata.bind': `/opportunities(${write.id})` } },
  };
  return [{ changeSet: [patch, action] }, { get: read }];
}

export async function updateRecords(ctx: WriteContext, writes: readonly CrmUpdate[]): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = new Array<WriteOutcome>(writes.length);
  for (let start = 0; start < writes.length; start += ctx.batchSize) {
    const groups: BatchGroup[] = [];
    const owners: { index: number; groups: number }[] = [];
    for (const [i, write] of writes.slice(start, start + ctx.batchSize).entries()) {
      try {
        const own = await updateGroup(ctx, write);
        groups.push(...own);
        owners.push({ index: start + i, groups: own.length });
      } catch (error) {
        outcomes[start + i] = failed(error);
      }
    }
    if (groups.length === 0) continue;
    const results = await runBatch(ctx, groups, 'updateRecords', false);
    let at = 0;
    for (const { index, groups: count } of owners) {
      const write = writes[index] as CrmUpdate;
      const own = results.slice(at, at + count);
      at += count;
      const first = own[0];
      const last = own[own.length - 1];
      if (!first || !last) continue;
      if (!first.ok && (first.error.kind === 'invalid' || first.error.kind === 'conflict') && closingState(write) !== null) outcomes[index] = await alreadyClosed(ctx, write, first.error);
      else if (!first.ok) outcomes[index] = { ok: false, error: first.error };
      else if (!last.ok) outcomes[index] = { ok: false, error: last.error };
      else {
        const row = json(last.parts[last.parts.length - 1]?.body ?? '');
        outcomes[index] = { ok: true, id: write.id, version: String(row['@odata.etag']), created: false };
      }
    }
  }
  return outcomes;
}
