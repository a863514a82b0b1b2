/**
 * `crm setup` in Dataverse, on dynamics-web-api through DataverseClient: the tables' columns,
 * alternate keys and change tracking read fresh in one request (setup-read.ts); columns and keys
 * created by POST, change tracking turned on by PUT of the table definition ("Create and update
 * table definitions using the Web API": a table definition is updated whole, so it is read first
 * and sent back with the one change).
 */
import type { Clock } from '../../src/core/clock.js';
import type { OrgSetupState, SetupAction } from '../../src/domain/crm-setup.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import type { CrmSetup } from '../types.js';
import type { DataverseClient } from './client.js';
import { alternateKeyDefinition, columnDefinition, statusValueDefinition } from './column-definition.js';
import { entityKey, readTables } from './setup-read.js';

const asError = (error: unknown, op: string): ConnectorError =>
  isConnectorError(error) ? error : new ConnectorError({ kind: 'unknown', system: 'dynamics', message: `${op}: ${error instanceof Error ? error.message : String(error)}`, cause: error });

export function createDynamicsSetup({ client, clock }: { client: DataverseClient; clock: Clock }): CrmSetup {
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
        const objects = await readTables({ client, tables: args.objects, now: () => clock.now() });
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
