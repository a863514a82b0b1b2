/**
 * CRM record <-> canonical values, rule by rule. Absent CRM fields stay absent (the target is
 * left alone), null stays null, 0 and '' are values; a rule's default fills an empty source.
 */
import type { CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import { checkCanonical, sameCanonical } from './canonical-values.js';
import type { CompiledRule } from './compile-rule.js';
import { CURRENCY_PATH, readsFromCrm, writesToCrm, type CompiledObject } from './compile.js';
import type { FromCrmOutcome, ReadCrm, TransformEnv } from './transforms/transform.js';
import type { CanonicalValue, FieldProblem, FieldSet, MappingContext } from './types.js';


const isEmpty = (v: CanonicalValue | undefined): boolean => v === null || (Array.isArray(v) && v.length === 0);
const isBlank = (v: CanonicalValue | undefined): boolean => v === undefined || isEmpty(v) || v === '';

/** Reads a record's field by path; `undefined` when the record does not carry it. */
export const recordReader =
  (record: CrmRecord): ReadCrm =>
  (path) =>
    Object.hasOwn(record.fields, path) ? record.fields[path] : undefined;

/** Falls back to `orFrom` fields when the rule's own field is empty (a country from the account). */
function withFallback(rule: CompiledRule, read: ReadCrm): ReadCrm {
  if (rule.orFrom.length === 0) return read;
  return (path) => {
    const own = read(path);
    if (path !== rule.info.crmField || (own !== null && own !== '' && own !== undefined)) return own;
    for (const alt of rule.orFrom) {
      const v = read(alt);
      if (v !== null && v !== '' && v !== undefined) return v;
    }
    return own;
  };
}

/** Truncates by code points so a multi-byte name is never cut inside a character. */
export function truncate(value: CanonicalValue, max: number | null): CanonicalValue {
  if (max === null || typeof value !== 'string') return value;
  const points = Array.from(value);
  return points.length <= max ? value : points.slice(0, max).join('');
}

const readOrder = new WeakMap<CompiledObject, CompiledRule[]>();

/** The rules that read the CRM, currency first so money rules can round to the record's currency. */
function readingRules(object: CompiledObject): CompiledRule[] {
  let rules = readOrder.get(object);
  if (!rules) {
    rules = object.rules.filter(readsFromCrm).sort((a, b) => Number(b.info.path === CURRENCY_PATH) - Number(a.info.path === CURRENCY_PATH));
    readOrder.set(object, rules);
  }
  return rules;
}

/** One rule's canonical value from the record: fallbacks, default, and a type check. */
export function convertRuleFromCrm(rule: CompiledRule, read: ReadCrm, env: TransformEnv): FromCrmOutcome {
  const out = rule.transform.fromCrm(withFallback(rule, read), env);
  if (out.kind !== 'value') return out;
  const value = isEmpty(out.value) && rule.defaultValue !== undefined ? rule.defaultValue : out.value;
  const bad = checkCanonical(rule.type, value);
  return bad ? { kind: 'problem', message: bad } : { kind: 'value', value };
}

/**
 * Canonical values of every rule that reads the CRM; absent fields stay absent. A single-currency
 * org's amounts are all in the mapping's `currency`.
 */
export function fromCrm(object: CompiledObject, record: CrmRecord, ctx: MappingContext): { values: FieldSet; problems: FieldProblem[] } {
  const values: FieldSet = object.currency === null ? {} : { [CURRENCY_PATH]: object.currency };
  const problems: FieldProblem[] = [];
  const env: TransformEnv = { ctx, currency: object.currency, mode: 'update' };
  const read = recordReader(record);
  for (const rule of readingRules(object)) {
    const out = convertRuleFromCrm(rule, read, env);
    if (out.kind === 'absent') continue;
    if (out.kind === 'problem') {
      problems.push({ path: rule.info.path, crmField: rule.info.crmField, message: out.message });
      continue;
    }
    values[rule.info.path] = out.value;
    if (rule.info.path === CURRENCY_PATH && typeof out.value === 'string') env.currency = out.value;
  }
  return { values, problems };
}

/** CRM fields for the given values, for the rules that write the CRM in `mode`. */
export function toCrmFields(
  object: CompiledObject,
  args: { values: FieldSet; ctx: MappingContext; mode: 'create' | 'update'; current?: CrmRecord },
): { fields: Record<string, FieldValue>; problems: FieldProblem[] } {
  const { values, mode, current } = args;
  const currency = values[CURRENCY_PATH];
  const env: TransformEnv = { ctx: args.ctx, currency: typeof currency === 'string' ? currency : object.currency, mode };
  const fields: Record<string, FieldValue> = mode === 'create' ? { ...object.onCreate } : {};
  const problems: FieldProblem[] = [];
  const problem = (rule: CompiledRule, message: string): void =>
    void problems.push({ path: rule.info.path, crmField: rule.info.crmField, message });
  for (const rule of object.rules) {
    if (!writesToCrm(rule, mode) || !Object.hasOwn(values, rule.info.path)) continue;
    let value = values[rule.info.path] ?? null;
    if (isEmpty(value) && rule.defaultValue !== undefined) value = rule.defaultValue;
    if (rule.required === 'always' && isBlank(value)) {
      problem(rule, `required: no value for ${rule.info.crmField}, so it is not written`);
      continue;
    }
    const bad = checkCanonical(rule.type, value);
    if (bad) {
      problem(rule, bad);
      continue;
    }
    value = truncate(value, rule.maxLength);
    if (current) {
      const now = convertRuleFromCrm(rule, recordReader(current), env);
      if (now.kind === 'value' && sameCanonical(now.value, value)) continue;
    }
    const out = rule.transform.toCrm(value, env);
    if (!out.ok) {
      problem(rule, out.message);
      continue;
    }
    for (const [field, v] of Object.entries(out.fields)) {
      // A rule with no CRM value for this one (`New/Pending: null`) leaves a new record the value
      // onCreate gives it (StageName: Prospecting in an org without an On Hold stage).
      if (mode === 'create' && v === null && Object.hasOwn(object.onCreate, field)) continue;
      fields[field] = v;
    }
  }
  return { fields, problems };
}

/**
 * Whether two canonical values of `path` would be read back from the CRM as one: the two-way rule
 * of the path writes them as the same field values ('New/Received' and 'New/Pending' both become
 * On Hold; a long name and its first 120 characters; two instants on one org-zone day). Paths
 * without a two-way rule compare as canonical values.
 */
export function sameForCrm(object: CompiledObject, args: { path: string; a: CanonicalValue; b: CanonicalValue; ctx: MappingContext }): boolean {
  if (sameCanonical(args.a, args.b)) return true;
  const rules = object.rules.filter((r) => r.info.path === args.path && r.info.direction === 'both');
  if (rules.length === 0) return false;
  const env: TransformEnv = { ctx: args.ctx, currency: null, mode: 'update' };
  const write = (rule: CompiledRule, v: CanonicalValue): Record<string, FieldValue> | null => {
    const out = rule.transform.toCrm(truncate(v, rule.maxLength), env);
    return out.ok ? out.fields : null;
  };
  return rules.every((rule) => {
    const [a, b] = [write(rule, args.a), write(rule, args.b)];
    return a !== null && b !== null && sameCanonical(a, b);
  });
}
