/**
 * `EntityDefinitions` reads, enough for a mapping check (Dataverse developer guide, "Use change tracking to synchronize data with external systems";
 * dynamics-web-api `retrieveAttributes`): entity flags,
 * `Attributes` with LogicalName, AttributeType, IsValidForCreate/Update, RequiredLevel, the derived
 * properties (MaxLength, DateTimeBehavior, ...) through their cast segment only, and `OptionSet`
 * options of picklists, states and statuses through `$expand=OptionSet` on their cast.
 */
import type { OrgStore } from '../model/store.js';
import { compileFilter } from '../odata/filter-eval.js';
import { FilterSyntaxError, parseFilter } from '../odata/filter-parser.js';
import type { Segment } from '../odata/resource-path.js';
import type { TableInfo } from '../schema/tables.js';
import { BASE_TYPE, CAST_OF, declaresNavigation, declaresProperty } from '../schema/attribute-types.js';
import type { AttributeDef, OptionDef } from '../schema/types.js';
import { badRequest, CODES, DvError, propertyNotFound, segmentNotFound } from '../wire/errors.js';
import { json, type DvResponse, type RequestContext } from './context.js';
import { metadataId } from './metadata-ids.js';
import { createAttribute, createKey, updateEntity } from './metadata-writes.js';

type Meta = Record<string, unknown>;


const label = (text: string): Meta => {
  const localized = { Label: text, LanguageCode: 1033 };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
};


function option(o: OptionDef): Meta {
  return { Value: o.value, Label: label(o.label), ...(o.state !== undefined ? { State: o.state } : {}), ...(o.defaultStatus !== undefined ? { DefaultStatus: o.defaultStatus } : {}) };
}

function optionSet(a: AttributeDef): Meta | undefined {
  if (!a.options) return undefined;
  if (a.type === 'Boolean') return { FalseOption: option(a.options[0] as OptionDef), TrueOption: option(a.options[1] as OptionDef) };
  return { Name: a.logicalName, Options: a.options.map(option) };
}

function attributeMeta(info: TableInfo, a: AttributeDef, withOptions: boolean): Meta {
  const meta: Meta = {
    '@odata.type': `#Microsoft.Dynamics.CRM.${CAST_OF[a.type]}`,
    MetadataId: metadataId(`${info.def.logicalName}.${a.logicalName}`),
    LogicalName: a.logicalName,
    SchemaName: a.schemaName ?? a.logicalName,
    EntityLogicalName: info.def.logicalName,
    IsCustomAttribute: a.custom === true,
    ...(a.displayName !== undefined ? { DisplayName: label(a.displayName) } : {}),
    AttributeType: a.type,
    AttributeTypeName: { Value: `${a.type}Type` },
    IsValidForCreate: a.validForCreate,
    IsValidForUpdate: a.validForUpdate,
    IsValidForRead: true,
    IsPrimaryId: a.logicalName === info.def.primaryId,
    IsPrimaryName: a.logicalName === info.def.primaryName,
    RequiredLevel: { Value: a.requiredLevel, CanBeChanged: false },
  };
  if (a.maxLength !== undefined) meta['MaxLength'] = a.maxLength;
  if (a.type === 'DateTime') meta['DateTimeBehavior'] = { Value: a.dateOnly ? 'DateOnly' : 'UserLocal' };
  if (a.navigation) meta['Targets'] = [...new Set(Object.values(a.navigation))];
  if (a.minValue !== undefined) meta['MinValue'] = a.minValue;
  if (a.maxValue !== undefined) meta['MaxValue'] = a.maxValue;
  const set = withOptions ? optionSet(a) : undefined;
  if (set) meta['OptionSet'] = set;
  return meta;
}

function entityMeta(store: OrgStore, info: TableInfo): Meta {
  return {
    MetadataId: metadataId(info.def.logicalName),
    LogicalName: info.def.logicalName,
    SchemaName: info.def.logicalName,
    EntitySetName: info.def.entitySetName,
    PrimaryIdAttribute: info.def.primaryId,
    PrimaryNameAttribute: info.def.primaryName,
    ChangeTrackingEnabled: store.table(info.def.logicalName).changeTracking,
    IsOptimisticConcurrencyEnabled: true,
    Keys: info.def.alternateKeys.map((k) => keyMeta(info, k)),
  };
}

function keyMeta(info: TableInfo, k: TableInfo['def']['alternateKeys'][number]): Meta {
  return {
    MetadataId: metadataId(`${info.def.logicalName}#${k.name}`),
    LogicalName: k.name,
    SchemaName: k.name,
    EntityLogicalName: info.def.logicalName,
    KeyAttributes: [...k.columns],
    EntityKeyIndexStatus: k.status ?? 'Active',
    ...(k.displayName !== undefined ? { DisplayName: label(k.displayName) } : {}),
  };
}

function select(items: Meta[], query: URLSearchParams): Meta[] {
  const filterText = query.get('$filter');
  let rows = items;
  if (filterText) {
    try {
      const predicate = compileFilter<Meta>(parseFilter(filterText), (name) => (item) => (item[name] ?? null) as string | number | boolean | null);
      rows = rows.filter(predicate);
    } catch (error) {
      if (error instanceof FilterSyntaxError) throw badRequest(`Syntax error in $filter: ${error.message}.`, CODES.propertyNotFound);
      throw error;
    }
  }
  const names = query.get('$select')?.split(',').map((s) => s.trim());
  if (!names) return rows;
  const keep = new Set([...names, '@odata.type', 'MetadataId', 'OptionSet']);
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => keep.has(k))));
}

/** `EntityDefinitions(LogicalName='x')`, `EntityDefinitions('x')` or `EntityDefinitions(<MetadataId>)`. */
function logicalNameOf(store: OrgStore, segment: Segment): TableInfo {
  const key = segment.key ?? '';
  const match = /^(?:LogicalName=)?'([^']+)'$/.exec(key);
  const byId = (): TableInfo | undefined => store.schema.infos.find((t) => metadataId(t.def.logicalName) === key.toLowerCase());
  const info = match ? store.schema.tableByLogicalName(match[1] as string) : byId();
  if (!info) throw new DvError(404, CODES.objectDoesNotExist, `Could not find an entity with key ${segment.key ?? ''}.`);
  return info;
}

/** `OptionSet($select=Name,Options),GlobalOptionSet` -> the names outside parentheses. */
function topLevelNames(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let name = '';
  for (const ch of `${text},`) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      if (name.trim()) names.push(name.trim());
      name = '';
    } else if (depth === 0) name += ch;
  }
  return names;
}

/**
 * Refuses `$select` / `$expand` names the addressed type does not declare, as a real org does
 * (a derived property needs its cast segment). Returns whether `OptionSet` is expanded.
 */
function checkAttributeQuery(type: string, query: URLSearchParams): boolean {
  for (const name of query.get('$select')?.split(',') ?? []) {
    if (!declaresProperty(type, name.trim())) throw propertyNotFound(name.trim(), type);
  }
  const expanded = topLevelNames(query.get('$expand') ?? '');
  for (const name of expanded) {
    if (!declaresNavigation(type, name)) throw propertyNotFound(name, type);
  }
  return expanded.includes('OptionSet');
}

/** Metadata writes: POST to a table's Attributes or Keys, PUT of a table definition. */
function writeDefinitions(ctx: RequestContext, segments: readonly Segment[]): DvResponse {
  const { method } = ctx.request;
  const [entity, child, extra] = segments;
  const refuse = (): never => {
    throw new DvError(405, CODES.invalidArgument, `The HTTP method '${method}' is not allowed on this EntityDefinitions resource.`);
  };
  if (!entity || entity.key === undefined || extra) return refuse();
  const info = logicalNameOf(ctx.service.store, entity);
  if (!child) return method === 'PUT' ? updateEntity(ctx, info) : refuse();
  if (method !== 'POST' || child.key !== undefined) return refuse();
  if (child.name === 'Attributes') return createAttribute(ctx, info);
  if (child.name === 'Keys') return createKey(ctx, info);
  throw segmentNotFound(child.name);
}

export function entityDefinitions(ctx: RequestContext, segments: readonly Segment[]): DvResponse {
  if (ctx.request.method !== 'GET') return writeDefinitions(ctx, segments);
  const { store } = ctx.service;
  const { query, apiBase } = ctx.request;
  const [entity, attributes, cast] = segments;
  if (!entity) throw segmentNotFound('EntityDefinitions');
  if (entity.key === undefined) {
    const value = select(store.schema.infos.map((info) => entityMeta(store, info)), query);
    return json(200, { '@odata.context': `${apiBase}$metadata#EntityDefinitions`, value });
  }
  const info = logicalNameOf(store, entity);
  if (attributes?.name === 'Keys') {
    return json(200, { '@odata.context': `${apiBase}$metadata#EntityDefinitions('${info.def.logicalName}')/Keys`, value: select(info.def.alternateKeys.map((k) => keyMeta(info, k)), query) });
  }
  if (!attributes) return json(200, { '@odata.context': `${apiBase}$metadata#EntityDefinitions/$entity`, ...select([entityMeta(store, info)], query)[0] });
  if (attributes.name !== 'Attributes') throw segmentNotFound(attributes.name);
  const castType = cast?.name.replace(/^Microsoft\.Dynamics\.CRM\./, '');
  if (cast && !Object.values(CAST_OF).includes(castType ?? '')) throw segmentNotFound(cast.name);
  const withOptions = checkAttributeQuery(castType ?? BASE_TYPE, query);
  let list = info.def.attributes.filter((a) => !castType || CAST_OF[a.type] === castType);
  if (attributes.key !== undefined) {
    const name = /^(?:LogicalName=)?'([^']+)'$/.exec(attributes.key)?.[1];
    list = list.filter((a) => a.logicalName === name);
    const found = list[0];
    if (!found) throw new DvError(404, CODES.objectDoesNotExist, `Could not find an attribute with key ${attributes.key}.`);
    return json(200, { '@odata.context': `${apiBase}$metadata#EntityDefinitions('${info.def.logicalName}')/Attributes/$entity`, ...select([attributeMeta(info, found, withOptions)], query)[0] });
  }
  const value = select(list.map((a) => attributeMeta(info, a, withOptions)), query);
  return json(200, { '@odata.context': `${apiBase}$metadata#EntityDefinitions('${info.def.logicalName}')/Attributes`, value });
}
