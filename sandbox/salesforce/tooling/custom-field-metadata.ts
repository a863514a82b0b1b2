/**
 * `CustomField.Metadata` of the Tooling API (Salesforce Tooling API Developer Guide, CustomField;
 * Metadata API Developer Guide, CustomField) to and from the emulator's FieldDef. Covers the
 * types a mapping uses: Checkbox, Text, TextArea, LongTextArea, Url, Email, Phone, Date,
 * DateTime, Number, Currency, Percent and Picklist (a local value set).
 */
import { requestError } from '../model/sf-error.js';
import { field, type FieldDef, type FieldType } from '../schema/field-def.js';

export interface PicklistValueMeta {
  fullName: string;
  label?: string;
  default?: boolean;
}

export interface CustomFieldMetadata {
  type?: string;
  label?: string;
  length?: number;
  precision?: number;
  scale?: number;
  visibleLines?: number;
  defaultValue?: string | null;
  externalId?: boolean;
  unique?: boolean;
  caseSensitive?: boolean;
  required?: boolean;
  description?: string | null;
  inlineHelpText?: string | null;
  valueSet?: { restricted?: boolean; valueSetDefinition?: { sorted?: boolean; value?: PicklistValueMeta[] } } | null;
}

const invalid = (message: string): Error => requestError(400, 'FIELD_INTEGRITY_EXCEPTION', message);

const SIMPLE: Readonly<Record<string, FieldType>> = { Url: 'url', Email: 'email', Phone: 'phone', Date: 'date', DateTime: 'datetime' };
const NUMERIC: Readonly<Record<string, FieldType>> = { Number: 'double', Currency: 'currency', Percent: 'percent' };

/** The FieldDef a Metadata creates; a Metadata the API would refuse throws its error. */
export function fieldFromMetadata(name: string, meta: CustomFieldMetadata): FieldDef {
  const label = meta.label?.trim();
  if (!label) throw invalid('Must specify label for a CustomField');
  const base = { label, externalId: meta.externalId === true, unique: meta.unique === true, custom: true };
  const type = meta.type ?? '';
  if (type === 'Checkbox') {
    if (meta.defaultValue !== 'true' && meta.defaultValue !== 'false') throw invalid(`Must specify 'defaultValue' ('true' or 'false') for a CustomField of type Checkbox`);
    return field(name, 'boolean', { ...base, defaultValue: meta.defaultValue === 'true' });
  }
  if (type === 'Text') return field(name, 'string', { ...base, length: lengthOf(meta, 1, 255, type) });
  if (type === 'TextArea') return field(name, 'textarea', { ...base, length: 255 });
  if (type === 'LongTextArea') {
    if (meta.visibleLines === undefined) throw invalid(`Must specify 'visibleLines' for a CustomField of type LongTextArea`);
    return field(name, 'textarea', { ...base, length: lengthOf(meta, 256, 131072, type) });
  }
  const simple = SIMPLE[type];
  if (simple) return field(name, simple, { ...base, length: simple === 'url' || simple === 'email' ? 255 : simple === 'phone' ? 40 : 0 });
  const numeric = NUMERIC[type];
  if (numeric) {
    const precision = meta.precision ?? 18;
    const scale = meta.scale ?? 0;
    if (precision < 1 || precision > 18 || scale < 0 || scale > precision) throw invalid(`precision must be 1 to 18 and scale 0 to precision for a CustomField of type ${type}`);
    return field(name, numeric, { ...base, precision, scale });
  }
  if (type === 'Picklist') {
    const values = meta.valueSet?.valueSetDefinition?.value ?? [];
    if (values.length === 0) throw invalid('Must specify a valueSet with at least one value for a CustomField of type Picklist');
    const names = values.map((v) => v.fullName);
    const duplicate = names.find((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) !== i);
    if (duplicate !== undefined) throw invalid(`Duplicate picklist value: ${duplicate}`);
    const fallback = values.find((v) => v.default === true)?.fullName;
    return field(name, 'picklist', {
      ...base,
      length: 255,
      picklist: { values: names, restricted: meta.valueSet?.restricted === true, ...(fallback !== undefined ? { defaultValue: fallback } : {}) },
    });
  }
  throw invalid(`The emulator does not create CustomFields of type '${type}'`);
}

function lengthOf(meta: CustomFieldMetadata, min: number, max: number, type: string): number {
  if (meta.length === undefined) throw invalid(`Must specify 'length' for a CustomField of type ${type}`);
  if (!Number.isInteger(meta.length) || meta.length < min || meta.length > max) throw invalid(`length must be from ${min} to ${max} for a CustomField of type ${type}`);
  return meta.length;
}

/** The Metadata a Tooling API read returns for a field. */
export function metadataOf(def: FieldDef): CustomFieldMetadata {
  const common = { label: def.label, externalId: def.externalId, unique: def.unique, required: false, description: null, inlineHelpText: null };
  switch (def.type) {
    case 'boolean':
      return { ...common, type: 'Checkbox', defaultValue: String(def.defaultValue === true) };
    case 'string':
      return { ...common, type: 'Text', length: def.length };
    case 'textarea':
      return def.length > 255 ? { ...common, type: 'LongTextArea', length: def.length, visibleLines: 3 } : { ...common, type: 'TextArea' };
    case 'picklist':
    case 'multipicklist':
      return {
        ...common,
        type: def.type === 'picklist' ? 'Picklist' : 'MultiselectPicklist',
        valueSet: {
          restricted: def.picklist?.restricted ?? false,
          valueSetDefinition: { sorted: false, value: (def.picklist?.values ?? []).map((v) => ({ fullName: v, label: v, default: v === def.picklist?.defaultValue })) },
        },
      };
    case 'double':
    case 'int':
      return { ...common, type: 'Number', precision: def.precision, scale: def.scale };
    case 'currency':
      return { ...common, type: 'Currency', precision: def.precision, scale: def.scale };
    case 'percent':
      return { ...common, type: 'Percent', precision: def.precision, scale: def.scale };
    default: {
      const named = Object.entries(SIMPLE).find(([, t]) => t === def.type)?.[0];
      return { ...common, type: named ?? (def.type === 'reference' ? 'Lookup' : def.type) };
    }
  }
}

/**
 * A Metadata update of an existing field: the type stays (a type change is out of the
 * emulator's scope and refused), everything else follows the new Metadata.
 */
export function updatedField(current: FieldDef, meta: CustomFieldMetadata): FieldDef {
  const next = fieldFromMetadata(current.name, meta);
  if (next.type !== current.type) throw invalid(`The emulator does not change the type of ${current.name} (${metadataOf(current).type ?? current.type} to ${meta.type ?? ''})`);
  return next;
}
