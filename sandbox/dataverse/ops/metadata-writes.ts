/**
 * Web API metadata writes setup needs (Dataverse docs: "Create and update column definitions
 * using the Web API", "Define alternate keys using the Web API", "Create and update table
 * definitions using the Web API", "Enable change tracking to control data synchronization"):
 * `POST EntityDefinitions(...)/Attributes` with the derived type in `@odata.type`,
 * `POST EntityDefinitions(...)/Keys`, and `PUT EntityDefinitions(...)` for
 * `ChangeTrackingEnabled` (a table definition is updated with PUT, not PATCH; change tracking,
 * once on, stays on).
 */
import type { TableInfo } from '../schema/tables.js';
import type { AttributeDef, AttributeType, OptionDef } from '../schema/types.js';
import { badRequest, CODES } from '../wire/errors.js';
import { noContent, type DvResponse, type RequestContext } from './context.js';
import { metadataId } from './metadata-ids.js';

type Json = Record<string, unknown>;

const TYPE_OF_CAST: Readonly<Record<string, AttributeType>> = {
  StringAttributeMetadata: 'String',
  MemoAttributeMetadata: 'Memo',
  BooleanAttributeMetadata: 'Boolean',
  DateTimeAttributeMetadata: 'DateTime',
  PicklistAttributeMetadata: 'Picklist',
  IntegerAttributeMetadata: 'Integer',
  DecimalAttributeMetadata: 'Decimal',
  MoneyAttributeMetadata: 'Money',
};

/** Types a single-column alternate key may use ("Define alternate keys to reference rows"). */
const KEY_TYPES: ReadonlySet<AttributeType> = new Set(['String', 'Integer', 'Decimal', 'DateTime', 'Lookup', 'Picklist']);

const SCHEMA_NAME = /^[A-Za-z][A-Za-z0-9]{1,7}_[A-Za-z0-9_]+$/;

function parseBody(ctx: RequestContext): Json {
  try {
    const body = JSON.parse(ctx.request.body) as unknown;
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Json;
  } catch {
    // refused below
  }
  throw badRequest('The request body is not a JSON object.');
}

function labelText(label: unknown): string | undefined {
  const labels = (label as { LocalizedLabels?: Array<{ Label?: unknown }> } | undefined)?.LocalizedLabels;
  const text = labels?.[0]?.Label;
  return typeof text === 'string' && text.trim() !== '' ? text : undefined;
}

function schemaNameOf(body: Json, what: string): string {
  const name = body['SchemaName'];
  if (typeof name !== 'string' || !SCHEMA_NAME.test(name)) {
    throw badRequest(`The ${what} SchemaName ${JSON.stringify(name)} must start with a customization prefix (prefix_Name).`);
  }
  return name;
}

function maxLength(body: Json, max: number, type: string): number {
  const value = body['MaxLength'];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) throw badRequest(`MaxLength of a ${type} column must be 1 to ${max}, not ${JSON.stringify(value)}.`, CODES.validation);
  return value;
}

function picklistOptions(body: Json): OptionDef[] {
  const options = (body['OptionSet'] as { Options?: Array<{ Value?: unknown; Label?: unknown }> } | undefined)?.Options ?? [];
  if (options.length === 0) throw badRequest('A choice column needs an OptionSet with Options.');
  const seen = new Set<number>();
  return options.map((o) => {
    if (typeof o.Value !== 'number' || !Number.isInteger(o.Value) || seen.has(o.Value)) throw badRequest(`Option values must be distinct integers: ${JSON.stringify(o.Value)}.`);
    seen.add(o.Value);
    return { value: o.Value, label: labelText(o.Label) ?? String(o.Value) };
  });
}

/** The column a create body describes, or the refusal a real org gives. */
function attributeFromBody(body: Json): AttributeDef {
  const cast = String(body['@odata.type'] ?? '').replace(/^#?Microsoft\.Dynamics\.CRM\./, '');
  const type = TYPE_OF_CAST[cast];
  if (!type) throw badRequest(`'@odata.type' must name the column's metadata type (e.g. Microsoft.Dynamics.CRM.StringAttributeMetadata), not ${JSON.stringify(body['@odata.type'])}.`);
  const schemaName = schemaNameOf(body, 'column');
  const displayName = labelText(body['DisplayName']);
  if (!displayName) throw badRequest('DisplayName must carry a LocalizedLabel.');
  const base = { logicalName: schemaName.toLowerCase(), schemaName, displayName, custom: true, validForCreate: true, validForUpdate: true, requiredLevel: 'None' as const };
  switch (type) {
    case 'String':
      return { ...base, type, maxLength: maxLength(body, 4000, 'String') };
    case 'Memo':
      return { ...base, type, maxLength: maxLength(body, 1048576, 'Memo') };
    case 'Boolean': {
      const set = body['OptionSet'] as { FalseOption?: { Label?: unknown }; TrueOption?: { Label?: unknown } } | undefined;
      if (!set?.FalseOption || !set.TrueOption) throw badRequest('A Yes/No column needs an OptionSet with TrueOption and FalseOption.');
      return { ...base, type, options: [{ value: 0, label: labelText(set.FalseOption.Label) ?? 'No' }, { value: 1, label: labelText(set.TrueOption.Label) ?? 'Yes' }] };
    }
    case 'DateTime': {
      const behavior = (body['DateTimeBehavior'] as { Value?: unknown } | undefined)?.Value;
      return { ...base, type, ...(body['Format'] === 'DateOnly' || behavior === 'DateOnly' ? { dateOnly: true } : {}) };
    }
    case 'Picklist':
      return { ...base, type, options: picklistOptions(body) };
    case 'Integer':
      return { ...base, type, minValue: Number(body['MinValue'] ?? -2147483648), maxValue: Number(body['MaxValue'] ?? 2147483647) };
    default:
      return { ...base, type, minValue: Number(body['MinValue'] ?? -100000000000), maxValue: Number(body['MaxValue'] ?? 100000000000) };
  }
}

export function createAttribute(ctx: RequestContext, info: TableInfo): DvResponse {
  const attribute = attributeFromBody(parseBody(ctx));
  if (info.byName.has(attribute.logicalName)) {
    throw badRequest(`An attribute with the name ${attribute.logicalName} already exists on entity ${info.def.logicalName}.`);
  }
  ctx.service.store.schema.addAttribute(info, attribute);
  const url = `${ctx.request.apiBase}EntityDefinitions(${metadataId(info.def.logicalName)})/Attributes(${metadataId(`${info.def.logicalName}.${attribute.logicalName}`)})`;
  return noContent({ 'OData-EntityId': url });
}

export function createKey(ctx: RequestContext, info: TableInfo): DvResponse {
  const body = parseBody(ctx);
  const schemaName = schemaNameOf(body, 'key');
  const columns = body['KeyAttributes'];
  if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => typeof c !== 'string')) throw badRequest('KeyAttributes must list the key columns by logical name.');
  for (const name of columns as string[]) {
    const attribute = info.byName.get(name);
    if (!attribute) throw badRequest(`The key column ${name} does not exist on entity ${info.def.logicalName}.`);
    if (!KEY_TYPES.has(attribute.type)) throw badRequest(`A ${attribute.type} column (${name}) cannot be part of an alternate key.`);
  }
  const name = schemaName.toLowerCase();
  if (info.def.alternateKeys.some((k) => k.name === name)) throw badRequest(`A key named ${name} already exists on entity ${info.def.logicalName}.`);
  const key = { name, columns: columns as string[], displayName: labelText(body['DisplayName']) ?? schemaName };
  const status = ctx.service.store.table(info.def.logicalName).addKey(key);
  ctx.service.store.schema.addKey(info, { ...key, status });
  return noContent({ 'OData-EntityId': `${ctx.request.apiBase}EntityDefinitions(${metadataId(info.def.logicalName)})/Keys(${metadataId(`${info.def.logicalName}#${name}`)})` });
}

/** `PUT EntityDefinitions(...)`: the emulator applies `ChangeTrackingEnabled` from the definition sent. */
export function updateEntity(ctx: RequestContext, info: TableInfo): DvResponse {
  const body = parseBody(ctx);
  if (body['LogicalName'] !== undefined && body['LogicalName'] !== info.def.logicalName) {
    throw badRequest(`The definition sent is of ${JSON.stringify(body['LogicalName'])}, not ${info.def.logicalName}.`);
  }
  if (body['ChangeTrackingEnabled'] === true) ctx.service.store.table(info.def.logicalName).changeTracking = true;
  return noContent();
}
