/**
 * Change tracking (Dataverse developer guide, "Use change tracking to synchronize data with external systems"): the initial `Prefer: odata.track-changes` listing ends
 * with `@odata.deltaLink`; a delta request reads only the change log after its token (binary
 * search, never a table scan), returns changed rows and `$deletedEntity` entries, and always
 * a new deltaLink, even when idle.
 */
import type { ChangeEntry, TableStore } from '../model/store.js';
import type { QueryOptions } from '../odata/query-options.js';
import type { TableInfo } from '../schema/tables.js';
import { badRequest, CODES, DvError } from '../wire/errors.js';
import { serializeRow } from '../wire/serialize.js';
import { json, type DvResponse, type RequestContext } from './context.js';
import { appliedPreferences, collectionContext, effectivePageSize } from './read.js';
import { cursorOf, sortedRows, startAfter } from './ordering.js';
import { decodeDeltaToken, decodeSkipToken, encodeDeltaToken, encodeSkipToken, rewriteQuery, type PageState } from './tokens.js';

const REJECTED_WITH_TRACKING = ['$filter', '$orderby', '$expand', '$top'] as const;

export function checkTrackingAllowed(info: TableInfo, table: TableStore, query: URLSearchParams): void {
  if (!table.changeTracking) {
    // The docs give no code for this; the connector only needs to see a failure and
    // fall back to modifiedon ("Use change tracking to synchronize data with external systems").
    throw badRequest(`Change tracking is not enabled for the entity '${info.def.logicalName}'.`, CODES.invalidArgument);
  }
  for (const name of REJECTED_WITH_TRACKING) {
    // The documented text ("Use change tracking to synchronize data with external systems").
    if (query.has(name)) throw badRequest(`The "${name}" query parameter isn't supported when Change Tracking is enabled.`, CODES.propertyNotFound);
  }
}

function deltaLink(ctx: RequestContext, info: TableInfo, version: number): string {
  const token = encodeDeltaToken(version, ctx.service.clock.now());
  return `${ctx.request.apiBase}${info.def.entitySetName}?${rewriteQuery(ctx.request.rawQuery, ['$skiptoken', '$deltatoken'], { $deltatoken: token })}`;
}

function nextLink(ctx: RequestContext, info: TableInfo, state: PageState): string {
  return `${ctx.request.apiBase}${info.def.entitySetName}?${rewriteQuery(ctx.request.rawQuery, ['$skiptoken'], { $skiptoken: encodeSkipToken(state, true) })}`;
}

/** The initial tracked listing: every row by primary key, deltaLink on the last page ("Use change tracking to synchronize data with external systems"). */
export function initialTracking(ctx: RequestContext, info: TableInfo, table: TableStore, options: QueryOptions): DvResponse {
  const state = options.skipToken === null ? null : decodeSkipToken(options.skipToken);
  if (options.skipToken !== null && !state) throw badRequest('The $skiptoken is not valid.', CODES.propertyNotFound);
  const snapshot = state?.snapshot ?? ctx.service.store.currentVersion();
  const rows = sortedRows({ table, cacheKey: '|', filter: null, order: [] });
  const start = state?.id !== undefined ? startAfter(rows, [], { values: [], id: state.id }) : 0;
  const pageSize = effectivePageSize(ctx);
  const page = rows.slice(start, start + pageSize);
  const body: Record<string, unknown> = {
    '@odata.context': collectionContext(ctx, info, options),
    value: page.map((row) => serializeRow(info, row, options.select, [], ctx.serialize)),
  };
  const last = page[page.length - 1];
  if (start + pageSize < rows.length && last) {
    body['@odata.nextLink'] = nextLink(ctx, info, { page: (state?.page ?? 1) + 1, snapshot, ...cursorOf([], last) });
  } else {
    body['@odata.deltaLink'] = deltaLink(ctx, info, snapshot);
  }
  return json(200, body, appliedPreferences(ctx, ctx.prefs.maxPageSize !== null ? pageSize : null));
}

function expired(ctx: RequestContext): DvError {
  return new DvError(ctx.service.options.expiredDeltaStatus, CODES.expiredVersionStamp, 'Version stamp associated with the client has expired. Please perform a full sync.');
}

/** Validates a delta token against the switch, the control API floor and the retention window ("Use change tracking to synchronize data with external systems"). */
export function tokenVersion(ctx: RequestContext, table: TableStore, token: string): number {
  const parsed = decodeDeltaToken(token);
  if (!parsed || ctx.service.options.deltaTokenExpired || parsed.version < table.minDeltaVersion) throw expired(ctx);
  const ageMs = ctx.service.clock.now().getTime() - parsed.at.getTime();
  if (ageMs > ctx.service.options.changeTrackingRetentionDays * 86_400_000) throw expired(ctx);
  return parsed.version;
}

/** Ids changed in (from, to], each once, in the order of its last change in that range. */
export function changedIds(log: readonly ChangeEntry[], from: number, to: number): string[] {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid] as ChangeEntry).version <= from) lo = mid + 1;
    else hi = mid;
  }
  const lastSeen = new Map<string, number>();
  for (let i = lo; i < log.length; i++) {
    const entry = log[i] as ChangeEntry;
    if (entry.version > to) break;
    lastSeen.delete(entry.id);
    lastSeen.set(entry.id, entry.version);
  }
  return [...lastSeen.keys()];
}

/** A delta page ("Use change tracking to synchronize data with external systems"): changed rows as normal rows, deleted ones as `$deletedEntity`. */
export function deltaRows(ctx: RequestContext, info: TableInfo, table: TableStore, options: QueryOptions): DvResponse {
  checkTrackingAllowed(info, table, ctx.request.query);
  const state = options.skipToken === null ? null : decodeSkipToken(options.skipToken);
  const from = state?.from ?? tokenVersion(ctx, table, options.deltaToken as string);
  const to = state?.to ?? ctx.service.store.currentVersion();
  const ids = changedIds(table.changeLog, from, to);
  const offset = state?.offset ?? 0;
  const pageSize = effectivePageSize(ctx);
  const slice = ids.slice(offset, offset + pageSize);
  const deletedContext = `${ctx.request.apiBase}$metadata#${info.def.entitySetName}/$deletedEntity`;
  const value = slice.map((id) => {
    const row = table.rows.get(id);
    return row ? serializeRow(info, row, options.select, [], ctx.serialize) : { '@odata.context': deletedContext, id, reason: 'deleted' };
  });
  const body: Record<string, unknown> = { '@odata.context': collectionContext(ctx, info, options, '/$delta'), value };
  if (offset + pageSize < ids.length) body['@odata.nextLink'] = nextLink(ctx, info, { page: (state?.page ?? 1) + 1, from, to, offset: offset + pageSize });
  else body['@odata.deltaLink'] = deltaLink(ctx, info, to);
  return json(200, body, appliedPreferences(ctx, ctx.prefs.maxPageSize !== null ? pageSize : null));
}

/** `GET /opportunities/$count?$deltatoken=...`: the number of pending changes ("Use change tracking to synchronize data with external systems"). */
export function countChanges(ctx: RequestContext, table: TableStore, token: string): DvResponse {
  const from = tokenVersion(ctx, table, token);
  const count = changedIds(table.changeLog, from, ctx.service.store.currentVersion()).length;
  return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, body: String(count) };
}
