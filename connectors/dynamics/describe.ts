/**
 * describe(kind) from `EntityDefinitions(LogicalName='x')/Attributes`, with the columns read
 * through the lookups the mappings use (`parentaccountid.name`, ...) described from their target
 * tables. Cached per table for the connector's life.
 *
 * The collection is typed `AttributeMetadata`: only its own properties may be selected there.
 * `MaxLength`, `DateTimeBehavior` and `OptionSet` belong to derived types, so each is read through
 * its cast segment (`.../Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata`), one request
 * per type the table has; a real org answers 400 to an uncast derived property (Dataverse Web API,
 * "Query schema definitions").
 */
import type { CrmFieldDescription, CrmObjectDescription, CrmObjectKind } from '../../src/domain/crm-record.js';

/** What the describe queries select; the derived properties come from their casts only. */
export interface AttributeMeta {
  LogicalName: string;
  AttributeType: string;
  DisplayName?: { UserLocalizedLabel?: { Label?: string } | null };
  IsValidForCreate?: boolean;
  IsValidForUpdate?: boolean;
  RequiredLevel?: { Value?: string } | null;
  MaxLength?: number;
  DateTimeBehavior?: { Value?: string } | null;
  OptionSet?: { Options?: { Value: number }[] } | null;
}

/** One `Attributes` query: the base collection, or a cast (`StringAttributeMetadata`). */
export type ReadAttributes = (args: { table: string; cast?: string; select: readonly string[]; expand?: string }) => Promise<AttributeMeta[]>;

const BASE_SELECT = ['LogicalName', 'AttributeType', 'DisplayName', 'IsValidForCreate', 'IsValidForUpdate', 'RequiredLevel'];

const TYPES: Record<string, CrmFieldDescription['type']> = {
  Uniqueidentifier: 'id',
  String: 'string',
  Memo: 'textarea',
  Money: 'currency',
  Decimal: 'number',
  Double: 'number',
  Integer: 'number',
  BigInt: 'number',
  Boolean: 'boolean',
  DateTime: 'datetime',
  Picklist: 'picklist',
  State: 'picklist',
  Status: 'picklist',
  Lookup: 'reference',
  Customer: 'reference',
  Owner: 'reference',
};

/** The canonical type of a column (a DateOnly date-time is a date). */
export const columnTypeOf = (attributeType: string, dateOnly: boolean): CrmFieldDescription['type'] => (dateOnly ? 'date' : (TYPES[attributeType] ?? 'string'));

/** AttributeType -> the derived type holding what describe needs from it. */
export const LENGTH_CASTS: Record<string, string> = { String: 'StringAttributeMetadata', Memo: 'MemoAttributeMetadata' };
export const OPTION_CASTS: Record<string, string> = { Picklist: 'PicklistAttributeMetadata', State: 'StateAttributeMetadata', Status: 'StatusAttributeMetadata' };

/** Lookups whose target columns the mappings read, and the target table. */
const LOOKUPS: Record<string, string> = {
  parentaccountid: 'account',
  parentcontactid: 'contact',
  transactioncurrencyid: 'transactioncurrency',
  owninguser: 'systemuser',
};
/** Written through a bind rather than being read-only (write-body.ts). */
const WRITABLE_THROUGH_LOOKUP = new Set(['transactioncurrencyid.isocurrencycode']);

interface TableMeta {
  attributes: AttributeMeta[];
  lengths: Map<string, number>;
  dateOnly: Set<string>;
  /** Option values per column; only read for the described table itself. */
  options: Map<string, string[]>;
}

export class DescribeCache {
  private readonly bases = new Map<string, Promise<AttributeMeta[]>>();
  private readonly tables = new Map<string, Promise<TableMeta>>();
  constructor(private readonly read: ReadAttributes) {}

  /** Memoised per key; a failed read is asked again next time. */
  private static once<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
    let found = cache.get(key);
    if (!found) {
      found = load();
      found.catch(() => cache.delete(key));
      cache.set(key, found);
    }
    return found;
  }

  private base(table: string): Promise<AttributeMeta[]> {
    return DescribeCache.once(this.bases, table, () => this.read({ table, select: BASE_SELECT }));
  }

  private table(table: string, withOptions: boolean): Promise<TableMeta> {
    return DescribeCache.once(this.tables, `${table}:${withOptions}`, () => this.load(table, withOptions));
  }

  /** The base attributes, then every cast the table needs, asked together. */
  private async load(table: string, withOptions: boolean): Promise<TableMeta> {
    const attributes = await this.base(table);
    const present = new Set(attributes.map((a) => a.AttributeType));
    const meta: TableMeta = { attributes, lengths: new Map(), dateOnly: new Set(), options: new Map() };
    const casts = (of: Record<string, string>, select: string[], expand?: string): Promise<AttributeMeta[][]> =>
      Promise.all(
        Object.entries(of)
          .filter(([type]) => present.has(type))
          .map(([, cast]) => this.read({ table, cast, select, ...(expand ? { expand } : {}) })),
      );
    const [lengths, dates, options] = await Promise.all([
      casts(LENGTH_CASTS, ['LogicalName', 'MaxLength']),
      // estimatedclosedate is DateOnly: its wire form is `YYYY-MM-DD`.
      casts({ DateTime: 'DateTimeAttributeMetadata' }, ['LogicalName', 'DateTimeBehavior']),
      withOptions ? casts(OPTION_CASTS, ['LogicalName'], 'OptionSet') : Promise.resolve([]),
    ]);
    for (const a of lengths.flat()) if (typeof a.MaxLength === 'number') meta.lengths.set(a.LogicalName, a.MaxLength);
    for (const a of dates.flat()) if (a.DateTimeBehavior?.Value === 'DateOnly') meta.dateOnly.add(a.LogicalName);
    for (const a of options.flat()) meta.options.set(a.LogicalName, (a.OptionSet?.Options ?? []).map((o) => String(o.Value)));
    return meta;
  }

  /** The table and the lookup tables it has, their reads side by side: three round trips deep. */
  async describe(args: { kind: CrmObjectKind; table: string }): Promise<CrmObjectDescription> {
    const ownAttributes = await this.base(args.table);
    const lookups = Object.entries(LOOKUPS).filter(([nav]) => ownAttributes.some((a) => a.LogicalName === nav));
    const [own, related] = await Promise.all([this.table(args.table, true), Promise.all(lookups.map(async ([nav, target]) => ({ nav, meta: await this.table(target, false) })))]);
    const fields = own.attributes.map((a) => field(own, a, '', true));
    for (const { nav, meta } of related) fields.push(...meta.attributes.map((a) => field(meta, a, `${nav}.`, false)));
    return { kind: args.kind, fields };
  }
}

function field(meta: TableMeta, a: AttributeMeta, prefix: string, own: boolean): CrmFieldDescription {
  const type = columnTypeOf(a.AttributeType, meta.dateOnly.has(a.LogicalName));
  const path = `${prefix}${a.LogicalName}`;
  const writable = own || WRITABLE_THROUGH_LOOKUP.has(path);
  return {
    path,
    type,
    label: a.DisplayName?.UserLocalizedLabel?.Label ?? a.LogicalName,
    length: meta.lengths.get(a.LogicalName) ?? null,
    createable: writable && (a.IsValidForCreate ?? false),
    updateable: writable && (a.IsValidForUpdate ?? false),
    required: a.RequiredLevel?.Value === 'ApplicationRequired' || a.RequiredLevel?.Value === 'SystemRequired',
    picklistValues: own && a.AttributeType in OPTION_CASTS ? (meta.options.get(a.LogicalName) ?? []) : null,
  };
}
