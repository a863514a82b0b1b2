/**
 * describe(kind) from `EntityDefinitions(LogicalName='x')/Attributes`, with the columns read
 * through the lookups the mappings use (`parentaccountid.name`, ...) described from their target
 * tables. Cached per table for the connector's life.
 *
 * The collection is typed `AttributeMetadata`: only its own properties may be selected there.
 * `MaxLength`, `DateTimeBehavior` and `OptionSet` belong to derived types, so each is read through
 * its cast segment (`.../Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata`), one query
 * per type; a real org answers 400 to an uncast derived property (Dataverse Web API, "Query schema
 * definitions"). The queries of a describe, its lookups' tables included, go as one `$batch`
 * ("Execute batch operations using the Web API"): one request instead of one per query.
 */
import type { CrmFieldDescription, CrmObjectDescription, CrmObjectKind } from '../../src/domain/crm-record.js';

/** What the describe queries select; the derived properties come from their casts only. */
export interface AttributeMeta {
  LogicalName: string;
  AttributeType: string;
  IsCustomAttribute?: boolean;
  DisplayName?: { UserLocalizedLabel?: { Label?: string } | null };
  IsValidForCreate?: boolean;
  IsValidForUpdate?: boolean;
  RequiredLevel?: { Value?: string } | null;
  MaxLength?: number;
  DateTimeBehavior?: { Value?: string } | null;
  OptionSet?: { Options?: { Value: number }[] } | null;
}

/** One `Attributes` query: the base collection, or a cast (`StringAttributeMetadata`). */
export interface AttributeQuery {
  table: string;
  cast?: string;
  select: readonly string[];
  expand?: string;
}

/** Several `Attributes` queries in one request (a `$batch`); the answers in the order asked. */
export type ReadAttributes = (queries: readonly AttributeQuery[]) => Promise<AttributeMeta[][]>;

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

export interface TableMeta {
  attributes: AttributeMeta[];
  lengths: Map<string, number>;
  dateOnly: Set<string>;
  /** Option values per column; only read for the described table itself. */
  options: Map<string, string[]>;
}

/**
 * The queries describing one table: its columns (`baseSelect`: what to select of each), then each
 * cast holding what the base type lacks.
 */
export function queriesOf(table: string, withOptions: boolean, baseSelect: readonly string[] = BASE_SELECT): AttributeQuery[] {
  return [
    { table, select: baseSelect },
    ...Object.values(LENGTH_CASTS).map((cast) => ({ table, cast, select: ['LogicalName', 'MaxLength'] })),
    { table, cast: 'DateTimeAttributeMetadata', select: ['LogicalName', 'DateTimeBehavior'] },
    ...(withOptions ? Object.values(OPTION_CASTS).map((cast) => ({ table, cast, select: ['LogicalName'], expand: 'OptionSet' })) : []),
  ];
}

/** The answers to `queriesOf(table, withOptions)`, in its order. */
export function tableMeta(answers: readonly AttributeMeta[][]): TableMeta {
  const [attributes = [], ...casts] = answers;
  const meta: TableMeta = { attributes, lengths: new Map(), dateOnly: new Set(), options: new Map() };
  for (const a of casts.flat()) {
    if (typeof a.MaxLength === 'number') meta.lengths.set(a.LogicalName, a.MaxLength);
    // estimatedclosedate is DateOnly: its wire form is `YYYY-MM-DD`.
    if (a.DateTimeBehavior?.Value === 'DateOnly') meta.dateOnly.add(a.LogicalName);
    if (a.OptionSet !== undefined) meta.options.set(a.LogicalName, (a.OptionSet?.Options ?? []).map((o) => String(o.Value)));
  }
  return meta;
}

export class DescribeCache {
  private readonly tables = new Map<string, Promise<TableMeta>>();
  constructor(private readonly read: ReadAttributes) {}

  /** A table as loaded (one described with its option values serves one asked for without). */
  private table(table: string, withOptions: boolean): Promise<TableMeta> {
    return this.cached(table, withOptions) ?? this.load([{ table, withOptions }]);
  }

  private cached(table: string, withOptions: boolean): Promise<TableMeta> | undefined {
    return this.tables.get(`${table}:true`) ?? (withOptions ? undefined : this.tables.get(`${table}:false`));
  }

  /**
   * Loads the tables not loaded yet in one request, and returns the first. A cast the table has no
   * column of answers an empty list, so every query goes at once instead of asking first which
   * types the table has.
   */
  private load(wanted: readonly [{ table: string; withOptions: boolean }, ...{ table: string; withOptions: boolean }[]]): Promise<TableMeta> {
    const plans = wanted.filter((w) => this.cached(w.table, w.withOptions) === undefined).map((w) => ({ ...w, queries: queriesOf(w.table, w.withOptions) }));
    if (plans.length > 0) {
      const answers = this.read(plans.flatMap((p) => p.queries));
      let at = 0;
      for (const plan of plans) {
        const from = at;
        at += plan.queries.length;
        const key = `${plan.table}:${plan.withOptions}`;
        const meta = answers.then((all) => tableMeta(all.slice(from, from + plan.queries.length)));
        // A failed describe is asked again next time.
        meta.catch(() => this.tables.delete(key));
        this.tables.set(key, meta);
      }
    }
    const [first] = wanted;
    return this.cached(first.table, first.withOptions) as Promise<TableMeta>;
  }

  async describe(args: { kind: CrmObjectKind; table: string }): Promise<CrmObjectDescription> {
    // The lookups' tables come in the same request, whether the table has each lookup or not.
    const lookups = Object.values(LOOKUPS).filter((target) => target !== args.table);
    const own = await this.load([{ table: args.table, withOptions: true }, ...lookups.map((table) => ({ table, withOptions: false }))]);
    const fields = own.attributes.map((a) => field(own, a, '', true));
    for (const [nav, target] of Object.entries(LOOKUPS)) {
      if (!own.attributes.some((a) => a.LogicalName === nav)) continue;
      const related = await this.table(target, false);
      fields.push(...related.attributes.map((a) => field(related, a, `${nav}.`, false)));
    }
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
