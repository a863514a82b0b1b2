/**
 * Custom fields and the field-access permission set in Salesforce DX source format (Salesforce
 * DX Developer Guide, "Salesforce DX Project Structure and Source Format"): one
 * `objects/<Object>/fields/<Field>.field-meta.xml` per field and one
 * `permissionsets/<Name>.permissionset-meta.xml`, and the opportunity stages the mapping knows as
 * `standardValueSets/OpportunityStage.standardValueSet-meta.xml`, for `sf project deploy start`.
 * Elements are written in the order the Metadata API's own retrieve writes them.
 */
import type { FieldNeed, PicklistOption } from '../../src/domain/crm-setup.js';
import { customFieldMetadata, stageValue, type MetadataValue } from './custom-field.js';

const NS = 'http://soap.sforce.com/2006/04/metadata';

export interface SourceFile {
  /** Relative to the source directory. */
  path: string;
  text: string;
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function elements(name: string, value: MetadataValue, indent: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => elements(name, v, indent));
  if (typeof value !== 'object') return [`${indent}<${name}>${escape(String(value))}</${name}>`];
  return [`${indent}<${name}>`, ...children(value, `${indent}    `), `${indent}</${name}>`];
}

function children(value: { [key: string]: MetadataValue }, indent: string): string[] {
  return Object.entries(value).flatMap(([k, v]) => elements(k, v, indent));
}

function document(root: string, body: { [key: string]: MetadataValue }): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<${root} xmlns="${NS}">`, ...children(body, '    '), `</${root}>`, ''].join('\n');
}

/**
 * The source files for these fields, a permission set granting read and edit on each, and, when
 * given, the opportunity stages (the whole set: a deploy of a standard value set lists every value).
 */
export function salesforceSourceFiles(args: {
  fields: readonly { object: string; name: string; need: FieldNeed }[];
  permissionSet: { name: string; label: string };
  stages: readonly PicklistOption[] | null;
}): SourceFile[] {
  const files = args.fields.map(({ object, name, need }) => ({
    path: `objects/${object}/fields/${name}.field-meta.xml`,
    text: document('CustomField', { fullName: name, ...customFieldMetadata(need) }),
  }));
  const fieldPermissions = args.fields.map(({ object, name }) => ({ editable: true, field: `${object}.${name}`, readable: true }));
  files.push({
    path: `permissionsets/${args.permissionSet.name}.permissionset-meta.xml`,
    text: document('PermissionSet', { fieldPermissions, hasActivationRequired: false, label: args.permissionSet.label }),
  });
  if (args.stages) {
    files.push({ path: 'standardValueSets/OpportunityStage.standardValueSet-meta.xml', text: document('StandardValueSet', { sorted: false, standardValue: args.stages.map(stageValue) }) });
  }
  return files;
}
