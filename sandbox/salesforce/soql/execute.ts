import type { SalesforceOrg } from '../model/org.js';
import type { Row, Table } from '../model/table.js';
import type { BoundCondition, BoundOrder, BoundQuery } from './bound.js';
import { matches, orderComparator } from './evaluate.js';

/**
 * Runs a bound query to the ordered ids of the matching rows. Uses an index when the query
 * allows: ids or unique external ids in the WHERE, or `ORDER BY SystemModstamp [, Id]` (the
 * watermark query, docs/change-watermarks.md), which walks the stamp index from the lower bound
 * instead of sorting the table.
 */
export function executeQuery({ org, query, includeDeleted }: { org: SalesforceOrg; query: BoundQuery; includeDeleted: boolean }): string[] {
  const table = org.table(query.object.def.name) as Table;
  const conjuncts = query.where ? (query.where.kind === 'and' ? query.where.items : [query.where]) : [];
  const byIndex = candidatesByKey(table, conjuncts);
  const stampWalk = byIndex ? undefined : stampOrder(query.orderBy);
  let rows: Row[];
  if (byIndex) {
    rows = byIndex.map((id) => table.get(id)).filter((r): r is Row => r !== undefined);
  } else if (stampWalk) {
    const from = stampLowerBound(conjuncts);
    rows = table.stamps
      .scan({ ...(from && !stampWalk.descending ? { from: from.value, inclusive: from.inclusive } : {}), descending: stampWalk.descending })
      .map((id) => table.get(id) as Row);
  } else {
    rows = [...table.values()];
  }
  const where = query.where;
  const kept = rows.filter((r) => (includeDeleted || r['IsDeleted'] !== true) && (!where || matches(org, r, where)));
  if (!stampWalk && query.orderBy.length > 0) kept.sort(orderComparator(org, query.orderBy));
  const start = query.offsetRows ?? 0;
  const end = query.limit === undefined ? undefined : start + query.limit;
  return kept.slice(start, end).map((r) => r['Id'] as string);
}

/** Exact lookups by Id, a unique field or a parent lookup (`Referral_Id__c IN (...)`, `OpportunityId = '...'`). */
function candidatesByKey(table: Table, conjuncts: readonly BoundCondition[]): string[] | undefined {
  for (const c of conjuncts) {
    if ((c.kind !== 'compare' || c.op !== '=' || c.value.kind !== 'value') && (c.kind !== 'in' || c.negated)) continue;
    if (c.field.hops.length > 0) continue;
    const values = c.kind === 'in' ? c.values : c.value.kind === 'value' ? [c.value.value] : [];
    if (values.some((v) => v === null)) continue;
    const f = c.field.field;
    if (f.name === 'Id') return [...new Set(values.map(String))];
    if (table.hasUniqueIndex(f.name)) return [...new Set(values.flatMap((v) => table.idsByUnique(f.name, v)))];
    if (table.hasParentIndex(f.name)) return [...new Set(values.flatMap((v) => table.childIds(f.name, String(v))))];
  }
  return undefined;
}

/** Whether ORDER BY is `SystemModstamp [ASC|DESC][, Id (same direction)]`, which the index yields. */
function stampOrder(orderBy: readonly BoundOrder[]): { descending: boolean } | undefined {
  const [first, second, ...rest] = orderBy;
  if (!first || rest.length > 0 || first.field.hops.length > 0 || first.field.field.name !== 'SystemModstamp') return undefined;
  if (second && (second.field.hops.length > 0 || second.field.field.name !== 'Id' || second.descending !== first.descending)) return undefined;
  return { descending: first.descending };
}

function stampLowerBound(conjuncts: readonly BoundCondition[]): { value: number; inclusive: boolean } | undefined {
  for (const c of conjuncts) {
    if (c.kind !== 'compare' || c.field.hops.length > 0 || c.field.field.name !== 'SystemModstamp') continue;
    if (c.value.kind !== 'value' || typeof c.value.value !== 'number') continue;
    if (c.op === '>=' || c.op === '>') return { value: c.value.value, inclusive: c.op === '>=' };
  }
  return undefined;
}
