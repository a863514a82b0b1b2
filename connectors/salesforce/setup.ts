/**
 * `crm setup` in Salesforce: describe (fresh) for the fields, the permission set and its field
 * permissions and assignments by SOQL, custom fields and their picklist values through jsforce's
 * tooling client (`CustomField` with `Metadata`), permission set rows through the REST API, field
 * grants as sObject Collections (setup-grants.ts). Every call is a SalesforceClient call (retries,
 * classification, correlation ids).
 */
import type { ExistingField, GrantFieldAccess, ObjectSetupState, OrgSetupState, PermissionSetState, SetupAction } from '../../src/domain/crm-setup.js';
import { ConnectorError } from '../errors.js';
import type { CrmSetup } from '../types.js';
import { asConnectorError } from './classify-error.js';
import type { SalesforceClient } from './client.js';
import { customFieldMetadata, stageValue, valueSetOf, type CustomFieldMetadata, type MetadataValue } from './custom-field.js';
import { fieldTypeOf } from './describe.js';
import { queryAllRows } from './query-pages.js';
import { FieldPermissionRows, grantFieldAccess } from './setup-grants.js';
import { soqlString } from './soql.js';
import { parseDescribe } from './wire/rest.js';

/** The permission set setup keeps the integration user's field access in. */
export const SETUP_PERMISSION_SET = 'Cosell_Sync';

/** The standard value set behind a standard picklist setup extends. */
const STANDARD_VALUE_SETS: Readonly<Record<string, string>> = { 'Opportunity.StageName': 'OpportunityStage' };

const USER_ID = /^005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?$/;

interface SaveResult {
  id?: string;
  success?: boolean;
}

export function createSalesforceSetup(client: SalesforceClient): CrmSetup {
  const query = async (soql: string, op: string): Promise<Record<string, unknown>[]> => queryAllRows({ client, soql, op });
  const rest = <T>(args: { op: string; method: 'GET' | 'POST' | 'PATCH'; url: string; body?: unknown }): Promise<T> =>
    client.call<T>({ ...args, isWrite: args.method !== 'GET', nonIdempotent: args.method === 'POST' });
  const tooling = <T>(args: { op: string; method: 'GET' | 'POST' | 'PATCH'; url: string; body?: unknown }): Promise<T> =>
    client.call<T>({ ...args, api: 'tooling', isWrite: args.method !== 'GET', nonIdempotent: args.method === 'POST' });

  async function readObject(name: string): Promise<ObjectSetupState> {
    const describe = parseDescribe(await client.call<unknown>({ op: 'setup.describe', method: 'GET', url: `/sobjects/${encodeURIComponent(name)}/describe` }), `describe ${name}`);
    const fields: ExistingField[] = describe.fields.map((f) => ({
      name: f.name,
      type: fieldTypeOf(f),
      custom: f.custom === true,
      externalId: f.externalId === true,
      length: f.length > 0 ? f.length : null,
      picklistValues: f.type === 'picklist' || f.type === 'multipicklist' ? (f.picklistValues ?? []).filter((p) => p.active).map((p) => p.value) : null,
    }));
    return { name: describe.name, fields, alternateKeys: null, changeTracking: null };
  }

  /** Found once per run: every grant of a run goes to the same set. */
  let knownSetId: string | null = null;
  async function permissionSetId(): Promise<string | null> {
    if (knownSetId !== null) return knownSetId;
    const rows = await query(`SELECT Id FROM PermissionSet WHERE Name = ${soqlString(SETUP_PERMISSION_SET)}`, 'setup.permissionSet');
    const id = rows[0]?.['Id'];
    knownSetId = typeof id === 'string' ? id : null;
    return knownSetId;
  }

  /** The set's FieldPermissions rows as last read (with the org) and written since: the grants' updates and creates. */
  let knownRows: FieldPermissionRows | null = null;
  const fieldPermissions = async (setId: string): Promise<Record<string, unknown>[]> =>
    query(`SELECT Id, Field, PermissionsRead, PermissionsEdit FROM FieldPermissions WHERE ParentId = ${soqlString(setId)}`, 'setup.fieldPermissions');

  async function readPermissionSet(): Promise<PermissionSetState> {
    const id = await permissionSetId();
    if (id === null) return { name: SETUP_PERMISSION_SET, exists: false, editable: [], assignees: [] };
    const perms = await fieldPermissions(id);
    knownRows = FieldPermissionRows.of(id, perms);
    const assigned = await query(`SELECT AssigneeId FROM PermissionSetAssignment WHERE PermissionSetId = ${soqlString(id)}`, 'setup.assignments');
    return {
      name: SETUP_PERMISSION_SET,
      exists: true,
      editable: perms.filter((p) => p['PermissionsRead'] === true && p['PermissionsEdit'] === true).map((p) => String(p['Field'])),
      assignees: assigned.map((a) => String(a['AssigneeId'])),
    };
  }

  /** A username, a user id, or '' for the user this connection signs in as (its identity URL). */
  async function findUser(asked: string): Promise<{ asked: string; id: string | null }> {
    if (asked === '') {
      const resources = await client.call<{ identity?: unknown }>({ op: 'setup.identity', method: 'GET', url: '/' });
      const id = typeof resources.identity === 'string' ? (resources.identity.split('/').pop() ?? null) : null;
      return { asked: 'the integration user', id: id && USER_ID.test(id) ? id : null };
    }
    const where = USER_ID.test(asked) ? `Id = ${soqlString(asked)}` : `Username = ${soqlString(asked)}`;
    const rows = await query(`SELECT Id FROM User WHERE ${where} AND IsActive = true`, 'setup.user');
    const id = rows[0]?.['Id'];
    return { asked, id: typeof id === 'string' ? id : null };
  }

  async function customFieldRow(object: string, name: string): Promise<{ id: string; metadata: CustomFieldMetadata }> {
    const soql = `SELECT Id, Metadata FROM CustomField WHERE TableEnumOrId = ${soqlString(object)} AND DeveloperName = ${soqlString(name.replace(/__c$/, ''))}`;
    const page = await tooling<{ records?: { Id?: unknown; Metadata?: unknown }[] }>({ op: 'setup.tooling.query', method: 'GET', url: `/query?q=${encodeURIComponent(soql)}` });
    const row = page.records?.[0];
    if (typeof row?.Id !== 'string' || typeof row.Metadata !== 'object' || row.Metadata === null) {
      throw new ConnectorError({ kind: 'notFound', system: 'salesforce', message: `the Tooling API has no CustomField ${object}.${name}` });
    }
    return { id: row.Id, metadata: row.Metadata as CustomFieldMetadata };
  }

  /** Opportunity stages are the standard value set `OpportunityStage` (Metadata API Developer Guide, StandardValueSet). */
  async function addStages(action: Extract<SetupAction, { kind: 'addStatusValues' }>): Promise<void> {
    const set = STANDARD_VALUE_SETS[`${action.object}.${action.name}`];
    if (!set) throw new ConnectorError({ kind: 'invalid', system: 'salesforce', message: `setup adds values to the opportunity stages only, not ${action.object}.${action.name}` });
    const soql = `SELECT Id, Metadata FROM StandardValueSet WHERE MasterLabel = ${soqlString(set)}`;
    const page = await tooling<{ records?: { Id?: unknown; Metadata?: { standardValue?: MetadataValue[] } & Record<string, MetadataValue> }[] }>({ op: 'setup.tooling.query', method: 'GET', url: `/query?q=${encodeURIComponent(soql)}` });
    const row = page.records?.[0];
    if (typeof row?.Id !== 'string' || !row.Metadata) throw new ConnectorError({ kind: 'notFound', system: 'salesforce', message: `the Tooling API has no StandardValueSet ${set}` });
    const added = action.options.map(stageValue);
    const metadata = { ...row.Metadata, standardValue: [...(row.Metadata.standardValue ?? []), ...added] };
    await tooling({ op: 'setup.addStatusValues', method: 'PATCH', url: `/sobjects/StandardValueSet/${row.Id}`, body: { Metadata: metadata } });
  }

  async function grantAll(grants: readonly GrantFieldAccess[]): Promise<(ConnectorError | null)[]> {
    const setId = await permissionSetId();
    if (setId === null) throw new ConnectorError({ kind: 'notFound', system: 'salesforce', message: `no permission set ${grants[0]?.permissionSet ?? SETUP_PERMISSION_SET}` });
    // Grants without an org read before them (or for another set) read the set's rows once here.
    if (knownRows?.setId !== setId) knownRows = FieldPermissionRows.of(setId, await fieldPermissions(setId));
    return grantFieldAccess({ client, rows: knownRows, grants });
  }

  async function apply(action: SetupAction): Promise<void> {
    switch (action.kind) {
      case 'createField':
        await tooling<SaveResult>({ op: 'setup.createField', method: 'POST', url: '/sobjects/CustomField', body: { FullName: `${action.object}.${action.name}`, Metadata: customFieldMetadata(action.need) } });
        return;
      case 'addPicklistValues': {
        const row = await customFieldRow(action.object, action.name);
        const current = (row.metadata['valueSet'] as { valueSetDefinition?: { value?: { fullName: string; label?: string }[] } } | undefined)?.valueSetDefinition?.value ?? [];
        const options = [...current.map((v) => ({ value: v.fullName, label: v.label ?? v.fullName })), ...action.options];
        const metadata: Record<string, MetadataValue> = { ...row.metadata, valueSet: valueSetOf(options) };
        await tooling({ op: 'setup.addPicklistValues', method: 'PATCH', url: `/sobjects/CustomField/${row.id}`, body: { Metadata: metadata } });
        return;
      }
      case 'addStatusValues':
        await addStages(action);
        return;
      case 'createPermissionSet':
        knownSetId = (await rest<SaveResult>({ op: 'setup.createPermissionSet', method: 'POST', url: '/sobjects/PermissionSet', body: { Name: action.name, Label: action.label, Description: 'Field access of the cosell-sync integration user (made by cosell-sync crm setup)' } })).id ?? null;
        // A new set grants no field yet.
        knownRows = knownSetId === null ? null : FieldPermissionRows.of(knownSetId, []);
        return;
      case 'grantFieldAccess': {
        const [failed] = await grantAll([action]);
        if (failed) throw failed;
        return;
      }
      case 'assignPermissionSet': {
        const parentId = await permissionSetId();
        await rest({ op: 'setup.assign', method: 'POST', url: '/sobjects/PermissionSetAssignment', body: { AssigneeId: action.userId, PermissionSetId: parentId } });
        return;
      }
      case 'createAlternateKey':
      case 'enableChangeTracking':
        throw new ConnectorError({ kind: 'invalid', system: 'salesforce', message: `${action.kind} is a Dataverse step` });
    }
  }

  return {
    async readOrg(args): Promise<OrgSetupState> {
      try {
        const objects: ObjectSetupState[] = [];
        for (const name of args.objects) objects.push(await readObject(name));
        const permissionSet = await readPermissionSet();
        return { system: 'salesforce', objects, permissionSet, ...(args.assignee === undefined ? {} : { assignee: await findUser(args.assignee) }) };
      } catch (error) {
        throw asConnectorError(error, 'setup');
      }
    },
    async apply(action) {
      try {
        await apply(action);
      } catch (error) {
        throw asConnectorError(error, action.kind);
      }
    },
    async grantAll(grants) {
      try {
        return await grantAll(grants);
      } catch (error) {
        throw asConnectorError(error, 'grantFieldAccess');
      }
    },
  };
}
