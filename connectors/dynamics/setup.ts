/**
 * `crm setup` in Dataverse, on dynamics-web-api through DataverseClient: the tables' columns
 * (base properties on the collection, lengths and options through their casts), alternate keys
 * and change tracking read fresh; columns and keys created by POST, change tracking turned on by
 * PUT of the table definition ("Create and update table definitions using the Web API": a table
 * definition is updated whole, so it is read first and sent back with the one change).
 */
import type { ExistingField, ObjectSetupState, OrgSetupState, SetupAction } from '../../src/domain/crm-setup.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import type { CrmSetup } from '../types.js';
import type { DataverseClient } from './client.js';
import { alternateKeyDefinition, columnDefinition, statusValueDefinition } from './column-definition.js';
import { columnTypeOf, LENGTH_CASTS, OPTION_CASTS } from './describe.js';

interface Column {
  LogicalName: string;
  AttributeType: string;
  IsCustomAttribute?: boolean;
  MaxLength?: number;
  DateTimeBehavior?: { Value?: string } | null;
  OptionSet?: { Options?: { Value: number }[] } | null;
}

const asError = (error: unknown, op: string): ConnectorError =>
  isConnectorError(error) ? error : new ConnectorError({ kind: 'unknown', system: 'dynamics', message: `${op}: ${error instanceof Error ? error.message : String(error)}`, cause: error });

const entityKey = (table: string): string => `LogicalName='${table.replace(/'/g, "''")}'`;

export function createDynamicsSetup(client: DataverseClient): CrmSetup {
  const columns = (table: string, cast: string | null, select: string[], expand?: string): Promise<Column[]> =>
    client
      .call({ op: 'setup.columns' }, (dwa, extras) =>
        dwa.retrieveAttributes<Column>({ entityKey: entityKey(table), ...(cast ? { castType: `Microsoft.Dynamics.CRM.${cast}` } : {}), select, ...(expand ? { expand: [{ property: expand }] } : {}), ...extras }),
      )
      .then((page) => page.value);

  async function readTable(table: string): Promise<ObjectSetupState> {
    const base = await columns(table, null, ['LogicalName', 'AttributeType', 'IsCustomAttribute']);
    const present = new Set(base.map((c) => c.AttributeType));
    const lengths = new Map<string, number>();
    for (const [type, cast] of Object.entries(LENGTH_CASTS)) {
      if (!present.has(type)) continue;
      for (const c of await columns(table, cast, ['LogicalName', 'MaxLength'])) if (typeof c.MaxLength === 'number') lengths.set(c.LogicalName, c.MaxLength);
    }
    const dateOnly = new Set<string>();
    if (present.has('DateTime')) {
      for (const c of await columns(table, 'DateTimeAttributeMetadata', ['LogicalName', 'DateTimeBehavior'])) if (c.DateTimeBehavior?.Value === 'DateOnly') dateOnly.add(c.LogicalName);
    }
    const options = new Map<string, string[]>();
    for (const [type, cast] of Object.entries(OPTION_CASTS)) {
      if (!present.has(type)) continue;
      for (const c of await columns(table, cast, ['LogicalName'], 'OptionSet')) options.set(c.LogicalName, (c.OptionSet?.Options ?? []).map((o) => String(o.Value)));
    }
    const fields: ExistingField[] = base.map((c) => ({
      name: c.LogicalName,
      type: columnTypeOf(c.AttributeType, dateOnly.has(c.LogicalName)),
      custom: c.IsCustomAttribute === true,
      externalId: false,
      length: lengths.get(c.LogicalName) ?? null,
      picklistValues: c.AttributeType in OPTION_CASTS ? (options.get(c.LogicalName) ?? []) : null,
    }));
    const keys = await client.call({ op: 'setup.keys' }, (dwa, extras) =>
      dwa.retrieve<{ value: { KeyAttributes?: string[] }[] }>({ collection: 'EntityDefinitions', key: entityKey(table), navigationProperty: 'Keys', select: ['LogicalName', 'KeyAttributes'], ...extras }),
    );
    const entity = await client.call({ op: 'setup.table' }, (dwa, extras) => dwa.retrieveEntity<{ ChangeTrackingEnabled?: boolean }>({ key: entityKey(table), select: ['ChangeTrackingEnabled'], ...extras }));
    return { name: table, fields, alternateKeys: keys.value.map((k) => k.KeyAttributes ?? []), changeTracking: entity.ChangeTrackingEnabled === true };
  }

  async function apply(action: SetupAction): Promise<void> {
    switch (action.kind) {
      case 'createField': {
        const data = columnDefinition(action.name, action.need);
        await client.call({ op: 'setup.createColumn', write: true }, (dwa, extras) => dwa.createAttribute({ entityKey: entityKey(action.object), data, ...extras }));
        return;
      }
      case 'createAlternateKey': {
        const data = alternateKeyDefinition({ name: action.name, columns: action.columns });
        await client.call({ op: 'setup.createKey', write: true }, (dwa, extras) => dwa.create({ collection: 'EntityDefinitions', key: entityKey(action.object), navigationProperty: 'Keys', data, ...extras }));
        return;
      }
      case 'enableChangeTracking': {
        const definition = await client.call({ op: 'setup.table' }, (dwa, extras) => dwa.retrieveEntity<Record<string, unknown>>({ key: entityKey(action.object), ...extras }));
        await client.call({ op: 'setup.changeTracking', write: true }, (dwa, extras) => dwa.updateEntity({ data: { ...definition, ChangeTrackingEnabled: true }, mergeLabels: true, ...extras }));
        return;
      }
      case 'addStatusValues':
        // One InsertStatusValue per status reason, under the state the mapping pairs it with
        // (Web API "InsertStatusValue Action").
        for (const option of action.options) {
          const body = statusValueDefinition({ table: action.object, column: action.name, option });
          await client.call({ op: 'setup.addStatusValue', write: true }, (dwa, extras) => dwa.callAction({ actionName: 'InsertStatusValue', action: body, ...extras }));
        }
        return;
      default:
        throw new ConnectorError({ kind: 'invalid', system: 'dynamics', message: `${action.kind}: Dataverse setup makes columns, keys and change tracking; field access comes with the application user's security role` });
    }
  }

  return {
    async readOrg(args): Promise<OrgSetupState> {
      try {
        const objects: ObjectSetupState[] = [];
        for (const table of args.objects) objects.push(await readTable(table));
        return { system: 'dynamics', objects, permissionSet: null };
      } catch (error) {
        throw asError(error, 'setup');
      }
    },
    async apply(action) {
      try {
        await apply(action);
      } catch (error) {
        throw asError(error, action.kind);
      }
    },
  };
}
