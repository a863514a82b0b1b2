/**
 * describe(kind) from `EntityDefinitions(LogicalName='x')/Attributes` (§5.1, §9), with the
 * columns read through the lookups the mappings use (`parentaccountid.name`, ...) described from
 * their target tables. Cached per table for the connector's life.
 */
import type { CrmFieldDescription, CrmObjectDescription, CrmObjectKind } from '../../src/domain/crm-record.js';
import type { DataverseClient } from './client.js';

interface AttributeMeta {
  LogicalName: string;
  AttributeType: string;
  DisplayName?: { UserLocalizedLabel?: { Label?: string } | null };
  MaxLength?: number;
  IsValidForCreate?: boolean;
  IsValidForUpdate?: boolean;
  RequiredLevel?: { Value?: string } | null;
  OptionSet?: { Options?: { Value: number }[] };
  DateTimeBehavior?: { Value?: string } | null;
}

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

/** Lookups whose target columns the mappings read, and the target table. */
const LOOKUPS: Record<string, string> = {
  parentaccountid: 'account',
  parentcontactid: 'contact',
  transactioncurrencyid: 'transactioncurrency',
  owninguser: 'systemuser',
};
/** Written through a bind rather than being read-only (write-body.ts). */
const WRITABLE_THROUGH_LOOKUP = new Set(['transactioncurrencyid.isocurrencycode']);

export class DescribeCache {
  private readonly tables = new Map<string, Promise<AttributeMeta[]>>();
  private readonly dateOnly = new Map<string, Promise<Set<string>>>();
  constructor(private readonly client: DataverseClient) {}

  private attributes(table: string): Promise<AttributeMeta[]> {
    let found = this.tables.get(table);
    if (!found) {
      found = this.client
        .json<{ value: AttributeMeta[] }>({
          op: 'describe',
          method: 'GET',
          url: `EntityDefinitions(LogicalName='${table}')/Attributes?$select=LogicalName,AttributeType,DisplayName,MaxLength,IsValidForCreate,IsValidForUpdate,RequiredLevel`,
        })
        .then((page) => page.value);
      found.catch(() => this.tables.delete(table));
      this.tables.set(table, found);
    }
    return found;
  }

  /**
   * DateTimeBehavior lives on the DateTime cast only (§7.1: estimatedclosedate is DateOnly, its
   * wire form `YYYY-MM-DD`), so it is asked for through the cast segment.
   */
  private dateOnlyColumns(table: string): Promise<Set<string>> {
    let found = this.dateOnly.get(table);
    if (!found) {
      found = this.client
        .json<{ value: AttributeMeta[] }>({
          op: 'describe.dates',
          method: 'GET',
          url: `EntityDefinitions(LogicalName='${table}')/Attributes/Microsoft.Dynamics.CRM.DateTimeAttributeMetadata?$select=LogicalName,DateTimeBehavior`,
        })
        .then((page) => new Set(page.value.filter((a) => a.DateTimeBehavior?.Value === 'DateOnly').map((a) => a.LogicalName)));
      found.catch(() => this.dateOnly.delete(table));
      this.dateOnly.set(table, found);
    }
    return found;
  }

  private async options(table: string, column: string, cast: string): Promise<string[]> {
    const meta = await this.client.json<AttributeMeta>({
      op: 'describe.options',
      method: 'GET',
      url: `EntityDefinitions(LogicalName='${table}')/Attributes(LogicalName='${column}')/Microsoft.Dynamics.CRM.${cast}AttributeMetadata?$select=LogicalName&$expand=OptionSet`,
    });
    return (meta.OptionSet?.Options ?? []).map((o) => String(o.Value));
  }

  async describe(args: { kind: CrmObjectKind; table: string }): Promise<CrmObjectDescription> {
    const fields: CrmFieldDescription[] = [];
    const own = await this.attributes(args.table);
    for (const a of own) fields.push(await this.field(args.table, a, '', true));
    for (const [nav, target] of Object.entries(LOOKUPS)) {
      if (!own.some((a) => a.LogicalName === nav)) continue;
      for (const a of await this.attributes(target)) fields.push(await this.field(target, a, `${nav}.`, false));
    }
    return { kind: args.kind, fields };
  }

  private async field(table: string, a: AttributeMeta, prefix: string, own: boolean): Promise<CrmFieldDescription> {
    const dateOnly = a.AttributeType === 'DateTime' && (await this.dateOnlyColumns(table)).has(a.LogicalName);
    const type = dateOnly ? 'date' : (TYPES[a.AttributeType] ?? 'string');
    const path = `${prefix}${a.LogicalName}`;
    const writable = own || WRITABLE_THROUGH_LOOKUP.has(path);
    const pick = own && ['Picklist', 'State', 'Status'].includes(a.AttributeType);
    return {
      path,
      type,
      label: a.DisplayName?.UserLocalizedLabel?.Label ?? a.LogicalName,
      length: a.MaxLength ?? null,
      createable: writable && (a.IsValidForCreate ?? false),
      updateable: writable && (a.IsValidForUpdate ?? false),
      required: a.RequiredLevel?.Value === 'ApplicationRequired' || a.RequiredLevel?.Value === 'SystemRequired',
      picklistValues: pick ? await this.options(table, a.LogicalName, a.AttributeType) : null,
    };
  }
}
