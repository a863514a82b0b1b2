/**
 * Turns a parsed `$filter` into a predicate. String comparisons ignore case, as the service's
 * collation does; GUIDs compare without case; a date-only column compares with datetime
 * literals at midnight UTC; null follows OData (`x ne 5` is true for a null x).
 */
import type { ComparisonOp, FilterNode, Literal, Operand } from './filter-ast.js';

export type Scalar = string | number | boolean | null;
export type Getter<T> = (item: T) => Scalar;
/** Maps a property name to a getter; throws (e.g. a 400) for an unknown property. */
export type Resolver<T> = (name: string) => Getter<T>;

type Side<T> = { literal: Literal } | { get: Getter<T> };

function literalValue(literal: Literal): Scalar {
  return literal.kind === 'null' ? null : literal.value;
}

function side<T>(operand: Operand, resolve: Resolver<T>): Side<T> {
  return operand.kind === 'literal' ? { literal: operand.literal } : { get: resolve(operand.name) };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Brings two non-null values to one comparable form. */
function align(a: Scalar, b: Scalar): [string | number | boolean, string | number | boolean] {
  if (typeof a === 'string' && typeof b === 'string') {
    if (DATE_ONLY.test(a) && DATE_TIME.test(b)) return [`${a}T00:00:00Z`, b];
    if (DATE_TIME.test(a) && DATE_ONLY.test(b)) return [a, `${b}T00:00:00Z`];
    return [a.toLowerCase(), b.toLowerCase()];
  }
  if (typeof a === 'number' && typeof b === 'string') return [a, Number(b)];
  if (typeof a === 'string' && typeof b === 'number') return [Number(a), b];
  if (typeof a === 'boolean' && typeof b === 'number') return [a, b !== 0];
  return [a as string | number | boolean, b as string | number | boolean];
}

function compare(op: ComparisonOp, a: Scalar, b: Scalar): boolean {
  if (a === null || b === null) {
    if (op === 'eq') return a === b;
    if (op === 'ne') return a !== b;
    return false;
  }
  const [x, y] = align(a, b);
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
    case 'gt':
      return x > y;
    case 'ge':
      return x >= y;
    case 'lt':
      return x < y;
    case 'le':
      return x <= y;
  }
}

function read<T>(s: Side<T>, item: T): Scalar {
  return 'get' in s ? s.get(item) : literalValue(s.literal);
}

/** Compiles the tree once; property names are resolved (and validated) here, not per row. */
export function compileFilter<T>(node: FilterNode, resolve: Resolver<T>): (item: T) => boolean {
  switch (node.kind) {
    case 'and': {
      const l = compileFilter(node.left, resolve);
      const r = compileFilter(node.right, resolve);
      return (item) => l(item) && r(item);
    }
    case 'or': {
      const l = compileFilter(node.left, resolve);
      const r = compileFilter(node.right, resolve);
      return (item) => l(item) || r(item);
    }
    case 'not': {
      const inner = compileFilter(node.operand, resolve);
      return (item) => !inner(item);
    }
    case 'compare': {
      const left = side(node.left, resolve);
      const right = side(node.right, resolve);
      return (item) => compare(node.op, read(left, item), read(right, item));
    }
    case 'text': {
      const get = resolve(node.property);
      const needle = node.value.toLowerCase();
      return (item) => {
        const value = get(item);
        if (typeof value !== 'string') return false;
        const hay = value.toLowerCase();
        if (node.fn === 'contains') return hay.includes(needle);
        return node.fn === 'startswith' ? hay.startsWith(needle) : hay.endsWith(needle);
      };
    }
    case 'in': {
      const get = resolve(node.property);
      const values = node.values.map(literalValue);
      return (item) => {
        const value = get(item);
        const found = values.some((v) => compare('eq', value, v));
        return node.negate ? !found : found;
      };
    }
  }
}
