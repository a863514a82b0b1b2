/**
 * Field and object metadata, shaped after the describe result (Salesforce REST API Developer Guide, "sObject Describe") so the
 * same table drives describe, validation, SOQL binding and output formatting.
 */

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'reference'
  | 'email'
  | 'phone'
  | 'url'
  | 'address';

export interface PicklistDef {
  values: readonly string[];
  restricted: boolean;
  defaultValue?: string;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  /** Characters for text types, 0 otherwise. */
  length: number;
  precision: number;
  scale: number;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  externalId: boolean;
  unique: boolean;
  custom: boolean;
  calculated: boolean;
  referenceTo: readonly string[];
  relationshipName: string | null;
  picklist: PicklistDef | null;
  /** Value a create gets when the field is absent (booleans default to false). */
  defaultValue: string | number | boolean | null;
}

export interface ChildRelationshipDef {
  relationshipName: string;
  childSObject: string;
  field: string;
  cascadeDelete: boolean;
}

export interface ObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  /** Whether a deleted row goes to the Recycle Bin (OpportunityTeamMember does not). */
  recycleBin: boolean;
  fields: readonly FieldDef[];
  childRelationships: readonly ChildRelationshipDef[];
}

type FieldInit = Partial<Omit<FieldDef, 'name' | 'type'>> & { label?: string };

const NUMERIC: Record<string, [number, number]> = {
  currency: [18, 2],
  double: [18, 2],
  percent: [3, 0],
  int: [9, 0],
};

/** A field with the defaults of an ordinary editable, nillable field. */
export function field(name: string, type: FieldType, init: FieldInit = {}): FieldDef {
  const [precision, scale] = NUMERIC[type] ?? [0, 0];
  const isBool = type === 'boolean';
  return {
    name,
    label: init.label ?? labelOf(name),
    type,
    length: init.length ?? (type === 'id' || type === 'reference' ? 18 : 0),
    precision: init.precision ?? precision,
    scale: init.scale ?? scale,
    nillable: init.nillable ?? !isBool,
    createable: init.createable ?? true,
    updateable: init.updateable ?? true,
    defaultedOnCreate: init.defaultedOnCreate ?? isBool,
    externalId: init.externalId ?? false,
    unique: init.unique ?? false,
    custom: init.custom ?? name.endsWith('__c'),
    calculated: init.calculated ?? false,
    referenceTo: init.referenceTo ?? [],
    relationshipName: init.relationshipName ?? null,
    picklist: init.picklist ?? null,
    defaultValue: init.defaultValue ?? (isBool ? false : null),
  };
}

export function text(name: string, length: number, init: FieldInit = {}): FieldDef {
  return field(name, 'string', { ...init, length });
}

export function picklist(name: string, values: readonly string[], init: FieldInit & { restricted?: boolean } = {}): FieldDef {
  const { restricted = false, ...rest } = init;
  const def: PicklistDef = { values, restricted };
  if (typeof rest.defaultValue === 'string') def.defaultValue = rest.defaultValue;
  return field(name, 'picklist', { length: 255, ...rest, picklist: def });
}

/** A lookup; the relationship name drops the `Id` suffix like the standard objects do. */
export function reference(name: string, target: string, init: FieldInit = {}): FieldDef {
  return field(name, 'reference', {
    referenceTo: [target],
    relationshipName: name.endsWith('Id') ? name.slice(0, -2) : name.replace(/__c$/, '__r'),
    ...init,
  });
}

/** Read-only for everyone (system-maintained or derived). */
export function readOnly(def: FieldDef): FieldDef {
  return { ...def, createable: false, updateable: false, defaultedOnCreate: true };
}

/** Required on create: not nillable and not defaulted. */
export function required(def: FieldDef): FieldDef {
  return { ...def, nillable: false, defaultedOnCreate: false };
}

function labelOf(name: string): string {
  return name
    .replace(/__c$/, '')
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/ Id$/, ' ID');
}
