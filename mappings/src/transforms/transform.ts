/**
 * What every transform offers: a two-way conversion between one rule's CRM field(s) and the
 * canonical value of its referral path. `null` is a value (the field is empty) and converts to
 * `null`; a CRM field the record does not carry converts to "absent" (leave the target alone).
 */
import type { FieldValue } from '../../../src/domain/crm-record.js';
import type { PathType } from '../referral-paths.js';
import type { CanonicalValue, MappingContext } from '../types.js';

export interface TransformEnv {
  ctx: MappingContext;
  /** The record's currency (ISO 4217), for money rounding; null when unknown. */
  currency: string | null;
  /** Whether the values go into a new CRM record (some fields may only be set on update). */
  mode: 'create' | 'update';
}

/** Reads a CRM path from the record; `undefined` when the record does not carry it. */
export type ReadCrm = (path: string) => FieldValue | undefined;

export type FromCrmOutcome =
  | { kind: 'absent' }
  | { kind: 'value'; value: CanonicalValue }
  | { kind: 'problem'; message: string };

export type ToCrmOutcome = { ok: true; fields: Record<string, FieldValue> } | { ok: false; message: string };

/** A two-way conversion between one rule's CRM field(s) and its canonical value. */
export interface Transform {
  readonly name: string;
  describe(): string;
  /** Whether this transform yields canonical values of the path's type. */
  accepts(type: PathType): boolean;
  /** CRM paths it reads (fields, lookups, child relationship names). */
  readPaths(): string[];
  /** CRM paths it writes (for the live check against the CRM's metadata). */
  writePaths(): string[];
  childFields(): Record<string, string[]>;
  fromCrm(read: ReadCrm, env: TransformEnv): FromCrmOutcome;
  toCrm(value: CanonicalValue, env: TransformEnv): ToCrmOutcome;
}

/** Builds a transform over one CRM field where both sides pass `null` through unchanged. */
export function scalarTransform(args: {
  name: string;
  crm: string;
  describe: string;
  accepts: (type: PathType) => boolean;
  toCanonical: (value: Exclude<FieldValue, null>, env: TransformEnv) => CanonicalValue | TransformProblem;
  toCrm: (value: Exclude<CanonicalValue, null>, env: TransformEnv) => FieldValue | TransformProblem;
}): Transform {
  const { crm } = args;
  return {
    name: args.name,
    describe: () => args.describe,
    accepts: args.accepts,
    readPaths: () => [crm],
    writePaths: () => [crm],
    childFields: () => ({}),
    fromCrm(read, env) {
      const raw = read(crm);
      if (raw === undefined) return { kind: 'absent' };
      if (raw === null) return { kind: 'value', value: null };
      const out = args.toCanonical(raw, env);
      return out instanceof TransformProblem ? { kind: 'problem', message: out.message } : { kind: 'value', value: out };
    },
    toCrm(value, env) {
      if (value === null) return { ok: true, fields: { [crm]: null } };
      const out = args.toCrm(value, env);
      return out instanceof TransformProblem ? { ok: false, message: out.message } : { ok: true, fields: { [crm]: out } };
    },
  };
}

/** A value a transform cannot convert (a returned value, not thrown: bad data is expected). */
export class TransformProblem {
  constructor(readonly message: string) {}
}

export const problem = (message: string): TransformProblem => new TransformProblem(message);
