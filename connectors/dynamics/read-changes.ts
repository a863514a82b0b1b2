/**
 * readChanges ("Use change tracking to synchronize data with external systems"): change tracking, so an idle cycle costs ONE request (the delta link answers
 * `value: []` and a new link), deletions included (`$deletedEntity` -> deletedIds).
 *
 * Choices:
 * - track-changes rejects `$expand`, so the tracked query selects only the primary key;
 *   the changed ids of each delta page are then read with their lookups in one
 *   `Microsoft.Dynamics.CRM.In` GET per 100 ids. A mapping change therefore never needs a new
 *   delta link.
 * - The first read (null cursor) walks the tracked listing (primary key only, 5,000 per page)
 *   for a baseline deltaLink, then scans the table ordered by modifiedon, so records come oldest
 *   first; changes made during the scan come again from the baseline link (at least once).
 * - Without change tracking on the table (detected from the refusal, logged once) a modifiedon
 *   watermark with overlap and de-dup is used; it cannot see deletions.
 * - A failing delta link (expired token; the docs give no status or code for it) starts a full resync.
 */
import type { RetrieveMultipleRequest } from 'dynamics-web-api';
import type { Logger } from 'pino';
import type { CrmObjectKind, CrmRecord } from '../../src/domain/crm-record.js';
import { isConnectorError } from '../errors.js';
import type { ChangePage } from '../types.js';
import type { DataverseClient } from './client.js';
import { decodeCursor, encodeCursor, type DvCursor } from './cursor.js';
import { dataverseDescriptor, type TableFacts } from './descriptor.js';
import { inFilter, planFields, queryOf, rowToRecord, type FieldPlan, type Row } from './fields.js';

export interface ReadContext {
  client: DataverseClient;
  logger: Logger;
  pageSize: number;
  overlapMs: number;
  /** Tables found without change tracking; logged once each. */
  untracked: Set<string>;
}

/** A page as dynamics-web-api returns it (`@odata.nextLink` / `@odata.deltaLink` copied). */
interface Collection {
  value: Row[];
  oDataNextLink?: string;
  oDataDeltaLink?: string;
}

/**
 * One GET of a collection: the first page of `query`, or the page a next / delta link names
 * (passed back unchanged, with the same page size).
 */
function page(ctx: ReadContext, args: { op: string; table: TableFacts; query?: Omit<RetrieveMultipleRequest, 'collection'>; link?: string; pageSize: number; tracking?: boolean; signal: AbortSignal | undefined }): Promise<Collection> {
  return ctx.client.call({ op: args.op, signal: args.signal }, (dwa, extras) =>
    dwa.retrieveMultiple<Row>(
      { collection: args.table.entitySet, ...args.query, maxPageSize: args.pageSize, ...(args.tracking ? { trackChanges: true } : {}), ...extras },
      args.link,
    ),
  );
}

/** `modifiedon asc, <key> asc` from `after` (inclusive), as the scans read. */
const byStamp = (plan: FieldPlan, table: TableFacts, from: string | null): Omit<RetrieveMultipleRequest, 'collection'> => ({
  ...queryOf(plan),
  ...(from === null ? {} : { filter: `modifiedon ge ${from.replace(/\.\d{3}Z$/, 'Z')}` }),
  orderBy: ['modifiedon asc', `${table.primaryKey} asc`],
});

const isRecoverable = (e: unknown): boolean => isConnectorError(e) && ['invalid', 'notFound', 'conflict', 'unknown'].includes(e.kind);

export async function* readChanges(args: {
  ctx: ReadContext;
  table: TableFacts;
  kind: CrmObjectKind;
  fields: readonly string[];
  cursor: string | null;
  signal?: AbortSignal | undefined;
}): AsyncGenerator<ChangePage<CrmRecord>> {
  const { ctx, table, signal } = args;
  const plan = planFields({ paths: args.fields, primaryKey: table.primaryKey });
  const cursor: DvCursor | null = args.cursor === null ? null : decodeCursor(args.cursor);
  const read = { ctx, table, kind: args.kind, plan, signal };
  if (cursor === null) return yield* firstRead(read);
  if (cursor.m === 'scan') return yield* scan({ ...read, link: cursor.link, after: cursor.after });
  if (cursor.m === 'mark') return yield* watermark({ ...read, cursor });
  yield* delta({ ...read, link: cursor.link });
}

type Read = { ctx: ReadContext; table: TableFacts; kind: CrmObjectKind; plan: FieldPlan; signal: AbortSignal | undefined };

async function* firstRead(read: Read): AsyncGenerator<ChangePage<CrmRecord>> {
  const baseline = await baselineLink(read);
  if (baseline === null) yield* watermark({ ...read, cursor: { m: 'mark', w: null, seen: [] } });
  else yield* scan({ ...read, link: baseline, after: null });
}

/** Walks the tracked listing (primary key only) to its deltaLink; null without change tracking. */
async function baselineLink(read: Read): Promise<string | null> {
  const { ctx, table, signal } = read;
  let link: string | undefined;
  for (;;) {
    let listing: Collection;
    try {
      listing = await page(ctx, { op: 'readChanges.baseline', table, query: { select: [table.primaryKey] }, ...(link ? { link } : {}), pageSize: dataverseDescriptor.maxPageSize, tracking: true, signal });
    } catch (error) {
      if (!isConnectorError(error) || error.kind !== 'invalid') throw error;
      if (!ctx.untracked.has(table.entitySet)) {
        ctx.untracked.add(table.entitySet);
        ctx.logger.warn({ table: table.entitySet, vendorCode: error.vendorCode }, 'change tracking is not enabled on the table; reading by modifiedon (deletions are not seen)');
      }
      return null;
    }
    if (listing.oDataDeltaLink) return listing.oDataDeltaLink;
    if (!listing.oDataNextLink) return null;
    link = listing.oDataNextLink;
  }
}

async function* scan(read: Read & { link: string; after: { stamp: string; ids: string[] } | null }): AsyncGenerator<ChangePage<CrmRecord>> {
  const { ctx, table, plan, signal } = read;
  const skip = new Set(read.after?.ids ?? []);
  const query = byStamp(plan, table, read.after?.stamp ?? null);
  let link: string | undefined;
  let after = read.after === null ? null : { stamp: read.after.stamp, ids: [...read.after.ids] };
  do {
    const rows: Collection = await page(ctx, { op: 'readChanges.scan', table, query, ...(link ? { link } : {}), pageSize: ctx.pageSize, signal });
    const items: CrmRecord[] = [];
    for (const row of rows.value) {
      const record = rowToRecord({ row, kind: read.kind, plan });
      if (after && record.stamp === after.stamp && skip.has(record.id)) continue;
      items.push(record);
      if (after && after.stamp === record.stamp) after.ids.push(record.id);
      else after = { stamp: record.stamp, ids: [record.id] };
    }
    link = rows.oDataNextLink;
    const cursor: DvCursor = link === undefined ? { m: 'delta', link: read.link } : { m: 'scan', link: read.link, after };
    yield { items, deletedIds: [], cursor: encodeCursor(cursor) };
  } while (link !== undefined);
}

async function* delta(read: Read & { link: string }): AsyncGenerator<ChangePage<CrmRecord>> {
  const { ctx, table, signal } = read;
  let link: string | undefined = read.link;
  let first = true;
  while (link !== undefined) {
    let changes: Collection;
    try {
      changes = await page(ctx, { op: 'readChanges.delta', table, link, pageSize: ctx.pageSize, signal });
    } catch (error) {
      if (!first || !isRecoverable(error)) throw error;
      ctx.logger.warn({ table: table.entitySet, error: isConnectorError(error) ? error.toLog() : undefined }, 'the delta link was refused (expired?); full resync');
      return yield* firstRead(read);
    }
    first = false;
    const deletedIds: string[] = [];
    const changed: string[] = [];
    for (const row of changes.value) {
      const context = row['@odata.context'];
      if (row['reason'] === 'deleted' || (typeof context === 'string' && context.endsWith('$deletedEntity'))) {
        if (typeof row['id'] === 'string') deletedIds.push(row['id']);
      } else if (typeof row[table.primaryKey] === 'string') {
        changed.push(row[table.primaryKey] as string);
      }
    }
    const items = await fetchByIds({ ...read, ids: changed });
    items.sort((a, b) => a.stamp.localeCompare(b.stamp) || a.id.localeCompare(b.id));
    const next: string | undefined = changes.oDataNextLink;
    yield { items, deletedIds, cursor: encodeCursor({ m: 'delta', link: next ?? changes.oDataDeltaLink ?? read.link }) };
    link = next;
  }
}

async function* watermark(read: Read & { cursor: Extract<DvCursor, { m: 'mark' }> }): AsyncGenerator<ChangePage<CrmRecord>> {
  const { ctx, table, plan, signal } = read;
  let w = read.cursor.w;
  const seen = new Map(read.cursor.seen);
  const query = byStamp(plan, table, w === null ? null : new Date(Date.parse(w) - ctx.overlapMs).toISOString());
  let link: string | undefined;
  do {
    const rows: Collection = await page(ctx, { op: 'readChanges.watermark', table, query, ...(link ? { link } : {}), pageSize: ctx.pageSize, signal });
    const items: CrmRecord[] = [];
    for (const row of rows.value) {
      const record = rowToRecord({ row, kind: read.kind, plan });
      if (seen.get(record.id) === record.stamp) continue;
      items.push(record);
      seen.set(record.id, record.stamp);
      if (w === null || record.stamp > w) w = record.stamp;
    }
    // Only ids inside the overlap window can come back; older ones are forgotten.
    const oldest = w === null ? '' : new Date(Date.parse(w) - ctx.overlapMs).toISOString();
    for (const [id, stamp] of seen) if (stamp < oldest) seen.delete(id);
    link = rows.oDataNextLink;
    yield { items, deletedIds: [], cursor: encodeCursor({ m: 'mark', w, seen: [...seen] }) };
  } while (link !== undefined);
}

/** Rows by id with their lookups expanded, `idsPerQuery` ids per GET; missing ids are absent. */
export async function fetchByIds(args: { ctx: ReadContext; table: TableFacts; kind: CrmObjectKind; plan: FieldPlan; ids: readonly string[]; column?: string; signal?: AbortSignal | undefined }): Promise<CrmRecord[]> {
  const { ctx, table, plan } = args;
  const column = args.column ?? table.primaryKey;
  const unique = [...new Set(args.ids)];
  const out: CrmRecord[] = [];
  for (let i = 0; i < unique.length; i += dataverseDescriptor.idsPerQuery) {
    const query = { ...queryOf(plan), filter: inFilter(column, unique.slice(i, i + dataverseDescriptor.idsPerQuery)) };
    let link: string | undefined;
    do {
      const rows: Collection = await page(ctx, { op: 'getRecords', table, query, ...(link ? { link } : {}), pageSize: dataverseDescriptor.maxPageSize, signal: args.signal });
      for (const row of rows.value) out.push(rowToRecord({ row, kind: args.kind, plan }));
      link = rows.oDataNextLink;
    } while (link !== undefined);
  }
  return out;
}
