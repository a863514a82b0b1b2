/**
 * How setup names field kinds and tells an admin to fix what it will not change, in each CRM's
 * own words (Salesforce Setup field types; Power Apps column data types).
 */
import type { CrmSystem } from '../domain/crm-record.js';
import type { FieldNeed, SetupFieldType } from '../domain/crm-setup.js';

/** The longest Salesforce Text field; longer text is a Long Text Area. */
export const SALESFORCE_TEXT_MAX = 255;

const NAMES: Readonly<Record<CrmSystem, Readonly<Record<SetupFieldType, string>>>> = {
  salesforce: { text: 'Text', checkbox: 'Checkbox', number: 'Number', currency: 'Currency', date: 'Date', datetime: 'Date/Time', picklist: 'Picklist' },
  dynamics: { text: 'Text', checkbox: 'Yes/No', number: 'Decimal number', currency: 'Currency', date: 'Date only', datetime: 'Date and time', picklist: 'Choice' },
};

/** Text longer than `max` is another kind of field, where the CRM has one. */
const LONG_TEXT: Readonly<Record<CrmSystem, { max: number; name: string } | null>> = {
  salesforce: { max: SALESFORCE_TEXT_MAX, name: 'Long Text Area' },
  dynamics: null,
};

/** What makes the referral-id field a key inbound creates are upserted on. */
const KEY_WORDS: Readonly<Record<CrmSystem, string>> = { salesforce: ', External ID, unique', dynamics: ', alternate key' };

/** `Text(64), External ID, unique`, `Picklist (GeneralOrOther, ...)`, `Yes/No`. */
export function describeNeed(need: FieldNeed, system: CrmSystem): string {
  const long = LONG_TEXT[system];
  const name = long && need.type === 'text' && (need.length ?? 0) > long.max ? long.name : NAMES[system][need.type];
  const length = need.type === 'text' && need.length !== null ? `(${need.length})` : '';
  const values = need.type === 'picklist' && need.options.length > 0 ? ` (${need.options.map((o) => (o.label === o.value ? o.value : `${o.value} ${o.label}`)).join(', ')})` : '';
  const key = need.externalId ? KEY_WORDS[system] : '';
  return `${name}${length}${values}${key}`;
}

type FixKind = 'wrongType' | 'externalId' | 'picklistValues';

interface FixArgs {
  kind: FixKind;
  object: string;
  field: string;
  /** The kind of field the mapping needs, in the CRM's words. */
  kindText: string;
}

/** Where in each CRM's setup screens an admin fixes it. */
const FIXES: Readonly<Record<CrmSystem, (args: FixArgs) => string>> = {
  salesforce: ({ kind, object, field, kindText }) => {
    const place = `Setup > Object Manager > ${object} > Fields & Relationships > ${field}`;
    if (kind === 'wrongType') return `in ${place}, Change Field Type to ${kindText}; or map another field (setup never changes an existing field)`;
    if (kind === 'externalId') return `in ${place}, Edit and tick External ID and Unique`;
    return field === 'StageName'
      ? `in ${place}, add the values under Opportunity Stages (each Open, or Closed/Won/Lost, as the mapping's fromCrm reads it); or drop them from the mapping's picklists block`
      : `in ${place}, add the values under the picklist's values; or drop them from the mapping`;
  },
  dynamics: ({ kind, object, field }) => {
    const place = `Power Apps > Tables > ${object} > Columns > ${field}`;
    if (kind === 'wrongType') return `Dataverse cannot change a column's type: delete ${field} in ${place} and run setup again, or map another column (setup never changes an existing column)`;
    if (kind === 'externalId') return `in Power Apps > Tables > ${object} > Keys, add a key on ${field}`;
    return field === 'statuscode'
      ? `in ${place}, add the status reasons with these values (under the state the mapping's fromCrm gives them); or drop them from the mapping's picklists block`
      : `in ${place}, add the choices; or drop them from the mapping`;
  },
};

/** Where in the CRM's setup screens an admin fixes it. */
export function fixFor(args: { system: CrmSystem; kind: FixKind; object: string; field: string; need: FieldNeed }): string {
  return FIXES[args.system]({ kind: args.kind, object: args.object, field: args.field, kindText: describeNeed(args.need, args.system) });
}
