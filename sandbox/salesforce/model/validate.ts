import type { FieldDef } from '../schema/field-def.js';
import { toId18 } from './ids.js';
import type { SalesforceOrg } from './org.js';
import { sfError, type SfError } from './sf-error.js';
import type { Row, Table, Value } from './table.js';

const TEXT_TYPES = new Set(['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'multipicklist']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type WriteMode = 'create' | 'update';

/**
 * Per-record checks in the order Salesforce reports them, with the real codes
 * (Salesforce REST API Developer Guide, "sObject Rows", "Status Codes and Error Responses"): read-only fields, then field values, then required fields,
 * then uniqueness. The first stage that finds something decides the record's errors.
 * Restricted picklist values and reference ids are normalised in `changes` on the way.
 */
export function validateRecord({
  org,
  table,
  changes,
  mode,
  existing,
  checkUnique = true,
}: {
  org: SalesforceOrg;
  table: Table;
  changes: Row;
  mode: WriteMode;
  existing?: Row;
  checkUnique?: boolean;
}): SfError[] {
  const fields = Object.keys(changes).map((name) => table.schema.field(name) as FieldDef);
  const readOnly = fields.filter((f) => (mode === 'create' ? !f.createable : !f.updateable)).map((f) => f.name);
  if (readOnly.length > 0) {
    return [
      sfError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${readOnly.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        readOnly,
      ),
    ];
  }
  const valueErrors = fields.flatMap((f) => checkValue(org, f, changes));
  if (valueErrors.length > 0) return valueErrors;
  // A non-nillable field may be left out only when Salesforce defaults it on create; sent
  // blank, it is missing either way.
  const missing = table.schema.def.fields
    .filter((f) => !f.nillable && (mode === 'create' ? f.createable : f.updateable))
    .filter((f) => (f.name in changes ? isBlank(changes[f.name]) : mode === 'create' && !f.defaultedOnCreate))
    .map((f) => f.name);
  if (missing.length > 0) {
    return [sfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)];
  }
  const id = existing?.['Id'];
  for (const f of checkUnique ? fields : []) {
    if (!f.unique || isBlank(changes[f.name])) continue;
    const other = table.idsByUnique(f.name, changes[f.name] ?? null).find((o) => o !== id && table.get(o)?.['IsDeleted'] !== true);
    if (other !== undefined) {
      return [sfError('DUPLICATE_VALUE', `duplicate value found: ${f.name} duplicates value on record with id: ${other}`, [])];
    }
  }
  return [];
}

function isBlank(value: Value | undefined): boolean {
  return value === undefined || value === null || value === '';
}

function checkValue(org: SalesforceOrg, f: FieldDef, changes: Row): SfError[] {
  const value = changes[f.name];
  if (value === null || value === undefined) return [];
  if (TEXT_TYPES.has(f.type) && typeof value === 'string' && f.length > 0 && value.length > f.length) {
    return [sfError('STRING_TOO_LONG', `${f.label}: data value too large: ${value.slice(0, 50)} (max length=${f.length})`, [f.name])];
  }
  if (f.picklist?.restricted && typeof value === 'string') {
    const match = f.picklist.values.find((v) => v.toLowerCase() === value.toLowerCase());
    if (match === undefined) {
      return [sfError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${f.label}: bad value for restricted picklist field: ${value}`, [f.name])];
    }
    changes[f.name] = match;
  }
  if (f.type === 'email' && typeof value === 'string' && value !== '' && !EMAIL.test(value)) {
    return [sfError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${value}`, [f.name])];
  }
  if ((f.type === 'currency' || f.type === 'double' || f.type === 'percent' || f.type === 'int') && typeof value === 'number') {
    if (Math.abs(value) >= 10 ** (f.precision - f.scale)) {
      return [sfError('NUMBER_OUTSIDE_VALID_RANGE', `${f.label}: value outside of valid range on numeric field: ${value}`, [f.name])];
    }
  }
  if (f.type === 'reference' && typeof value === 'string' && value !== '') return checkReference(org, f, changes, value);
  return [];
}

function checkReference(org: SalesforceOrg, f: FieldDef, changes: Row, value: string): SfError[] {
  const id = toId18(value);
  if (id === undefined) {
    return [sfError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${value}`, [f.name])];
  }
  const target = org.tableOfId(id);
  const row = target?.get(id);
  if (!target || !f.referenceTo.includes(target.schema.def.name) || !row) {
    return [sfError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [f.name])];
  }
  if (row['IsDeleted'] === true) return [sfError('ENTITY_IS_DELETED', 'entity is deleted', [f.name])];
  changes[f.name] = id;
  return [];
}
