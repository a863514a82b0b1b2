/**
 * Turns a parsed `$filter` into a predicate over stored referrals, refusing properties and
 * operators the service does not take (Partner Center docs, "Get a list of referrals").
 */
import { canonicalTimestamp } from '../timestamps.js';
import { FILTERABLE_COLLECTIONS, FILTERABLE_FIELDS, type FieldKind } from './fields.js';
import { parseFilter, type ComparisonOperator, type FilterExpr, type Literal } from './parser.js';

/** Switches where Microsoft's documentation allows two readings ("Get a list of referrals"). */
export interface FilterCapabilities {
  /** Whether `externalReferenceId` may be filtered on (not documented in "Get a list of referrals"). */
  externalReferenceId: boolean;
  /** Whether `updatedDateTime gt|ge|lt|le <ts>` is accepted (listed only in the 2019 docs). */
  updatedDateTimeRange: boolean;
}

/** A filter that parses but names a property or operator the service refuses. */
export class FilterUnsupportedError extends Error {
  constructor(
    message: string,
    readonly target: string,
  ) {
    super(message);
    this.name = 'FilterUnsupportedError';
  }
}

export type ReferralPredicate = (referral: object) => boolean;

export function compileFilter(input: string, capabilities: FilterCapabilities): ReferralPredicate {
  return compile(parseFilter(input), capabilities, null);
}

interface LambdaScope {
  variable: string;
  fields: Readonly<Record<string, FieldKind>>;
}

function compile(expr: FilterExpr, caps: FilterCapabilities, scope: LambdaScope | null): ReferralPredicate {
  switch (expr.kind) {
    case 'and': {
      const left = compile(expr.left, caps, scope);
      const right = compile(expr.right, caps, scope);
      return (r) => left(r) && right(r);
    }
    case 'or': {
      const left = compile(expr.left, caps, scope);
      const right = compile(expr.right, caps, scope);
      return (r) => left(r) || right(r);
    }
    case 'not': {
      const operand = compile(expr.operand, caps, scope);
      return (r) => !operand(r);
    }
    case 'any':
      return compileAny(expr, caps, scope);
    case 'compare':
      return compileComparison(expr, caps, scope);
  }
}

function compileAny(
  expr: Extract<FilterExpr, { kind: 'any' }>,
  caps: FilterCapabilities,
  scope: LambdaScope | null,
): ReferralPredicate {
  const name = expr.path.join('/');
  const fields = FILTERABLE_COLLECTIONS[name];
  if (scope || !fields) throw new FilterUnsupportedError(`'${name}' cannot be used with any()`, name);
  const predicate = compile(expr.predicate, caps, { variable: expr.variable, fields });
  return (r) => {
    const items = readPath(r, expr.path);
    return Array.isArray(items) && items.some((item) => typeof item === 'object' && item !== null && predicate(item));
  };
}

function compileComparison(
  expr: Extract<FilterExpr, { kind: 'compare' }>,
  caps: FilterCapabilities,
  scope: LambdaScope | null,
): ReferralPredicate {
  const { path, kind } = resolveField(expr.path, scope);
  const name = path.join('/');
  if (name === 'externalReferenceId' && !scope && !caps.externalReferenceId) {
    throw new FilterUnsupportedError('Filtering on externalReferenceId is not supported', name);
  }
  const isRange = expr.op !== 'eq' && expr.op !== 'ne';
  if (name === 'updatedDateTime' && !scope && isRange && !caps.updatedDateTimeRange) {
    throw new FilterUnsupportedError(`Operator '${expr.op}' is not supported on updatedDateTime`, name);
  }
  const literal = literalValue(expr.value, kind, name);
  const op = expr.op;
  return (r) => {
    const raw = readPath(r, path);
    const actual = kind === 'datetime' && typeof raw === 'string' ? asStamp(raw) : raw;
    return compareValues(actual ?? null, op, literal);
  };
}

function resolveField(path: string[], scope: LambdaScope | null): { path: string[]; kind: FieldKind } {
  if (scope) {
    const [head, ...rest] = path;
    const kind = scope.fields[rest.join('/')];
    if (head !== scope.variable || !kind) {
      throw new FilterUnsupportedError(`'${path.join('/')}' is not filterable inside any()`, path.join('/'));
    }
    return { path: rest, kind };
  }
  const kind = FILTERABLE_FIELDS[path.join('/')];
  if (!kind) throw new FilterUnsupportedError(`'${path.join('/')}' is not a filterable property`, path.join('/'));
  return { path, kind };
}

type Comparable = string | number | boolean | null;

function literalValue(literal: Literal, kind: FieldKind, name: string): Comparable {
  if (literal.type === 'null') return null;
  if (kind === 'datetime') {
    const value = literal.type === 'datetime' || literal.type === 'string' ? canonicalTimestamp(literal.value) : null;
    if (value === null) throw new FilterUnsupportedError(`'${name}' needs a date-time literal`, name);
    return value;
  }
  if (kind === 'number' && literal.type !== 'number') {
    throw new FilterUnsupportedError(`'${name}' needs a number literal`, name);
  }
  if (kind === 'string' && literal.type !== 'string') {
    throw new FilterUnsupportedError(`'${name}' needs a quoted string literal`, name);
  }
  if (literal.type === 'datetime') return literal.value;
  return literal.value;
}

function compareValues(actual: unknown, op: ComparisonOperator, expected: Comparable): boolean {
  const left = typeof actual === 'string' || typeof actual === 'number' || typeof actual === 'boolean' ? actual : null;
  if (op === 'eq') return left === expected;
  if (op === 'ne') return left !== expected;
  if (left === null || expected === null || typeof left !== typeof expected) return false;
  switch (op) {
    case 'gt':
      return left > expected;
    case 'ge':
      return left >= expected;
    case 'lt':
      return left < expected;
    case 'le':
      return left <= expected;
  }
}

function readPath(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Stored stamps are already canonical (28 characters, Z); only other forms need the regex. */
function asStamp(value: string): string | null {
  return value.length === 28 && value.endsWith('Z') && value.charAt(19) === '.' ? value : canonicalTimestamp(value);
}
