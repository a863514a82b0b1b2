/**
 * `crm setup --emit DIR`: the files are read back and deployed as an admin's pipeline would
 * (Salesforce source through the Tooling API, the Dataverse column definitions through the Web
 * API) to orgs without the custom fields; the orgs then have every field the mapping needs, of the
 * kind setup itself would create.
 */
import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import type jsforce from 'jsforce';
import { parseStringPromise } from 'xml2js';
import { fieldNeeds } from '../../mappings/index.js';
import { writeSetupSource } from '../../src/setup/emit.js';
import { PERMISSION_SET, placedCustomNeeds } from '../../src/setup/plan.js';
import { orgShapeOf } from '../../sandbox/org-profiles.js';
import { loadDefault } from '../mappings/fixtures.js';
import { startHarness as startDataverse, type Harness as DataverseHarness } from '../sandbox/dataverse/harness.js';
import { startFixture, type Fixture } from '../sandbox/salesforce/emulator-fixture.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cosell-emit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** XML text values back to the Metadata API's types (a default value is a formula: text). */
function typed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(typed);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '$').map(([k, v]) => [k, k === 'defaultValue' ? v : typed(v)]));
  if (value === 'true' || value === 'false') return value === 'true';
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

async function readXml(path: string): Promise<Record<string, unknown>> {
  const doc = (await parseStringPromise(readFileSync(path, 'utf8'), { explicitArray: false })) as Record<string, Record<string, unknown>>;
  const [root] = Object.values(doc);
  return typed(root) as Record<string, unknown>;
}

describe('Salesforce source format', () => {
  let fx: Fixture;
  let conn: jsforce.Connection;
  beforeAll(async () => {
    fx = await startFixture({ size: 4, options: { customFields: 'absent' }, shape: orgShapeOf('standard-stages') });
    conn = await fx.connect();
  });
  afterAll(() => fx.close());

  it('writes one field file per custom field, a permission set granting each and the stages, which deploy to an org with none of the fields and the standard stages only', async () => {
    const needs = fieldNeeds(loadDefault('salesforce'));
    const written = writeSetupSource({ dir, system: 'salesforce', needs });
    const root = join(dir, 'salesforce');
    const fieldFiles = ['Opportunity', 'Lead', 'Account'].flatMap((o) => readdirSync(join(root, 'objects', o, 'fields')).map((f) => join('objects', o, 'fields', f)));
    expect(fieldFiles.sort()).toEqual(written.filter((p) => p.endsWith('.field-meta.xml')).map((p) => p.slice(root.length + 1)).sort());
    expect(fieldFiles).toHaveLength(22);

    for (const file of fieldFiles) {
      const [, object, , name] = file.split('/');
      const { fullName, ...metadata } = await readXml(join(root, file));
      expect(`${fullName as string}.field-meta.xml`).toBe(name);
      // The pipeline's deploy, here through the Tooling API the sandbox serves.
      await conn.tooling.create('CustomField', { FullName: `${object ?? ''}.${fullName as string}`, Metadata: metadata });
    }
    const opportunity = await conn.sobject('Opportunity').describe();
    const field = (n: string) => opportunity.fields.find((f) => f.name === n);
    expect(field('Referral_Id__c')).toMatchObject({ type: 'string', length: 64, externalId: true, unique: true });
    expect(field('Sync_With_Partner_Center__c')).toMatchObject({ type: 'boolean' });
    expect(field('Respond_By__c')).toMatchObject({ type: 'datetime' });
    expect(field('Microsoft_Help__c')?.picklistValues?.map((v) => v.value)).toEqual(['GeneralOrOther', 'CustomerTechnicalArchitecture', 'ProofOfConceptOrDemo', 'QuotesOrLicensing', 'PostSalesCustomerSuccess', 'WorkloadSpecificValueProposition']);
    expect((await conn.sobject('Account').describe()).fields.find((f) => f.name === 'DUNS__c')).toMatchObject({ type: 'string', length: 9 });

    const set = await readXml(join(root, 'permissionsets', `${PERMISSION_SET.name}.permissionset-meta.xml`));
    expect(set['label']).toBe(PERMISSION_SET.label);
    const perms = set['fieldPermissions'] as { field: string; readable: boolean; editable: boolean }[];
    expect(perms.map((p) => p.field).sort()).toEqual(placedCustomNeeds('salesforce', needs).map((n) => `${n.object}.${n.name}`).sort());
    expect(perms.every((p) => p.readable && p.editable)).toBe(true);

    // The stages, deployed over the org's standard ones: the co-sell stages arrive, closed or open.
    const stages = await readXml(join(root, 'standardValueSets', 'OpportunityStage.standardValueSet-meta.xml'));
    const values = stages['standardValue'] as { fullName: string; closed: boolean; won: boolean }[];
    expect(values.filter((v) => v.closed && !v.won).map((v) => v.fullName)).toEqual(['Closed Lost', 'Declined', 'Expired']);
    const [stageSet] = (await conn.tooling.query<{ Id: string; Metadata: Record<string, unknown> }>("SELECT Id, Metadata FROM StandardValueSet WHERE MasterLabel = 'OpportunityStage'")).records;
    await conn.tooling.sobject('StandardValueSet').update({ Id: stageSet?.Id ?? '', Metadata: { ...stageSet?.Metadata, standardValue: values } });
    const created = await conn.sobject('Opportunity').create({ Name: 'expired deal', StageName: 'Expired', CloseDate: '2024-05-01' });
    expect((await conn.query<{ IsClosed: boolean }>(`SELECT IsClosed FROM Opportunity WHERE Id = '${created.id ?? ''}'`)).records[0]?.IsClosed).toBe(true);
  });
});

describe('Dataverse column list', () => {
  let h: DataverseHarness;
  beforeAll(async () => {
    h = await startDataverse({ size: 4, options: { customColumns: 'absent' }, shape: orgShapeOf('standard-stages') });
  });
  afterAll(() => h.close());

  it('writes a CSV an admin reads and the Web API definitions, which create every column, key and status reason in an org without them', async () => {
    const needs = fieldNeeds(loadDefault('dynamics'));
    writeSetupSource({ dir, system: 'dynamics', needs });
    const rows = parse(readFileSync(join(dir, 'dynamics', 'columns.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.filter((r) => r['type'] !== 'status reason')).toHaveLength(17);
    expect(rows.filter((r) => r['type'] === 'status reason').map((r) => r['choices'])).toEqual(['100000001=Declined (state 2)', '100000002=Expired (state 2)']);
    expect(rows.find((r) => r['table'] === 'lead' && r['column'] === 'cosell_referralid')).toMatchObject({ schemaName: 'cosell_Referralid', type: 'text', maxLength: '64', alternateKey: 'cosell_referralid_key' });
    expect(rows.find((r) => r['column'] === 'cosell_microsofthelp')?.['choices']).toContain('100000003=QuotesOrLicensing');
    expect(rows.find((r) => r['table'] === 'account')).toMatchObject({ column: 'cosell_duns', maxLength: '9' });

    const json = JSON.parse(readFileSync(join(dir, 'dynamics', 'columns.json'), 'utf8')) as {
      columns: { table: string; definition: Record<string, unknown> }[];
      alternateKeys: { table: string; definition: Record<string, unknown> }[];
      statusValues: { action: string; body: Record<string, unknown> }[];
      changeTracking: string[];
    };
    const dwa = h.client();
    for (const c of json.columns) await dwa.createAttribute({ entityKey: `LogicalName='${c.table}'`, data: c.definition });
    for (const k of json.alternateKeys) await dwa.create({ collection: 'EntityDefinitions', key: `LogicalName='${k.table}'`, navigationProperty: 'Keys', data: k.definition });
    for (const v of json.statusValues) await dwa.callAction({ actionName: v.action, action: v.body });
    expect(json.changeTracking).toEqual(['opportunity', 'lead']);

    const strings = await dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", castType: 'Microsoft.Dynamics.CRM.StringAttributeMetadata', select: ['LogicalName', 'MaxLength'], filter: "LogicalName eq 'cosell_referralid'" });
    expect(strings.value).toEqual([expect.objectContaining({ LogicalName: 'cosell_referralid', MaxLength: 64 })]);
    const keys = await dwa.retrieve<{ value: { KeyAttributes: string[] }[] }>({ collection: 'EntityDefinitions', key: "LogicalName='lead'", navigationProperty: 'Keys' });
    expect(keys.value.map((k) => k.KeyAttributes)).toEqual([['cosell_referralid']]);
    const id = await dwa.create<Record<string, unknown>, string>({ collection: 'opportunities', data: { name: 'deployed from the column list', cosell_syncwithpartnercenter: true, cosell_microsofthelp: 100000003, cosell_respondby: '2024-05-01T10:00:00Z' } });
    await dwa.callAction({ actionName: 'LoseOpportunity', action: { Status: 100000002, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})` } } });
    expect(h.emulator.control.getRecord({ table: 'opportunities', id })).toMatchObject({ statecode: 2, statuscode: 100000002 });
  });
});
