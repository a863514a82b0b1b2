import type { FieldDef, ObjectDef } from '../schema/field-def.js';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  address: 'urn:address',
};

const ADDRESS_PARTS = /^(Billing)(Street|City|State|PostalCode|Country|StateCode|CountryCode)$/;

function objectUrls(def: ObjectDef, version: string): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` };
}

/** The summary of one object in the global describe and in `GET /sobjects/<Type>` (Salesforce REST API Developer Guide, "sObject Describe"). */
export function describeSummary(def: ObjectDef, version: string): Record<string, unknown> {
  return {
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural,
    keyPrefix: def.keyPrefix,
    createable: def.createable,
    updateable: def.updateable,
    deletable: def.deletable,
    undeletable: def.recycleBin,
    queryable: true,
    retrieveable: true,
    replicateable: true,
    searchable: def.name !== 'OpportunityStage',
    triggerable: def.createable,
    layoutable: def.createable,
    custom: false,
    customSetting: false,
    deprecatedAndHidden: false,
    urls: objectUrls(def, version),
  };
}

function describeField(f: FieldDef): Record<string, unknown> {
  const textual = ['string', 'textarea', 'picklist', 'multipicklist', 'email', 'phone', 'url', 'id', 'reference'].includes(f.type);
  const longText = f.type === 'textarea' && f.length > 255;
  return {
    name: f.name,
    label: f.label,
    type: f.type,
    length: textual ? f.length : 0,
    byteLength: textual ? f.length * 3 : 0,
    precision: f.precision,
    scale: f.scale,
    digits: f.type === 'int' ? f.precision : 0,
    nillable: f.nillable,
    createable: f.createable,
    updateable: f.updateable,
    defaultedOnCreate: f.defaultedOnCreate,
    defaultValue: f.picklist ? null : f.type === 'boolean' ? f.defaultValue : null,
    externalId: f.externalId,
    unique: f.unique,
    idLookup: f.name === 'Id' || f.externalId || f.unique,
    nameField: f.name === 'Name',
    custom: f.custom,
    calculated: f.calculated,
    autoNumber: false,
    caseSensitive: false,
    filterable: f.type !== 'address' && !longText,
    sortable: f.type !== 'address' && !longText,
    groupable: textual && !longText,
    referenceTo: [...f.referenceTo],
    relationshipName: f.relationshipName,
    compoundFieldName: ADDRESS_PARTS.test(f.name) ? 'BillingAddress' : null,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    restrictedPicklist: f.picklist?.restricted ?? false,
    dependentPicklist: false,
    picklistValues: (f.picklist?.values ?? []).map((value) => ({
      value,
      label: value,
      active: true,
      defaultValue: f.picklist?.defaultValue === value,
      validFor: null,
    })),
  };
}

/** `GET /sobjects/<Type>/describe` ("sObject Describe"): fields, picklists, child relationships, record types. */
export function describeObject(def: ObjectDef, version: string): Record<string, unknown> {
  return {
    ...describeSummary(def, version),
    fields: def.fields.map(describeField),
    childRelationships: def.childRelationships.map((c) => ({
      childSObject: c.childSObject,
      field: c.field,
      relationshipName: c.relationshipName,
      cascadeDelete: c.cascadeDelete,
      restrictedDelete: false,
      deprecatedAndHidden: false,
      junctionIdListNames: [],
      junctionReferenceTo: [],
    })),
    recordTypeInfos: [
      { name: 'Master', developerName: 'Master', master: true, active: true, available: true, defaultRecordTypeMapping: true, recordTypeId: '012000000000000AAA', urls: {} },
    ],
  };
}
