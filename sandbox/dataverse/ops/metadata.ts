/**
 * `EntityDefinitions` reads, enough for a mapping check (reference §5.1, §9): entity flags,
 * `Attributes` with LogicalName, AttributeType, MaxLength, IsValidForCreate/Update, RequiredLevel,
 * and `OptionSet` options for picklists, states and statuses (cast segments or `$expand=OptionSet`).
 */
import { createHash } from 'node:crypto';
import type { OrgStore } from '../model/store.js';
import { compileFilter } from '../odata/filter-eval.js';
import { FilterSyntaxError, parseFilter } from '../odata/filter-parser.js';
import type { Segment } from '../odata/resource-path.js';
import { allTables, tableByLogicalName, type TableInfo } from '../schema/tables.js';
import type { AttributeDef, OptionDef } from '../schema/types.js';
import { badRequest, CODES, DvError, segmentNotFound } from '../wire/errors.js';
import { json, type DvResponse, type RequestContext } from './context.js';

type Meta = Record<string, unknown>;

const metadataId = (text: string): string => {
  const h = createHash('sha1').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

const label = (text: string): Meta => {
  const localized = { Label: text, LanguageCode: 1033 };
  return { LocalizedLabels: [localized], UserLocalizedLabel: localized };
};

const CAST: Record<string, string> = {
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
    '@odata.type': `#Microsoft.Dynamics.CRM.${CAST[a.type]}`,
    MetadataId: metadataId(`${info.def.logicalName}.${a.logicalName}`),
    LogicalName: a.logicalName,
    SchemaName: a.logicalName,
    EntityLogicalName: info.def.logicalName,
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
    Keys: info.def.alternateKeys.map((k) => ({ LogicalName: k.name, KeyAttributes: [...k.columns] })),
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

function logicalNameOf(segment: Segment): TableInfo {
  const match = /^(?:LogicalName=)?'([^']+)'$/.exec(segment.key ?? '');
  const info = match ? tableByLogicalName(match[1] as string) : undefined;
  if (!info) throw new DvError(404, CODES.objectDoesNotExist, `Could not find an entity with key ${segment.key ?? ''}.`);
  return info;
}

export function entityDefinitions(ctx: RequestContext, segments: readonly Segment[]): DvResponse {
  const { store } = ctx.service;
  const { query, apiBase } = ctx.request;
  const [entity, attributes, cast] = segments;
  if (!entity) throw segmentNotFound('EntityDefinitions');
  if (entity.key === undefined) {
    const value = select(allTables().map((info) => entityMeta(store, info)), query);
    return json(200, { '@odata.context': `${apiBase}$metadata#EntityDefinitions`, value });
  }
  const info = logicalNameOf(entity);
  if (!attributes) return json(200, { '@odata.context': `${apiBase}$metadata#EntityDefinitions/$entity`, ...select([entityMeta(store, info)], query)[0] });
  if (attributes.name !== 'Attributes') throw segmentNotFound(attributes.name);
  const castType = cast?.name.replace(/^Microsoft\.Dynamics\.CRM\./, '');
  if (cast && !Object.values(CAST).includes(castType ?? '')) throw segmentNotFound(cast.name);
  const withOptions = query.get('$expand')?.includes('OptionSet') === true || castType !== undefined;
  let list = info.def.attributes.filter((a) => !castType || CAST[a.type] === castType);
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
