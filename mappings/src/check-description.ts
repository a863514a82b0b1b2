/**
 * `mappings validate --live`: the mapping against the CRM's own metadata (Salesforce describe,
 * Dataverse EntityDefinitions). Fields that do not exist, read-only fields a rule writes,
 * transforms that do not fit the field's type, picklist values the value map does not know,
 * and maxLength beyond the field's length.
 */
import type { CrmFieldDescription, CrmObjectDescription } from '../../src/domain/crm-record.js';
import type { CompiledRule } from './compile-rule.js';
import { writesToCrm, type CompiledObject } from './compile.js';
import { compiledObjectOf } from './object-mapping.js';
import type { LocalProblem } from './transforms/parse-transform.js';
import { mapKey } from './transforms/value-map.js';
import type { Mapping, MappingProblem } from './types.js';

type FieldType = CrmFieldDescription['type'];

/** CRM field types each transform can write and read. */
const FITS: Readonly<Record<string, readonly FieldType[]>> = {
  text: ['string', 'textarea', 'picklist', 'id', 'reference'],
  number: ['number', 'currency'],
  money: ['number', 'currency'],
  boolean: ['boolean'],
  currency: ['string', 'picklist'],
  country: ['string', 'picklist'],
  dateOnly: ['date'],
  dateTime: ['datetime'],
  list: ['string', 'textarea'],
  members: ['child', 'string', 'textarea', 'reference'],
};

function checkRule(rule: CompiledRule, fields: ReadonlyMap<string, CrmFieldDescription>, kind: string): LocalProblem[] {
  const problems: LocalProblem[] = [];
  const add = (message: string): void => void problems.push({ at: [...rule.at, 'crm'], message });
  for (const path of new Set([...rule.transform.writePaths(), ...rule.orFrom])) {
    const field = fields.get(path);
    if (!field) {
      // Lookup paths (Account.Name) belong to another object, which this description may not cover.
      if (!path.includes('.')) add(`the CRM has no ${kind} field '${path}'`);
      continue;
    }
    const fits = FITS[rule.transform.name];
    if (fits && path === rule.info.crmField && !fits.includes(field.type)) {
      add(`transform '${rule.transform.name}' does not fit ${path}, a ${field.type} field`);
    }
    const own = path === rule.info.crmField || rule.transform.writePaths().includes(path);
    // Writing `lookup.column` points the lookup at the related record with that column value, so
    // it is the lookup that must be writable (Salesforce names it `AccountId` for `Account`).
    const head = path.split('.')[0] ?? path;
    const target = path.includes('.') ? (fields.get(head) ?? fields.get(`${head}Id`)) : field;
    if (own && target && writesToCrm(rule, 'update') && !target.updateable) add(`${path} is read-only in the CRM, but the rule writes it (direction ${rule.info.direction})`);
    if (own && target && rule.info.direction === 'createOnly' && !target.createable) add(`${path} cannot be set on create, but the rule is createOnly`);
    if (path === rule.info.crmField && rule.maxLength !== null && field.length !== null && rule.maxLength > field.length) {
      add(`maxLength ${rule.maxLength} is longer than ${path} allows (${field.length})`);
    }
    if (path === rule.info.crmField && rule.valueMap && field.picklistValues) {
      const map = rule.valueMap;
      const live = new Set(field.picklistValues);
      const unmapped = rule.info.direction === 'toCrm' ? [] : field.picklistValues.filter((v) => !(v in map.fromCrm));
      if (unmapped.length > 0) add(`the value map does not cover ${path} values of this org: ${unmapped.map((v) => JSON.stringify(v)).join(', ')}`);
      const unknown = Object.values(map.toCrm).filter((v) => v !== null && !live.has(mapKey(v)));
      if (unknown.length > 0) add(`toCrm writes values ${path} does not have: ${unknown.map((v) => JSON.stringify(v)).join(', ')}`);
    }
  }
  return problems;
}

function checkObject(object: CompiledObject, description: CrmObjectDescription): LocalProblem[] {
  const fields = new Map(description.fields.map((f) => [f.path, f]));
  const problems = object.rules.flatMap((rule) => checkRule(rule, fields, object.kind));
  const objectFields: [string, string | null][] = [
    ['externalIdField', object.externalIdField],
    ['dealType', object.dealType.helpField],
    ['dealType', object.dealType.shareField],
    ['dealType', object.dealType.helpNotesField],
  ];
  for (const [key, path] of objectFields) {
    if (path && !fields.has(path)) problems.push({ at: [object.kind, key], message: `the CRM has no ${object.kind} field '${path}'` });
  }
  object.participation.forEach((c, i) => {
    if (!fields.has(c.field)) problems.push({ at: [object.kind, 'participation', i, 'field'], message: `the CRM has no ${object.kind} field '${c.field}'` });
  });
  return problems;
}

/**
 * Problems of `mapping` against the CRM's metadata, positioned in the mapping file. Each object
 * kind is checked when its description is given.
 */
export function checkAgainstDescription(args: {
  mapping: Mapping;
  descriptions: CrmObjectDescription[];
}): MappingProblem[] {
  const { mapping } = args;
  const problems: MappingProblem[] = [];
  for (const description of args.descriptions) {
    const { compiled, positionOf } = compiledObjectOf(mapping[description.kind]);
    for (const p of checkObject(compiled, description)) problems.push({ file: mapping.file, ...positionOf(p), message: p.message });
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}
