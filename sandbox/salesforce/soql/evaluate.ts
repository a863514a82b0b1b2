import type { SalesforceOrg } from '../model/org.js';
import type { Row, Value } from '../model/table.js';
import type { BoundCondition, BoundField, BoundOrder, BoundValue } from './bound.js';

const CASE_INSENSITIVE = new Set(['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url']);

/** The row a field path ends on: null when a lookup on the way is empty (Salesforce REST API Developer Guide, "Query": `"Account": null`). */
export function rowAtEnd(org: SalesforceOrg, row: Row, field: BoundField): Row | null {
  let current: Row | null = row;
  for (const hop of field.hops) {
    const id: Value | undefined = current[hop.lookup.name];
    if (typeof id !== 'string') return null;
    current = org.table(hop.target.def.name)?.get(id) ?? null;
    if (current === null) return null;
  }
  return current;
}

export function readField(org: SalesforceOrg, row: Row, field: BoundField): Value {
  return rowAtEnd(org, row, field)?.[field.field.name] ?? null;
}

/** The form a value is compared in: text in lower case, except ids and references. */
export function comparable(field: BoundField, v: Value): Value {
  return typeof v === 'string' && CASE_INSENSITIVE.has(field.field.type) ? v.toLowerCase() : v;
}

function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  return String(a) < String(b) ? -1 : 1;
}

/**
 * WHERE semantics (SOQL and SOSL Reference): text compares case-insensitively; a null field matches only `= null`,
 * `!= <value>` and `NOT IN`; ordering operators never match null.
 */
export function matches(org: SalesforceOrg, row: Row, cond: BoundCondition): boolean {
  switch (cond.kind) {
    case 'and':
      return cond.items.every((c) => matches(org, row, c));
    case 'or':
      return cond.items.some((c) => matches(org, row, c));
    case 'not':
      return !matches(org, row, cond.item);
    case 'compare':
      return compare(comparable(cond.field, readField(org, row, cond.field)), cond.op, cond.value, cond.field);
    case 'in': {
      const hit = cond.comparable.has(comparable(cond.field, readField(org, row, cond.field)));
      return cond.negated ? !hit : hit;
    }
    case 'like': {
      const v = readField(org, row, cond.field);
      return typeof v === 'string' && cond.pattern.test(v);
    }
  }
}

function compare(v: Value, op: string, bound: BoundValue, field: BoundField): boolean {
  if (bound.kind === 'range') {
    if (v === null) return op === '!=';
    const { start, end } = bound;
    switch (op) {
      case '=':
        return v >= start && v < end;
      case '!=':
        return v < start || v >= end;
      case '<':
        return v < start;
      case '<=':
        return v < end;
      case '>':
        return v >= end;
      default:
        return v >= start;
    }
  }
  const target = comparable(field, bound.value);
  if (op === '=') return v === target;
  if (op === '!=') return v !== target;
  if (v === null || target === null) return false;
  const c = compareValues(v, target);
  return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
}

/** A comparator for ORDER BY, with NULLS FIRST / LAST and case-insensitive text. */
export function orderComparator(org: SalesforceOrg, orderBy: readonly BoundOrder[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const o of orderBy) {
      const va = comparable(o.field, readField(org, a, o.field));
      const vb = comparable(o.field, readField(org, b, o.field));
      if (va === vb) continue;
      if (va === null) return o.nullsLast ? 1 : -1;
      if (vb === null) return o.nullsLast ? -1 : 1;
      const c = compareValues(va, vb);
      return o.descending ? -c : c;
    }
    return 0;
  };
}
