/**
 * People: CRM contacts or users <-> Member[]. Either child rows (Salesforce
 * `OpportunityContactRoles`, each row keyed by its own paths such as `Contact.Email`) or one
 * looked-up record (Dataverse `parentcontactid.*`, or the record itself with `crm: self`) that
 * becomes a one-element list. `fullName` joins first and last name into one CRM field and splits
 * it back at the last space.
 */
import type { FieldValue } from '../../../src/domain/crm-record.js';
import type { CanonicalValue } from '../types.js';
import type { ReadCrm, Transform } from './transform.js';

export const MEMBER_FIELDS = ['firstName', 'lastName', 'fullName', 'email', 'phoneNumber', 'title'] as const;
export type MemberField = (typeof MEMBER_FIELDS)[number];

export interface MembersOptions {
  crm: string;
  rows: boolean;
  fields: Partial<Record<MemberField, string>>;
  /** Row field that marks the primary row; it is listed first. */
  primaryField: string | null;
}

type Member = Record<'firstName' | 'lastName' | 'email' | 'phoneNumber' | 'title', string | null>;

const text = (v: FieldValue | undefined): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

export function splitFullName(full: string | null): { firstName: string | null; lastName: string | null } {
  const trimmed = full?.trim() ?? '';
  if (trimmed === '') return { firstName: null, lastName: null };
  const at = trimmed.lastIndexOf(' ');
  return at < 0 ? { firstName: null, lastName: trimmed } : { firstName: trimmed.slice(0, at), lastName: trimmed.slice(at + 1) };
}

export const joinFullName = (first: string | null, last: string | null): string | null =>
  [first, last].filter((p): p is string => p !== null && p !== '').join(' ') || null;

export function membersTransform(opts: MembersOptions): Transform {
  const { crm, rows, fields } = opts;
  const entries = Object.entries(fields) as [MemberField, string][];
  const singlePath = (sub: string): string => (crm === 'self' ? sub : `${crm}.${sub}`);
  const subPaths = entries.map(([, p]) => p).concat(opts.primaryField ? [opts.primaryField] : []);

  const toMember = (read: ReadCrm): Member => {
    const get = (k: MemberField): string | null => (fields[k] ? text(read(fields[k])) : null);
    const split = fields.fullName ? splitFullName(get('fullName')) : null;
    return {
      firstName: fields.firstName ? get('firstName') : (split?.firstName ?? null),
      lastName: fields.lastName ? get('lastName') : (split?.lastName ?? null),
      email: get('email'),
      phoneNumber: get('phoneNumber'),
      title: get('title'),
    };
  };
  const fromMember = (m: { [k: string]: CanonicalValue }): Record<string, FieldValue> => {
    const out: Record<string, FieldValue> = {};
    const s = (k: string): string | null => (typeof m[k] === 'string' ? m[k] : null);
    for (const [k, path] of entries) out[path] = k === 'fullName' ? joinFullName(s('firstName'), s('lastName')) : s(k);
    return out;
  };
  const isEmpty = (m: Member): boolean => Object.values(m).every((v) => v === null || v === '');

  return {
    name: 'members',
    describe: () => (rows ? `rows of ${crm} <-> people` : `${crm === 'self' ? 'the record' : crm} <-> one person`),
    accepts: (t) => t.kind === 'members',
    readPaths: () => (rows ? [crm] : entries.map(([, p]) => singlePath(p))),
    writePaths: () => (rows ? [crm] : entries.map(([, p]) => singlePath(p))),
    childFields: () => (rows ? { [crm]: subPaths } : {}),
    fromCrm(read) {
      if (!rows) {
        const paths = entries.map(([, p]) => singlePath(p));
        if (paths.every((p) => read(p) === undefined)) return { kind: 'absent' };
        const m = toMember((p) => read(singlePath(p)));
        return { kind: 'value', value: isEmpty(m) ? [] : [m] };
      }
      const raw = read(crm);
      if (raw === undefined) return { kind: 'absent' };
      if (raw === null) return { kind: 'value', value: [] };
      if (!Array.isArray(raw)) return { kind: 'problem', message: `${crm} is not a list of rows` };
      const rowsIn = raw.filter((r): r is { [k: string]: FieldValue } => typeof r === 'object' && r !== null && !Array.isArray(r));
      const primary = opts.primaryField;
      const ordered = primary ? [...rowsIn].sort((a, b) => Number(b[primary] === true) - Number(a[primary] === true)) : rowsIn;
      const members = ordered.map((r) => toMember((p) => r[p])).filter((m) => !isEmpty(m));
      return { kind: 'value', value: members };
    },
    toCrm(value) {
      // No value in the message: problems are logged, and people are customer contact details.
      if (!Array.isArray(value)) return { ok: false, message: 'not a list of people' };
      const people = value.filter((m): m is { [k: string]: CanonicalValue } => typeof m === 'object' && m !== null && !Array.isArray(m));
      if (rows) return { ok: true, fields: { [crm]: people.map(fromMember) } };
      const first = people[0];
      const flat = first ? fromMember(first) : Object.fromEntries(entries.map(([, p]) => [p, null]));
      return { ok: true, fields: Object.fromEntries(Object.entries(flat).map(([p, v]) => [singlePath(p), v])) };
    },
  };
}
