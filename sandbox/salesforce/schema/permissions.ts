import { field, readOnly, reference, required, text, type ObjectDef } from './field-def.js';
import { systemFields } from './system-fields.js';

/**
 * Field access for the integration user: a permission set, its field permissions, and its
 * assignment to a user (Salesforce Object Reference: PermissionSet, FieldPermissions,
 * PermissionSetAssignment). Written through the REST API like any sObject; none goes to the
 * Recycle Bin.
 */
export const PERMISSION_SET: ObjectDef = {
  name: 'PermissionSet',
  label: 'Permission Set',
  labelPlural: 'Permission Sets',
  keyPrefix: '0PS',
  createable: true,
  updateable: true,
  deletable: true,
  recycleBin: false,
  fields: [
    ...systemFields(),
    required(text('Name', 80, { unique: true })),
    required(text('Label', 80)),
    text('Description', 255),
    readOnly(field('IsOwnedByProfile', 'boolean', { nillable: false, label: 'Is Owned By Profile' })),
  ],
  childRelationships: [
    { relationshipName: 'FieldPerms', childSObject: 'FieldPermissions', field: 'ParentId', cascadeDelete: true },
    { relationshipName: 'Assignments', childSObject: 'PermissionSetAssignment', field: 'PermissionSetId', cascadeDelete: true },
  ],
};

export const FIELD_PERMISSIONS: ObjectDef = {
  name: 'FieldPermissions',
  label: 'Field Permissions',
  labelPlural: 'Field Permissions',
  keyPrefix: '01k',
  createable: true,
  updateable: true,
  deletable: true,
  recycleBin: false,
  fields: [
    ...systemFields(),
    required(reference('ParentId', 'PermissionSet', { label: 'Parent ID', updateable: false })),
    required(text('SobjectType', 40, { label: 'Sobject Type Name', updateable: false })),
    required(text('Field', 255, { label: 'Field Name', updateable: false })),
    field('PermissionsRead', 'boolean', { label: 'Read Access' }),
    field('PermissionsEdit', 'boolean', { label: 'Edit Access' }),
  ],
  childRelationships: [],
};

export const PERMISSION_SET_ASSIGNMENT: ObjectDef = {
  name: 'PermissionSetAssignment',
  label: 'Permission Set Assignment',
  labelPlural: 'Permission Set Assignments',
  keyPrefix: '0Pa',
  createable: true,
  updateable: false,
  deletable: true,
  recycleBin: false,
  fields: [
    ...systemFields(),
    required(reference('AssigneeId', 'User', { label: 'Assignee ID', updateable: false })),
    required(reference('PermissionSetId', 'PermissionSet', { label: 'Permission Set ID', updateable: false })),
  ],
  childRelationships: [],
};
