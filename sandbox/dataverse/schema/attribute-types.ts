/**
 * The metadata types behind `EntityDefinitions(...)/Attributes`: `AttributeMetadata` declares the
 * properties every column has; derived types (`StringAttributeMetadata`, ...) declare the rest.
 * As in the OData model of the Web API, a derived property is only known through its cast
 * segment (`.../Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=MaxLength`);
 * on the base collection a real org answers 400 "Could not find a property named 'MaxLength' on
 * type 'Microsoft.Dynamics.CRM.AttributeMetadata'" (Dataverse Web API, "Query schema definitions"
 * and the AttributeMetadata EntityType reference).
 */
import type { AttributeType } from './types.js';

export const BASE_TYPE = 'AttributeMetadata';

/** The cast type of each AttributeType (Customer and Owner columns are lookups). */
export const CAST_OF: Readonly<Record<AttributeType, string>> = {
  Picklist: 'PicklistAttributeMetadata',
  State: 'StateAttributeMetadata',
  Status: 'StatusAttributeMetadata',
  Boolean: 'BooleanAttributeMetadata',
  String: 'StringAttributeMetadata',
  Memo: 'MemoAttributeMetadata',
  Money: 'MoneyAttributeMetadata',
  Decimal: 'DecimalAttributeMetadata',
  Integer: 'IntegerAttributeMetadata',
  BigInt: 'BigIntAttributeMetadata',
  DateTime: 'DateTimeAttributeMetadata',
  Lookup: 'LookupAttributeMetadata',
  Customer: 'LookupAttributeMetadata',
  Owner: 'LookupAttributeMetadata',
  Uniqueidentifier: 'UniqueIdentifierAttributeMetadata',
};

/** Properties of `AttributeMetadata` itself (the emulator answers a subset of them). */
const BASE_PROPERTIES: ReadonlySet<string> = new Set([
  'MetadataId',
  'LogicalName',
  'SchemaName',
  'EntityLogicalName',
  'AttributeType',
  'AttributeTypeName',
  'AttributeOf',
  'ColumnNumber',
  'Description',
  'DisplayName',
  'IsCustomAttribute',
  'IsPrimaryId',
  'IsPrimaryName',
  'IsValidForCreate',
  'IsValidForRead',
  'IsValidForUpdate',
  'RequiredLevel',
]);

const NUMERIC = ['IntegerAttributeMetadata', 'BigIntAttributeMetadata', 'DecimalAttributeMetadata', 'MoneyAttributeMetadata', 'DoubleAttributeMetadata'];
const ENUM = ['PicklistAttributeMetadata', 'StateAttributeMetadata', 'StatusAttributeMetadata'];

/** Property of a derived type -> the cast types that declare it. */
const DERIVED_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  MaxLength: ['StringAttributeMetadata', 'MemoAttributeMetadata'],
  Format: ['StringAttributeMetadata', 'MemoAttributeMetadata', 'DateTimeAttributeMetadata', 'IntegerAttributeMetadata', 'LookupAttributeMetadata'],
  DateTimeBehavior: ['DateTimeAttributeMetadata'],
  Targets: ['LookupAttributeMetadata'],
  Precision: ['DecimalAttributeMetadata', 'MoneyAttributeMetadata', 'DoubleAttributeMetadata'],
  MinValue: NUMERIC,
  MaxValue: NUMERIC,
  DefaultFormValue: ENUM,
};

/** Navigation properties, read through `$expand` only. */
const DERIVED_NAVIGATION: Readonly<Record<string, readonly string[]>> = {
  OptionSet: [...ENUM, 'BooleanAttributeMetadata'],
  GlobalOptionSet: [...ENUM, 'BooleanAttributeMetadata'],
};

/** Whether `type` (the base type or a cast) declares the structural property `name`. */
export function declaresProperty(type: string, name: string): boolean {
  return BASE_PROPERTIES.has(name) || (DERIVED_PROPERTIES[name]?.includes(type) ?? false);
}

/** Whether `type` declares the navigation property `name` (for `$expand`). */
export function declaresNavigation(type: string, name: string): boolean {
  return DERIVED_NAVIGATION[name]?.includes(type) ?? false;
}
