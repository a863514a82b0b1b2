/**
 * Sorted result sets and keyset cursors. A `$skiptoken` names the last row a page returned (its
 * sort values and id), so rows written between two pages are neither repeated nor skipped
 * (stable paging, Dataverse developer guide, "Page results using the Web API"). Sorted results are cached per table until the next write.
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
