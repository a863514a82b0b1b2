/**
 * The runtime ObjectMapping built from a compiled object: participation, deal type, and the
 * conversions in both directions.
 */
import type { AccountInput, ContactInput } from '../../src/domain/customer.js';
import type { CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import { ASSISTANCE_REQUEST_CODES, type AssistanceRequestCode, type DealType, type Referral } from '../../src/domain/referral.js';
import type { CompiledObject } from './compile.js';
import { fromCrm, sameForCrm, toCrmFields } from './crm-side.js';
import type { RawCondition } from './file-schema.js';
import { checkCanonical } from './canonical-values.js';
import { REFERRAL_PATHS, type PathType } from './referral-paths.js';
import { toReferralDraft } from './referral-draft.js';
import { toReferralPatch } from './referral-patch.js';
import { describeCompiledRule } from './rule-text.js';
import type { LocalProblem } from './transforms/parse-transform.js';
import { mapKey } from './transforms/value-map.js';
import type { CanonicalValue, FieldProblem, FieldSet, ObjectMapping, RuleInfo } from './types.js';

const DEAL_VALUE_PATH = 'details.dealValue';
const COUNTRY_PATH = 'customerProfile.address.country';

/** Where a problem sits in the mapping file the object came from. */
export type PositionOf = (problem: LocalProblem) => { line: number; column: number; path: string };

const compiledOf = new WeakMap<ObjectMapping, { compiled: CompiledObject; positionOf: PositionOf }>();

/** The compiled object behind an ObjectMapping this module built (for the live check and preview). */
export function compiledObjectOf(mapping: ObjectMapping): { compiled: CompiledObject; positionOf: PositionOf } {
  const found = compiledOf.get(mapping);
  if (!found) throw new Error('not an ObjectMapping built by loadMappingFile/parseMapping');
  return found;
}

function holds(condition: RawCondition, value: FieldValue | undefined): boolean {
  const v = value ?? null;
  if (condition.in) return condition.in.some((x) => mapKey(x) === mapKey(v));
  if (condition.notIn) return !condition.notIn.some((x) => mapKey(x) === mapKey(v));
  return mapKey(condition.equals ?? true) === mapKey(v);
}

function dealTypeOf(object: CompiledObject, record: CrmRecord): DealType {
  const { helpField, helpValues, helpNotesField, shareField } = object.dealType;
  const help = helpField ? record.fields[helpField] : undefined;
  if (help !== undefined && help !== null && help !== '') {
    const key = mapKey(help);
    const mapped = helpValues ? helpValues.get(key) : ASSISTANCE_REQUEST_CODES.find((c) => c === key);
    const notes = helpNotesField ? record.fields[helpNotesField] : null;
    // Set means co-sell (as in Microsoft's co-sell connectors' "How can Microsoft help?") even when the value is one the file does not know.
    const code: AssistanceRequestCode = mapped ?? 'GeneralOrOther';
    return { kind: 'coSell', help: code, notes: typeof notes === 'string' && notes !== '' ? notes : null };
  }
  return shareField && record.fields[shareField] === true ? { kind: 'partnerLed' } : { kind: 'private' };
}

/**
 * The country as the org keeps it in free text: what the mapping's country rule writes (the code,
 * or the English name with `country: { as: name }`).
 */
function countryTextOf(object: CompiledObject, code: string | null): string | null {
  const rule = object.rules.find((r) => r.info.path === COUNTRY_PATH && r.transform.name === 'country');
  if (!rule || code === null || code.trim() === '') return code;
  const out = rule.transform.toCrm(code.trim().toUpperCase(), { ctx: { timeZone: 'UTC' }, currency: null, mode: 'create' });
  const text = out.ok ? out.fields[rule.info.crmField] : undefined;
  return typeof text === 'string' ? text : code;
}

function customerFromReferral(object: CompiledObject, referral: Referral): { account: AccountInput | null; contacts: ContactInput[] } {
  const c = referral.customerProfile;
  const street = [c.address.addressLine1, c.address.addressLine2].filter((l): l is string => !!l).join('\n');
  const account: AccountInput | null = c.name
    ? {
        name: c.name,
        street: street || null,
        city: c.address.city,
        // Real data sometimes carries a US state in `region` with `state: null`.
        state: c.address.state ?? c.address.region,
        postalCode: c.address.postalCode,
        country: c.address.country,
        countryText: countryTextOf(object, c.address.country),
        duns: c.ids.find((i) => i.profileType === 'Duns' && i.id !== '')?.id ?? null,
      }
    : null;
  const contacts = c.team
    .map((m) => ({ firstName: m.firstName, lastName: m.lastName, email: m.email, phone: m.phoneNumber, title: m.title }))
    .filter((m) => Object.values(m).some((v) => v !== null && v !== ''));
  return { account, contacts };
}

function readFieldsOf(object: CompiledObject): { readFields: string[]; childFields: Record<string, string[]> } {
  const read = new Set<string>([object.externalIdField, ...object.participation.map((c) => c.field), ...object.extraRead]);
  const { helpField, helpNotesField, shareField } = object.dealType;
  for (const f of [helpField, helpNotesField, shareField]) if (f) read.add(f);
  const childFields: Record<string, string[]> = {};
  for (const rule of object.rules) {
    for (const p of rule.transform.readPaths()) read.add(p);
    for (const p of rule.orFrom) read.add(p);
    for (const [rel, subs] of Object.entries(rule.transform.childFields())) {
      childFields[rel] = [...new Set([...(childFields[rel] ?? []), ...subs])];
      // Connectors plan child subqueries from `Relationship.Field` paths (Salesforce soql.ts).
      for (const sub of subs) read.add(`${rel}.${sub}`);
    }
  }
  return { readFields: [...read], childFields };
}

/**
 * One RuleInfo per referral path, as the engine merges per path. Several rules on one path (a
 * status to StageName both ways and to Referral_Status__c toCrm) merge into one: the rule that
 * reads the CRM names the field and the policy, and the direction is `both` when the path flows
 * both ways across its rules.
 */
function ruleInfosOf(object: CompiledObject): RuleInfo[] {
  const byPath = new Map<string, RuleInfo[]>();
  for (const r of object.rules) byPath.set(r.info.path, [...(byPath.get(r.info.path) ?? []), r.info]);
  return [...byPath.values()].map((infos) => {
    const first = infos[0] as RuleInfo;
    if (infos.length === 1) return first;
    const source = infos.find((i) => i.direction === 'both' || i.direction === 'toPartnerCenter') ?? first;
    const toPc = infos.some((i) => i.direction === 'both' || i.direction === 'toPartnerCenter');
    const toCrm = infos.some((i) => i.direction === 'both' || i.direction === 'toCrm');
    const direction = toPc && toCrm ? 'both' : source.direction;
    return { ...source, direction };
  });
}

/**
 * Codes as Partner Center sends them may be lower-case or empty strings (real data carries empty
 * strings); an empty code is no code.
 */
function normalise(type: PathType, v: CanonicalValue): CanonicalValue {
  if ((type.kind === 'currency' || type.kind === 'country') && typeof v === 'string') return v.trim() === '' ? null : v.trim().toUpperCase();
  return v;
}

function fromReferral(object: CompiledObject, referral: Referral): { values: FieldSet; problems: FieldProblem[] } {
  const values: FieldSet = {};
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const rule of object.rules) {
    if (rule.info.direction === 'toPartnerCenter' || seen.has(rule.info.path)) continue;
    seen.add(rule.info.path);
    const raw = REFERRAL_PATHS[rule.info.path]?.read(referral);
    if (raw === undefined) continue;
    const v = normalise(rule.type, raw);
    const empty = v === null || (Array.isArray(v) && v.length === 0);
    const value = empty && rule.defaultValue !== undefined ? rule.defaultValue : v;
    const bad = checkCanonical(rule.type, value);
    // A value the CRM could not take leaves the CRM field as it is.
    if (bad) problems.push({ path: rule.info.path, crmField: rule.info.crmField, message: bad });
    else values[rule.info.path] = value;
  }
  const foreign = foreignAmount(object, referral, values);
  if (foreign) problems.push(foreign);
  return { values, problems };
}

function crmOwnedFromReferral(object: CompiledObject, referral: Referral): FieldSet {
  const flowsToCrm = new Set(object.rules.filter((r) => r.info.direction !== 'toPartnerCenter').map((r) => r.info.path));
  const values: FieldSet = {};
  for (const rule of object.rules) {
    if (rule.info.direction !== 'toPartnerCenter' || flowsToCrm.has(rule.info.path) || rule.info.path in values) continue;
    const raw = REFERRAL_PATHS[rule.info.path]?.read(referral);
    if (raw === undefined) continue;
    const value = normalise(rule.type, raw);
    if (!checkCanonical(rule.type, value)) values[rule.info.path] = value;
  }
  return values;
}

/**
 * A single-currency org holds every amount in its one currency, and an amount is never converted:
 * a referral valued in another currency cannot be written as it is.
 */
function foreignAmount(object: CompiledObject, referral: Referral, values: FieldSet): FieldProblem | null {
  const amount = values[DEAL_VALUE_PATH];
  const currency = referral.details.currency?.trim().toUpperCase() ?? '';
  if (object.currency === null || typeof amount !== 'number' || currency === '' || currency === object.currency) return null;
  const crmField = object.rules.find((r) => r.info.path === DEAL_VALUE_PATH)?.info.crmField ?? DEAL_VALUE_PATH;
  return { path: DEAL_VALUE_PATH, crmField, message: `the referral's value is ${amount} ${currency}, but this org keeps every amount in ${object.currency} (currency: ${object.currency} in the mapping), and amounts are never converted` };
}


export function buildObjectMapping(object: CompiledObject, positionOf: PositionOf): ObjectMapping {
  const { readFields, childFields } = readFieldsOf(object);
  const mapping: ObjectMapping = {
    kind: object.kind,
    readFields,
    childFields,
    readAlternatives: object.rules.filter((r) => r.orFrom.length > 0).map((r) => [r.info.crmField, ...r.orFrom]),
    externalIdField: object.externalIdField,
    rules: ruleInfosOf(object),
    participates: (record) => object.participation.every((c) => holds(c, record.fields[c.field])),
    dealType: (record) => dealTypeOf(object, record),
    fromCrm: (record, ctx) => fromCrm(object, record, ctx),
    fromReferral: (referral) => fromReferral(object, referral),
    toCrmFields: (args) => toCrmFields(object, args),
    toReferralDraft: (args) => toReferralDraft(object, args),
    toReferralPatch: (changes, current) => toReferralPatch(object, changes, current),
    customerFromReferral: (referral) => customerFromReferral(object, referral),
    crmOwnedFromReferral: (referral) => crmOwnedFromReferral(object, referral),
    sameForCrm: (args) => sameForCrm(object, args),
    checkValue: (path, value) => {
      const rule = object.rules.find((r) => r.info.path === path);
      if (rule === undefined) return `${path} is not mapped`;
      if (value === undefined) return 'no value given';
      // Values reach here parsed from JSON (a person's resolution), so they are canonical-shaped.
      return checkCanonical(rule.type, value as CanonicalValue);
    },
    describeRule: (path) =>
      object.rules
        .filter((r) => r.info.path === path)
        .map(describeCompiledRule)
        .join(' | '),
  };
  compiledOf.set(mapping, { compiled: object, positionOf });
  return mapping;
}
