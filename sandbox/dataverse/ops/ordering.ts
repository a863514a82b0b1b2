/**
 * Sorted result sets and keyset cursors. A `$skiptoken` names the last row a page returned (its
 * sort values and id), so rows written between two pages are neither repeated nor skipped
 * (stable paging, Dataverse developer guide, "Page results using the Web API"). Sorted results are
 * cached per table until the next write; a later page of a table written since is picked from one
 * pass over the rows (the page's rows after the cursor), not by sorting the whole table again: a
 * backfill writes back between its page reads, and re-sorting 100,000 rows for each page made the
 * emulator, not the daemon, the slow side of a Dataverse backfill.
 */
import type { Row, Value } from '../model/row.js';
import type { TableStore } from '../model/store.js';
import type { OrderTerm } from '../odata/query-options.js';

export interface Cursor {
  values: Value[];
  id: string;
}

/** SQL Server order: nulls first ascending, strings without case (as the service sorts; not stated in the docs). */
function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const x = typeof a === 'string' ? a.toLowerCase() : a;
  const y = typeof b === 'string' ? b.toLowerCase() : b;
  if (x < y) return -1;
  return x > y ? 1 : 0;
}

function compareKeys(order: readonly OrderTerm[], aValues: readonly Value[], aId: string, bValues: readonly Value[], bId: string): number {
  for (let i = 0; i < order.length; i++) {
    const c = compareValues(aValues[i] ?? null, bValues[i] ?? null);
    if (c !== 0) return (order[i] as OrderTerm).descending ? -c : c;
  }
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

export function cursorOf(order: readonly OrderTerm[], row: Row): Cursor {
  return { values: order.map((t) => t.column.get(row)), id: row.id };
}

interface CacheEntry {
  mutations: number;
  rows: Row[];
}

const caches = new WeakMap<TableStore, Map<string, CacheEntry>>();
const CACHE_LIMIT = 8;

/**
 * Rows matching the filter, sorted by the terms then the primary key. A null cache key means the
 * result also depends on other tables (a filter through a lookup) and is never cached.
 */
export function sortedRows(args: { table: TableStore; cacheKey: string | null; filter: ((row: Row) => boolean) | null; order: readonly OrderTerm[] }): Row[] {
  const { table, cacheKey, filter, order } = args;
  let cache = caches.get(table);
  if (!cache) caches.set(table, (cache = new Map()));
  const hit = cacheKey === null ? undefined : cache.get(cacheKey);
  if (hit && hit.mutations === table.mutations) return hit.rows;
  const rows: Row[] = [];
  for (const row of table.rows.values()) if (!filter || filter(row)) rows.push(row);
  const keyed = rows.map((row) => ({ row, values: order.map((t) => t.column.get(row)) }));
  keyed.sort((a, b) => compareKeys(order, a.values, a.row.id, b.values, b.row.id));
  const sorted = keyed.map((k) => k.row);
  if (cacheKey === null) return sorted;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(cacheKey, { mutations: table.mutations, rows: sorted });
  return sorted;
}

/** The sorted rows of `sortedRows` when they are cached and the table has not changed since; else null. */
export function cachedSortedRows(table: TableStore, cacheKey: string | null): Row[] | null {
  const hit = cacheKey === null ? undefined : caches.get(table)?.get(cacheKey);
  return hit && hit.mutations === table.mutations ? hit.rows : null;
}

/**
 * The first `size` rows after `cursor` in sort order, whether more follow, and how many rows match
 * the filter in all: one pass, keeping the `size + 1` smallest keys seen (no sort of the table).
 */
export function pageAfter(args: { table: TableStore; filter: ((row: Row) => boolean) | null; order: readonly OrderTerm[]; cursor: Cursor; size: number }): { page: Row[]; more: boolean; matching: number } {
  const { table, filter, order, cursor, size } = args;
  const kept: { row: Row; values: Value[] }[] = [];
  const compare = (a: { row: Row; values: Value[] }, b: { row: Row; values: Value[] }): number => compareKeys(order, a.values, a.row.id, b.values, b.row.id);
  let matching = 0;
  for (const row of table.rows.values()) {
    if (filter && !filter(row)) continue;
    matching++;
    const entry = { row, values: order.map((t) => t.column.get(row)) };
    if (compareKeys(order, entry.values, row.id, cursor.values, cursor.id) <= 0) continue;
    if (kept.length > size && compare(entry, kept[kept.length - 1]!) >= 0) continue;
    // Binary insertion into the kept rows, which stay sorted; the largest drops out past size + 1.
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(kept[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, entry);
    if (kept.length > size + 1) kept.pop();
  }
  return { page: kept.slice(0, size).map((k) => k.row), more: kept.length > size, matching };
}

/** Index of the first row after the cursor (binary search). */
export function startAfter(rows: readonly Row[], order: readonly OrderTerm[], cursor: Cursor | null): number {
  if (!cursor) return 0;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const row = rows[mid] as Row;
    const c = compareKeys(order, order.map((t) => t.column.get(row)), row.id, cursor.values, cursor.id);
    if (c <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
