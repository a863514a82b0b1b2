/**
 * Reads: collections with paging (`Prefer: odata.maxpagesize`, absolute `@odata.nextLink` with
 * `$skiptoken`, Dataverse developer guide, "Page results using the Web API"), `$count` (capped at 5,000, "Query data using the Web API"), single records with conditional GET ("Perform conditional operations using the Web API").
 */
import type { Row } from '../model/row.js';
import type { TableStore } from '../model/store.js';
import { parseQueryOptions, type QueryOptions } from '../odata/query-options.js';
import type { TableInfo } from '../schema/tables.js';
import { badRequest, CODES } from '../wire/errors.js';
import { contextSelection, serializeRow } from '../wire/serialize.js';
import { json, type DvResponse, type RequestContext } from './context.js';
import { cachedSortedRows, cursorOf, pageAfter, sortedRows, startAfter } from './ordering.js';
import { decodeSkipToken, encodeSkipToken, rewriteQuery } from './tokens.js';

const COUNT_LIMIT = 5000;

export function appliedPreferences(ctx: RequestContext, pageSize: number | null): Record<string, string> {
  const applied: string[] = [];
  if (pageSize !== null) applied.push(`odata.maxpagesize=${pageSize}`);
  if (ctx.prefs.includeAnnotations) applied.push(`odata.include-annotations="${ctx.prefs.includeAnnotations}"`);
  if (ctx.prefs.trackChanges) applied.push('odata.track-changes');
  return applied.length > 0 ? { 'Preference-Applied': applied.join(',') } : {};
}

export function effectivePageSize(ctx: RequestContext): number {
  const cap = ctx.service.options.maxPageSize;
  return Math.min(ctx.prefs.maxPageSize ?? cap, cap);
}

export function collectionContext(ctx: RequestContext, info: TableInfo, options: QueryOptions, suffix = ''): string {
  return `${ctx.request.apiBase}$metadata#${info.def.entitySetName}${contextSelection(options.select, options.expand)}${suffix}`;
}

/** A page of a plain (non-tracking) query. */
export function listRows(ctx: RequestContext, info: TableInfo, table: TableStore, options: QueryOptions): DvResponse {
  const state = options.skipToken === null ? null : decodeSkipToken(options.skipToken);
  if (options.skipToken !== null && !state) throw badRequest('The $skiptoken is not valid.', CODES.propertyNotFound);
  const cacheKey = (ctx.request.query.get('$filter') ?? '').includes('/') ? null : `${ctx.request.query.get('$filter') ?? ''}|${ctx.request.query.get('$orderby') ?? ''}`;
  const asked = ctx.prefs.maxPageSize !== null;
  const pageSize = effectivePageSize(ctx);
  const cursor = state?.id !== undefined ? { values: state.values ?? [], id: state.id } : null;
  const { page, more, matching } =
    // A later page of a table written since its rows were sorted: one pass, not another sort.
    cursor !== null && (asked || options.top === null) && cachedSortedRows(table, cacheKey) === null
      ? pageAfter({ table, filter: options.filter, order: options.orderBy, cursor, size: pageSize })
      : sortedPage();
  function sortedPage(): { page: Row[]; more: boolean; matching: number } {
    const rows = sortedRows({ table, cacheKey, filter: options.filter, order: options.orderBy });
    // $top is ignored when maxpagesize is sent ("Page results using the Web API").
    const limit = !asked && options.top !== null ? Math.min(options.top, rows.length) : rows.length;
    const start = cursor !== null ? startAfter(rows, options.orderBy, cursor) : 0;
    const end = Math.min(start + pageSize, limit);
    return { page: rows.slice(start, end), more: end < limit, matching: rows.length };
  }
  const body: Record<string, unknown> = { '@odata.context': collectionContext(ctx, info, options) };
  if (options.count) body['@odata.count'] = Math.min(matching, COUNT_LIMIT);
  body['value'] = page.map((row) => serializeRow(info, row, options.select, options.expand, ctx.serialize));
  const last = page[page.length - 1];
  if (more && last) {
    const token = encodeSkipToken({ page: (state?.page ?? 1) + 1, ...cursorOf(options.orderBy, last) }, false);
    body['@odata.nextLink'] = `${ctx.request.apiBase}${info.def.entitySetName}?${rewriteQuery(ctx.request.rawQuery, ['$skiptoken'], { $skiptoken: token })}`;
  }
  return json(200, body, appliedPreferences(ctx, asked ? pageSize : null));
}

/** GET of one record; `If-None-Match` with the current etag answers 304 unless annotations or $expand are asked ("Perform conditional operations using the Web API"). */
export function retrieveRow(ctx: RequestContext, info: TableInfo, row: Row): DvResponse {
  const options = parseQueryOptions(info, ctx.request.query, ctx.service.store);
  const ifNoneMatch = ctx.request.headers['if-none-match'];
  const conditional = ifNoneMatch && ifNoneMatch !== 'null' && options.expand.length === 0 && !ctx.prefs.includeAnnotations;
  if (conditional && ifNoneMatch === `W/"${row.version}"`) return { status: 304, headers: { 'OData-Version': '4.0' } };
  const body = {
    '@odata.context': collectionContext(ctx, info, options, '/$entity'),
    ...serializeRow(info, row, options.select, options.expand, ctx.serialize),
  };
  return json(200, body, appliedPreferences(ctx, null));
}

/** `GET /opportunities/$count`: plain text, at most 5,000 ("Query data using the Web API"). */
export function countRows(ctx: RequestContext, info: TableInfo, table: TableStore): DvResponse {
  const options = parseQueryOptions(info, ctx.request.query, ctx.service.store);
  let count = 0;
  for (const row of table.rows.values()) if (!options.filter || options.filter(row)) count++;
  return { status: 200, headers: { 'Content-Type': 'text/plain', 'OData-Version': '4.0' }, body: String(Math.min(count, COUNT_LIMIT)) };
}
