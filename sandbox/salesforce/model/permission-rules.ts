import type { SalesforceOrg } from './org.js';
import { sfError, type SfError } from './sf-error.js';
import type { Row } from './table.js';

/**
 * What Salesforce checks when field access is granted (Object Reference, FieldPermissions and
 * PermissionSetAssignment): `Field` names an existing field of `SobjectType` as `Object.Field`
 * (a restricted picklist of the org's fields), edit needs read, one row per permission set and
 * field, one assignment per user and permission set.
 */
export function checkFieldPermission(org: SalesforceOrg, row: Row): SfError[] {
  const name = String(row['Field'] ?? '');
  const [objectName, fieldName, extra] = name.split('.');
  const object = objectName === undefined ? undefined : org.catalog.object(objectName);
  const target = fieldName === undefined || extra !== undefined ? undefined : object?.field(fieldName);
  if (!object || !target || object.def.name.toLowerCase() !== String(row['SobjectType'] ?? '').toLowerCase()) {
    return [sfError('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `Field Name: bad value for restricted picklist field: ${name}`, ['Field'])];
  }
  if (row['PermissionsEdit'] === true && row['PermissionsRead'] !== true) {
    return [sfError('FIELD_INTEGRITY_EXCEPTION', 'Permission Read is required when Permission Edit is enabled', ['PermissionsRead'])];
  }
  const table = org.table('FieldPermissions');
  for (const id of table?.childIds('ParentId', String(row['ParentId'])) ?? []) {
    const other = table?.get(id);
    if (id !== row['Id'] && other && String(other['Field']).toLowerCase() === name.toLowerCase()) {
      return [sfError('DUPLICATE_VALUE', `duplicate value found: Field duplicates value on record with id: ${id}`)];
    }
  }
  return [];
}

export function checkAssignment(org: SalesforceOrg, row: Row): SfError[] {
  const table = org.table('PermissionSetAssignment');
  for (const id of table?.childIds('PermissionSetId', String(row['PermissionSetId'])) ?? []) {
    if (id !== row['Id'] && table?.get(id)?.['AssigneeId'] === row['AssigneeId']) {
      return [sfError('DUPLICATE_VALUE', `duplicate value found: AssigneeId duplicates value on record with id: ${id}`)];
    }
  }
  return [];
}
