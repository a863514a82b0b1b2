/**
 * `crm setup`: the custom fields a mapping names, and the kind of field each needs, read from the
 * rules that use it (a value map needs a picklist of its values, a `dateTime` transform a date and
 * time, the referral id an external id), plus the values the mapping's picklists need.
 *
 * Custom means: a Salesforce name ending in `__c`; a Dataverse column with the publisher prefix of
 * the referral-id column (`cosell_referralid` -> `cosell_`), which no standard column has.
 */
import type { CrmFieldDescription, CrmObjectKind, CrmSystem, FieldValue } from '../../src/domain/crm-record.js';
import type { FieldNeed, PicklistOption, SetupFieldType } from '../../src/domain/crm-setup.js';
import { ASSISTANCE_REQUEST_CODES } from '../../src/domain/referral.js';
import type { CompiledRule } from './compile-rule.js';
import type { CompiledObject } from './compile.js';
import { compiledObjectOf, type PositionOf } from './object-mapping.js';
import type { DocPath, ValueMapRaw } from './transforms/parse-transform.js';
import { mapKey, type MapScalar } from './transforms/value-map.js';
import type { Mapping } from './types.js';

type FieldType = CrmFieldDescription['type'];

/** Text length when the mapping gives none: the longest Salesforce Text field. */
const DEFAULT_TEXT_LENGTH = 255;
/** Referral ids are GUIDs; the sandbox orgs and the docs give the column 64 characters. */
const REFERRAL_ID_LENGTH = 64;

/** The field kind a transform needs, and the existing field types that serve it as well. */
const BY_TRANSFORM: Readonly<Record<string, { type: SetupFieldType; accepts: readonly FieldType[] }>> = {
  text: { type: 'text', accepts: ['string', 'textarea', 'picklist'] },
  list: { type: 'text', accepts: ['string', 'textarea'] },
  currency: { type: 'text', accepts: ['string', 'picklist'] },
  country: { type: 'text', accepts: ['string', 'picklist'] },
  number: { type: 'number', accepts: ['number', 'currency'] },
  money: { type: 'currency', accepts: ['currency', 'number'] },
  boolean: { type: 'checkbox', accepts: ['boolean'] },
  dateOnly: { type: 'date', accepts: ['date'] },
  dateTime: { type: 'datetime', accepts: ['datetime'] },
};

/** Labels of new fields, by the referral path a rule maps (else the field's own name). */
const LABELS: Readonly<Record<string, string>> = {
  id: 'Referral ID',
  status: 'Referral Status',
  statusReason: 'Decline Reason',
  respondBy: 'Respond By',
  microsoftMsxId: 'Microsoft CRM ID',
  'microsoftSide.status': 'Microsoft Co-Sell Status',
  'details.solutions': 'Solution IDs',
  campaignId: 'Partner Center Campaign',
  'customerProfile.duns': 'DUNS Number',
  'inviteContext.assistanceRequestCode': 'How can Microsoft help?',
  'consent.consentToShareReferralWithMicrosoftSellers': 'Share with Microsoft',
};

/** Text lengths a value has by nature, by referral path. */
const LENGTHS: Readonly<Record<string, number>> = {
  // A DUNS number has nine digits.
  'customerProfile.duns': 9,
};

/**
 * How each CRM names the fields an admin adds: Salesforce ends them in `__c`; Dataverse starts them
 * with the publisher prefix, that of the mapping's referral-id column (`cosell_`).
 */
const CUSTOM_NAMES: Readonly<Record<CrmSystem, { isCustom(name: string, prefix: string): boolean; prefixOf(externalIdField: string): string }>> = {
  salesforce: { isCustom: (name) => name.endsWith('__c'), prefixOf: () => '' },
  dynamics: {
    isCustom: (name, prefix) => prefix !== '' && name.startsWith(prefix),
    prefixOf: (field) => /^([a-z][a-z0-9]{1,7}_)/i.exec(field)?.[1]?.toLowerCase() ?? '',
  },
};

/** Whether a field (the last segment of a path) is one an admin adds to the org. */
export function isCustomName(args: { system: CrmSystem; name: string; prefix: string }): boolean {
  return CUSTOM_NAMES[args.system].isCustom(args.name, args.prefix);
}

const lastSegment = (path: string): string => path.split('.').pop() ?? path;

function humanLabel(name: string, prefix: string): string {
  const bare = name.replace(/__c$/, '').replace(prefix, '');
  return bare.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** A text need; a length of null takes the default once every rule on the field is read. */
function textNeed(length: number | null, accepts: readonly FieldType[] = BY_TRANSFORM['text']?.accepts ?? []): Pick<FieldNeed, 'type' | 'length' | 'accepts'> {
  return { type: 'text', length, accepts };
}

function optionsOf(values: readonly MapScalar[], labelOf: (value: string) => string): PicklistOption[] {
  return values.filter((v) => v !== null).map((v) => ({ value: mapKey(v), label: labelOf(mapKey(v)) }));
}

type NeedDraft = Omit<FieldNeed, 'kind' | 'origin' | 'label' | 'custom'> & { label?: string };

/** The need of one rule's own CRM field, or null when it has none setup can make (child rows). */
function ruleNeed(rule: CompiledRule, object: CompiledObject): NeedDraft | null {
  const field = rule.info.crmField;
  const label = LABELS[rule.info.path];
  if (rule.valueMap) {
    const map = rule.valueMap;
    // A Dataverse choice is a number: its label is what the value map says it means.
    const labelOf = (value: string): string => {
      const canonical = map.fromCrm[value];
      return /^-?\d+$/.test(value) && typeof canonical === 'string' ? canonical : value;
    };
    const listed = object.picklists[field];
    const values = listed ?? [...Object.keys(map.fromCrm), ...Object.values(map.toCrm)];
    const options = dedupe(optionsOf(values, labelOf)).map((o) => (rule.info.path === 'status' ? withStatus(o, map) : o));
    const numeric = options.length > 0 && options.every((o) => /^-?\d+$/.test(o.value));
    return { path: field, type: 'picklist', length: null, options, externalId: false, accepts: numeric ? ['picklist', 'number'] : ['picklist', 'string'], ...(label ? { label } : {}) };
  }
  const byTransform = BY_TRANSFORM[rule.transform.name];
  if (!byTransform) return null;
  const base = { path: field, options: [], externalId: false, ...(label ? { label } : {}) };
  if (byTransform.type === 'text') return { ...base, ...textNeed(rule.maxLength ?? LENGTHS[rule.info.path] ?? null, byTransform.accepts) };
  return { ...base, type: byTransform.type, length: null, accepts: byTransform.accepts };
}

/**
 * A status value's meaning, from the value map: `Closed/Won` closes as won, any other `Closed/`
 * closes as lost, the rest are open; the Dataverse state comes from the paired `statecode`. Its
 * label is the substatus (`Declined`) where the value is a number.
 */
function withStatus(option: PicklistOption, map: ValueMapRaw): PicklistOption {
  const canonical = String(map.fromCrm[option.value] ?? '');
  const state = map.pairWith?.values[option.value];
  const label = /^\d+$/.test(option.value) && canonical.includes('/') ? (canonical.split('/')[1] ?? option.label) : option.label;
  return { ...option, label, status: { closed: canonical.startsWith('Closed/'), won: canonical === 'Closed/Won', stateCode: typeof state === 'number' ? state : null } };
}

/** One option per value; a label that says more than the bare value wins. */
function dedupe(options: PicklistOption[]): PicklistOption[] {
  const byValue = new Map<string, PicklistOption>();
  for (const o of options) {
    const found = byValue.get(o.value);
    if (!found || (found.label === found.value && o.label !== o.value)) byValue.set(o.value, found ? { ...found, label: o.label } : o);
  }
  return [...byValue.values()];
}

const checkbox = (path: string, label?: string): NeedDraft => ({ path, type: 'checkbox', length: null, options: [], externalId: false, accepts: ['boolean'], ...(label ? { label } : {}) });

function valueNeed(path: string, value: FieldValue | undefined): NeedDraft {
  return typeof value === 'boolean' || value === undefined ? checkbox(path) : { path, options: [], externalId: false, ...textNeed(null) };
}

/** Two needs of one field (the referral id is both a rule and the external id): one need. */
function merge(a: FieldNeed, b: NeedDraft): FieldNeed {
  return {
    ...a,
    externalId: a.externalId || b.externalId,
    length: a.length === null || b.length === null ? (a.length ?? b.length) : Math.max(a.length, b.length),
    options: dedupe([...a.options, ...b.options]),
  };
}

function objectNeeds(args: { object: CompiledObject; positionOf: PositionOf; file: string; prefix: string }): FieldNeed[] {
  const { object, positionOf, file, prefix } = args;
  const needs = new Map<string, FieldNeed>();
  const add = (at: DocPath, need: NeedDraft | null): void => {
    if (!need) return;
    const custom = isCustomName({ system: object.system, name: lastSegment(need.path), prefix });
    const standardPicklist = !custom && need.type === 'picklist' && !need.path.includes('.');
    if (!custom && !standardPicklist) return;
    const { line, path } = positionOf({ at, message: '' });
    const found = needs.get(need.path);
    if (found) return void needs.set(need.path, merge(found, need));
    needs.set(need.path, { ...need, kind: object.kind, custom, label: need.label ?? humanLabel(lastSegment(need.path), prefix), origin: `${file}:${line} ${path}` });
  };
  const kind = object.kind;
  add([kind, 'externalIdField'], { path: object.externalIdField, options: [], externalId: true, label: 'Referral ID', ...textNeed(REFERRAL_ID_LENGTH, ['string']) });
  object.participation.forEach((c, i) => add([kind, 'participation', i], c.equals === undefined || typeof c.equals === 'boolean' ? checkbox(c.field, 'Sync with Partner Center') : valueNeed(c.field, c.equals)));
  const { helpField, helpValues, helpNotesField, shareField } = object.dealType;
  if (helpField) {
    const codes = object.picklists[helpField] ?? (helpValues ? [...helpValues.keys()] : ASSISTANCE_REQUEST_CODES.filter((c) => c !== 'Unknown'));
    add([kind, 'dealType', 'helpField'], { path: helpField, type: 'picklist', length: null, options: optionsOf(codes, (v) => v), externalId: false, accepts: ['picklist', 'string'], label: LABELS['inviteContext.assistanceRequestCode'] ?? 'Help' });
  }
  if (shareField) add([kind, 'dealType', 'shareField'], checkbox(shareField, LABELS['consent.consentToShareReferralWithMicrosoftSellers']));
  if (helpNotesField) add([kind, 'dealType', 'helpNotesField'], { path: helpNotesField, options: [], externalId: false, label: 'Microsoft Help Notes', ...textNeed(null) });
  for (const rule of object.rules) if (rule.transform.name !== 'members') add(rule.at, ruleNeed(rule, object));
  for (const [field, value] of Object.entries(object.onCreate)) add([kind, 'onCreate', field], valueNeed(field, value));
  // The values the mapping knows of the standard picklists it writes (StageName, statuscode).
  const written = new Set(object.rules.flatMap((r) => r.transform.writePaths()));
  for (const [field, values] of Object.entries(object.picklists)) {
    if (!written.has(field) || isCustomName({ system: object.system, name: field, prefix })) continue;
    add([kind, 'picklists', field], { path: field, type: 'picklist', length: null, options: optionsOf(values, (v) => v), externalId: false, accepts: ['picklist'] });
  }
  return [...needs.values()].map((n) => (n.type === 'text' && n.length === null ? { ...n, length: DEFAULT_TEXT_LENGTH } : n));
}

/** The Dataverse publisher prefix of a mapping: that of its referral-id column ('' for Salesforce). */
export function customPrefixOf(mapping: Mapping): string {
  return CUSTOM_NAMES[mapping.system].prefixOf(mapping.opportunity.externalIdField);
}

/**
 * The custom fields (opportunity, then lead) the mapping names, one need per field and object
 * kind, with where the mapping asks for it; and the standard picklists whose values it lists.
 */
export function fieldNeeds(mapping: Mapping): FieldNeed[] {
  const prefix = customPrefixOf(mapping);
  return (['opportunity', 'lead'] as CrmObjectKind[]).flatMap((kind) => {
    const { compiled, positionOf } = compiledObjectOf(mapping[kind]);
    const needs = objectNeeds({ object: compiled, positionOf, file: mapping.file, prefix });
    if (kind !== 'opportunity') return needs;
    const named = new Set(needs.map((n) => n.path));
    return [...needs, ...registrationNeeds(mapping, prefix).filter((n) => !named.has(n.path))];
  });
}

/** The opportunity's contract and registration-status fields the mapping's `health.registration` names. */
function registrationNeeds(mapping: Mapping, prefix: string): FieldNeed[] {
  const r = mapping.health?.registration ?? null;
  if (r === null) return [];
  const date = (label: string): NeedDraft => ({ path: '', type: 'date', length: null, options: [], externalId: false, accepts: ['date', 'datetime'], label });
  const drafts: [string, string | null, NeedDraft][] = [
    ['startDate', r.startDate, date('Contract Start Date')],
    ['endDate', r.endDate, date('Contract End Date')],
    ['signDate', r.signDate, date('Contract Sign Date')],
    ['term', r.term, { path: '', type: 'picklist', length: null, options: optionsOf(['Finite', 'Perpetual'], (v) => v), externalId: false, accepts: ['picklist', 'string'], label: 'Contract Term' }],
    ['value', r.value, { path: '', type: 'currency', length: null, options: [], externalId: false, accepts: ['currency', 'number'], label: 'Contract Value' }],
    ['statusField', r.statusField, { path: '', ...textNeed(40), options: [], externalId: false, label: 'Deal Registration Status' }],
  ];
  return drafts.flatMap(([key, field, draft]) =>
    field === null || field.includes('.') || !isCustomName({ system: mapping.system, name: field, prefix })
      ? []
      : [{ ...draft, path: field, kind: 'opportunity' as const, custom: true, label: draft.label ?? humanLabel(field, prefix), origin: `${mapping.file} health.registration.${key}` }],
  );
}
