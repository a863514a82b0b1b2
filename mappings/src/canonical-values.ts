/**
 * Checks that a canonical value has the shape its referral path promises, so a rule that yields
 * the wrong thing surfaces as a field problem instead of a malformed referral.
 */
import { STATUS_PAIRS, describeType, type PathType } from './referral-paths.js';
import type { CanonicalValue } from './types.js';

const MEMBER_KEYS = ['firstName', 'lastName', 'email', 'phoneNumber', 'title'] as const;

const isRecord = (v: CanonicalValue): v is { [k: string]: CanonicalValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isNullableString = (v: CanonicalValue | undefined): boolean => v === null || typeof v === 'string';

/** Returns a message when `value` is not a valid canonical value for `type`, else null. */
export function checkCanonical(type: PathType, value: CanonicalValue): string | null {
  if (fitsType(type, value)) return null;
  // Problems are logged; a list of people is customer contact details, so it is not echoed.
  const got = type.kind === 'members' ? (Array.isArray(value) ? 'a list with an entry that is not a person' : typeof value) : JSON.stringify(value);
  return `expected ${describeType(type)}, got ${got}`;
}

function fitsType(type: PathType, value: CanonicalValue): boolean {
  if (type.kind === 'members') {
    if (!Array.isArray(value)) return false;
    return value.every((m) => isRecord(m) && MEMBER_KEYS.every((k) => isNullableString(m[k])));
  }
  if (type.kind === 'solutions') {
    if (!Array.isArray(value)) return false;
    return value.every((s) => isRecord(s) && typeof s['id'] === 'string' && s['id'] !== '');
  }
  if (value === null) return true;
  switch (type.kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'dateTime':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && /T/.test(value);
    case 'currency':
      return typeof value === 'string' && /^[A-Z]{3}$/.test(value);
    case 'country':
      return typeof value === 'string' && /^[A-Z]{2}$/.test(value);
    case 'status':
      return typeof value === 'string' && (STATUS_PAIRS as readonly string[]).includes(value);
    case 'enum':
      return typeof value === 'string' && type.values.includes(value);
  }
}

/** Deep equality of canonical values (objects compared key by key, order-insensitive). */
export function sameCanonical(a: CanonicalValue | undefined, b: CanonicalValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameCanonical(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameCanonical(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

/** Short display form of a value for tables and messages. */
export function showValue(value: CanonicalValue | undefined): string {
  if (value === undefined) return '(absent)';
  return JSON.stringify(value);
}
