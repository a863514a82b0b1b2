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

/** `Text(64), External ID, unique`, `Picklist (GeneralOrOther, ...)`, `Yes/No`. */
export function describeNeed(need: FieldNeed, system: CrmSystem): string {
  const longText = system === 'salesforce' && need.type === 'text' && (need.length ?? 0) > SALESFORCE_TEXT_MAX;
  const name = longText ? 'Long Text Area' : NAMES[system][need.type];
  const length = need.type === 'text' && need.length !== null ? `(${need.length})` : '';
  const values = need.type === 'picklist' && need.options.length > 0 ? ` (${need.options.map((o) => (o.label === o.value ? o.value : `${o.value} ${o.label}`)).join(', ')})` : '';
  const key = need.externalId ? (system === 'salesforce' ? ', External ID, unique' : ', alternate key') : '';
  return `${name}${length}${values}${key}`;
}

type FixKind = 'wrongType' | 'externalId' | 'picklistValues';

/** Where in the CRM's setup screens an admin fixes it. */
export function fixFor(args: { system: CrmSystem; kind: FixKind; object: string; field: string; need: FieldNeed }): string {
  const { system, object, field, need } = args;
  const kindText = describeNeed(need, system);
  if (system === 'salesforce') {
    const place = `Setup > Object Manager > ${object} > Fields & Relationships > ${field}`;
    if (args.kind === 'wrongType') return `in ${place}, Change Field Type to ${kindText}; or map another field (setup never changes an existing field)`;
    if (args.kind === 'externalId') return `in ${place}, Edit and tick External ID and Unique`;
    return field === 'StageName'
      ? `in ${place}, add the values under Opportunity Stages (each Open, or Closed/Won/Lost, as the mapping's fromCrm reads it); or drop them from the mapping's picklists block`
      : `in ${place}, add the values under the picklist's values; or drop them from the mapping`;
  }
  const place = `Power Apps > Tables > ${object} > Columns > ${field}`;
  if (args.kind === 'wrongType') return `Dataverse cannot change a column's type: delete ${field} in ${place} and run setup again, or map another column (setup never changes an existing column)`;
  if (args.kind === 'externalId') return `in Power Apps > Tables > ${object} > Keys, add a key on ${field}`;
  return field === 'statuscode'
    ? `in ${place}, add the status reasons with these values (under the state the mapping's fromCrm gives them); or drop them from the mapping's picklists block`
    : `in ${place}, add the choices; or drop them from the mapping`;
}
