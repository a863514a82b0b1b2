/**
 * Validates a create/update body against the table and turns it into column changes: types,
 * lengths, ranges, option values, read-only columns, `@odata.bind` lookups (Dataverse developer guide, "Create a table row using the Web API", "Compose HTTP requests and handle errors").
 */
import { formatDateTime, type Value } from '../model/row.js';
import type { OrgStore } from '../model/store.js';
import type { TableInfo } from '../schema/tables.js';
import { isLookup, lookupValueName, type AttributeDef } from '../schema/types.js';
import { badRequest, CODES } from '../wire/errors.js';
import { resolveReference } from './references.js';

export interface Changes {
  values: Record<string, Value>;
  targets: Record<string, string>;
}

export interface ApplyArgs {
  store: OrgStore;
  info: TableInfo;
  body: unknown;
  mode: 'create' | 'update';
  bindNullClears: boolean;
  contentIds?: Map<string, string> | undefined;
  /** A person's edit through the control API: read-only and state columns may be set. */
  force?: boolean;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const entity = (info: TableInfo): string => `Microsoft.Dynamics.CRM.${info.def.logicalName}`;

function invalid(info: TableInfo, name: string, type: string, value: unknown): Error {
  return badRequest(`Cannot convert the literal '${String(value)}' to the expected type '${type}' for '${name}' on '${entity(info)}'.`, CODES.propertyNotFound);
}

function validation(message: string): Error {
  return badRequest(`A validation error occurred. ${message}`, CODES.validation);
}

function convert(info: TableInfo, attribute: AttributeDef, value: unknown): Value {
  const name = attribute.logicalName;
  if (value === null) {
    if (attribute.requiredLevel === 'SystemRequired') throw validation(`The '${name}' attribute of the '${info.def.logicalName}' entity cannot be null.`);
    return null;
  }
  switch (attribute.type) {
    case 'String':
    case 'Memo':
      if (typeof value !== 'string') throw invalid(info, name, 'Edm.String', value);
      if (attribute.maxLength !== undefined && value.length > attribute.maxLength) {
        throw validation(`The length of the '${name}' attribute of the '${info.def.logicalName}' entity exceeded the maximum allowed length of '${attribute.maxLength}'.`);
      }
      return value;
    case 'Money':
    case 'Decimal':
    case 'Integer':
    case 'BigInt': {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(info, name, attribute.type === 'Integer' ? 'Edm.Int32' : 'Edm.Decimal', value);
      if (attribute.type === 'Integer' && !Number.isInteger(value)) throw invalid(info, name, 'Edm.Int32', value);
      const { minValue = -Infinity, maxValue = Infinity } = attribute;
      if (value < minValue || value > maxValue) throw validation(`The value ${value} of '${name}' is outside the valid range (${minValue} to ${maxValue}).`);
      return value;
    }
    case 'Boolean':
      if (typeof value !== 'boolean') throw invalid(info, name, 'Edm.Boolean', value);
      return value;
    case 'DateTime': {
      if (typeof value !== 'string') throw invalid(info, name, 'Edm.DateTimeOffset', value);
      const at = new Date(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
      if (Number.isNaN(at.getTime())) throw invalid(info, name, attribute.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset', value);
      // Date-only columns keep the date the caller wrote ("Compose HTTP requests and handle errors", Dynamics 365 "Opportunity table/entity reference").
      return attribute.dateOnly ? (DATE_ONLY.test(value) ? value : formatDateTime(at).slice(0, 10)) : formatDateTime(at);
    }
    case 'Picklist':
    case 'State':
    case 'Status': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(info, name, 'Edm.Int32', value);
      const options = attribute.options ?? [];
      if (!options.some((o) => o.value === value)) {
        throw validation(`The value ${value} of '${name}' on record of type '${info.def.logicalName}' is outside the valid range. Accepted Values: ${options.map((o) => o.value).join(',')}`);
      }
      return value;
    }
    case 'Uniqueidentifier':
      if (typeof value !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw invalid(info, name, 'Edm.Guid', value);
      return value.toLowerCase();
    default:
      throw invalid(info, name, attribute.type, value);
  }
}

function checkWritable(info: TableInfo, attribute: AttributeDef, mode: 'create' | 'update'): void {
  const allowed = mode === 'create' ? attribute.validForCreate : attribute.validForUpdate;
  if (!allowed) throw badRequest(`The '${attribute.logicalName}' attribute is not valid for ${mode}.`, CODES.invalidArgument);
}

function applyBind(args: ApplyArgs, changes: Changes, navigation: string, value: unknown): void {
  const { info } = args;
  const nav = info.byNavigation.get(navigation);
  if (!nav) throw badRequest(`An undeclared property '${navigation}' which only has property annotations in the payload but no property value was found in the payload.`, CODES.propertyNotFound);
  if (!args.force) checkWritable(info, nav.attribute, args.mode);
  const name = nav.attribute.logicalName;
  if (value === null) {
    // Two readings of Microsoft's documentation ("Associate and disassociate table rows using the Web API"):
    // the documented way to clear is DELETE .../$ref; `bindNullClearsLookup` chooses whether null also clears.
    if (!args.bindNullClears) throw badRequest(`Setting '${navigation}@odata.bind' to null is not supported; use DELETE on ${navigation}/$ref.`);
    changes.values[name] = null;
    return;
  }
  if (typeof value !== 'string') throw invalid(info, `${navigation}@odata.bind`, 'Edm.String', value);
  const target = resolveReference(args.store, value, args.contentIds);
  if (target.info.def.logicalName !== nav.target) {
    throw badRequest(`A reference to '${target.info.def.entitySetName}' cannot be bound to '${navigation}', which expects '${nav.target}'.`, CODES.propertyNotFound);
  }
  changes.values[name] = target.row.id;
  if (Object.keys(nav.attribute.navigation ?? {}).length > 1) changes.targets[name] = nav.target;
}

export function applyBody(args: ApplyArgs): Changes {
  const { info, body } = args;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The request body must be a JSON object.', CODES.propertyNotFound);
  const changes: Changes = { values: {}, targets: {} };
  for (const [key, value] of Object.entries(body)) {
    if (key.endsWith('@odata.bind')) {
      applyBind(args, changes, key.slice(0, -'@odata.bind'.length), value);
      continue;
    }
    if (key.startsWith('@') || key.includes('@')) continue;
    const attribute = info.byName.get(key);
    if (!attribute || isLookup(attribute)) {
      const lookup = info.byLookupValue.get(key) ?? (attribute && isLookup(attribute) ? attribute : undefined);
      const hint = lookup ? ` Set the lookup through '${Object.keys(lookup.navigation ?? {})[0]}@odata.bind' instead of '${lookupValueName(lookup.logicalName)}'.` : '';
      throw badRequest(`Invalid property '${key}' was found in entity '${entity(info)}'.${hint}`, CODES.propertyNotFound);
    }
    if (attribute.logicalName === info.def.primaryId && args.mode === 'update') continue;
    if (!args.force) checkWritable(info, attribute, args.mode);
    changes.values[key] = convert(info, attribute, value);
  }
  return changes;
}
