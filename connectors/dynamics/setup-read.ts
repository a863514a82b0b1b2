/**
 * What `crm setup` reads of Dataverse tables, read fresh: each table's columns (the base collection
 * and its casts, as describe reads them), its alternate keys and whether change tracking is on.
 * Every query of every table goes in one `$batch` ("Execute batch operations using the Web API"):
 * one request where a request per table and column type took 25 for the three tables setup reads.
 */
import type { ExistingField, ObjectSetupState } from '../../src/domain/crm-setup.js';
import { readBatch } from './batch.js';
import type { DataverseClient } from './client.js';
import { columnTypeOf, OPTION_CASTS, queriesOf, tableMeta, type AttributeMeta } from './describe.js';

const BASE_SELECT = ['LogicalName', 'AttributeType', 'IsCustomAttribute'];

export const entityKey = (table: string): string => `LogicalName='${table.replace(/'/g, "''")}'`;

export async function readTables(args: { client: DataverseClient; tables: readonly string[]; now: () => Date }): Promise<ObjectSetupState[]> {
  const plans = args.tables.map((table) => ({ table, queries: queriesOf(table, true, BASE_SELECT) }));
  // Per table: its attribute queries, then its keys, then its definition.
  const perTable = (plans[0]?.queries.length ?? 0) + 2;
  const answers = await readBatch({
    client: args.client,
    op: 'setup.read',
    expected: plans.length * perTable,
    now: args.now,
    build: async (dwa) => {
      for (const { table, queries } of plans) {
        for (const { cast, select, expand } of queries) {
          await dwa.retrieveAttributes({ entityKey: entityKey(table), ...(cast ? { castType: `Microsoft.Dynamics.CRM.${cast}` } : {}), select: [...select], ...(expand ? { expand: [{ property: expand }] } : {}) });
        }
        await dwa.retrieve({ collection: 'EntityDefinitions', key: entityKey(table), navigationProperty: 'Keys', select: ['LogicalName', 'KeyAttributes'] });
        await dwa.retrieveEntity({ key: entityKey(table), select: ['ChangeTrackingEnabled'] });
      }
    },
  });
  const parts = answers as { value?: unknown[]; ChangeTrackingEnabled?: boolean }[];
  return plans.map(({ table }, i) => {
    const own = parts.slice(i * perTable, (i + 1) * perTable);
    const definition = own.pop();
    const keys = (own.pop()?.value ?? []) as { KeyAttributes?: string[] }[];
    const meta = tableMeta(own.map((part) => (part.value ?? []) as AttributeMeta[]));
    const fields: ExistingField[] = meta.attributes.map((c) => ({
      name: c.LogicalName,
      type: columnTypeOf(c.AttributeType, meta.dateOnly.has(c.LogicalName)),
      custom: c.IsCustomAttribute === true,
      externalId: false,
      length: meta.lengths.get(c.LogicalName) ?? null,
      picklistValues: c.AttributeType in OPTION_CASTS ? (meta.options.get(c.LogicalName) ?? []) : null,
    }));
    return { name: table, fields, alternateKeys: keys.map((k) => k.KeyAttributes ?? []), changeTracking: definition?.ChangeTrackingEnabled === true };
  });
}
