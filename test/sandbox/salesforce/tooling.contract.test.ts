import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type jsforce from 'jsforce';
import { startFixture, type Fixture } from './emulator-fixture.js';

let fx: Fixture;
let conn: jsforce.Connection;

beforeAll(async () => {
  fx = await startFixture({ size: 6, options: { customFields: 'absent' } });
  conn = await fx.connect();
});
afterAll(async () => fx.close());

async function fieldOf(object: string, name: string): Promise<Record<string, unknown> | undefined> {
  const described = await conn.sobject(object).describe();
  return described.fields.find((f) => f.name === name) as unknown as Record<string, unknown> | undefined;
}

async function refusal(run: () => Promise<unknown>): Promise<{ errorCode?: string; message?: string }> {
  try {
    await run();
  } catch (error) {
    return error as { errorCode?: string; message?: string };
  }
  throw new Error('expected a refusal');
}

describe('an org started without the custom fields', () => {
  it('has seeded rows but none of the mapped custom fields, and refuses writing them', async () => {
    expect(await fieldOf('Opportunity', 'Referral_Id__c')).toBeUndefined();
    expect(await fieldOf('Lead', 'Sync_With_Partner_Center__c')).toBeUndefined();
    expect(await fieldOf('Account', 'DUNS__c')).toBeUndefined();
    expect((await conn.query('SELECT Id FROM Opportunity')).totalSize).toBe(6);
    const error = await refusal(() => conn.sobject('Opportunity').create({ Name: 'x', StageName: 'Prospecting', CloseDate: '2024-05-01', Referral_Id__c: 'r-1' }));
    expect(error.errorCode).toBe('INVALID_FIELD');
  });
});

describe('Tooling API CustomField through jsforce conn.tooling', () => {
  it('creates a text external id that describe shows and upserts use', async () => {
    const result = await conn.tooling.create('CustomField', {
      FullName: 'Opportunity.Referral_Id__c',
      Metadata: { type: 'Text', length: 64, label: 'Referral ID', externalId: true, unique: true },
    });
    expect(result).toMatchObject({ success: true, id: expect.stringMatching(/^00N/) });
    expect(await fieldOf('Opportunity', 'Referral_Id__c')).toMatchObject({ type: 'string', length: 64, externalId: true, unique: true, custom: true, label: 'Referral ID' });
    const created = await conn.sobject('Opportunity').upsert({ Name: 'Upserted', StageName: 'Prospecting', CloseDate: '2024-05-01', Referral_Id__c: 'ref-1' }, 'Referral_Id__c');
    expect(created.success).toBe(true);
    const rows = await conn.query<{ Name: string }>("SELECT Name FROM Opportunity WHERE Referral_Id__c = 'ref-1'");
    expect(rows.records.map((r) => r.Name)).toEqual(['Upserted']);
  });

  it('creates a checkbox that existing rows read as its default', async () => {
    await conn.tooling.create('CustomField', { FullName: 'Lead.Sync_With_Partner_Center__c', Metadata: { type: 'Checkbox', defaultValue: 'false', label: 'Sync with Partner Center' } });
    const leads = await conn.query<{ Sync_With_Partner_Center__c: boolean }>('SELECT Sync_With_Partner_Center__c FROM Lead');
    expect(leads.totalSize).toBeGreaterThan(0);
    expect(leads.records.every((r) => r.Sync_With_Partner_Center__c === false)).toBe(true);
  });

  it('creates a restricted picklist whose values describe lists and writes respect', async () => {
    await conn.tooling.create('CustomField', {
      FullName: 'Opportunity.Microsoft_Help__c',
      Metadata: {
        type: 'Picklist',
        label: 'How can Microsoft help?',
        valueSet: { restricted: true, valueSetDefinition: { sorted: false, value: [{ fullName: 'GeneralOrOther', label: 'GeneralOrOther', default: false }, { fullName: 'QuotesOrLicensing', label: 'QuotesOrLicensing', default: false }] } },
      },
    });
    const described = await fieldOf('Opportunity', 'Microsoft_Help__c');
    expect((described?.['picklistValues'] as Array<{ value: string }>).map((v) => v.value)).toEqual(['GeneralOrOther', 'QuotesOrLicensing']);
    const refused = await refusal(() => conn.sobject('Opportunity').create({ Name: 'p', StageName: 'Prospecting', CloseDate: '2024-05-01', Microsoft_Help__c: 'Nope' }));
    expect(refused.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
  });

  it('answers CustomField queries, and a Metadata update adds a picklist value', async () => {
    const all = await conn.tooling.query<{ Id: string; DeveloperName: string }>("SELECT Id, DeveloperName FROM CustomField WHERE TableEnumOrId = 'Opportunity'");
    expect(all.records.map((r) => r.DeveloperName).sort()).toEqual(['Microsoft_Help', 'Referral_Id']);
    const one = await conn.tooling.query<{ Id: string; Metadata: { valueSet: { valueSetDefinition: { value: Array<{ fullName: string }> } } } }>(
      "SELECT Id, Metadata FROM CustomField WHERE TableEnumOrId = 'Opportunity' AND DeveloperName = 'Microsoft_Help'",
    );
    const row = one.records[0];
    expect(row?.Metadata.valueSet.valueSetDefinition.value.map((v) => v.fullName)).toEqual(['GeneralOrOther', 'QuotesOrLicensing']);
    const metadata = { ...row?.Metadata, valueSet: { restricted: true, valueSetDefinition: { sorted: false, value: [...(row?.Metadata.valueSet.valueSetDefinition.value ?? []), { fullName: 'ProofOfConceptOrDemo', label: 'ProofOfConceptOrDemo', default: false }] } } };
    await conn.tooling.sobject('CustomField').update({ Id: row?.Id ?? '', Metadata: metadata });
    const described = await fieldOf('Opportunity', 'Microsoft_Help__c');
    expect((described?.['picklistValues'] as Array<{ value: string }>).map((v) => v.value)).toContain('ProofOfConceptOrDemo');
    const error = await refusal(async () => conn.tooling.query("SELECT Id, Metadata FROM CustomField WHERE TableEnumOrId = 'Opportunity'"));
    expect(error.errorCode).toBe('MALFORMED_QUERY');
  });

  it('refuses a duplicate field and a text field without a length, as the Tooling API does', async () => {
    const duplicate = await refusal(() => conn.tooling.create('CustomField', { FullName: 'Opportunity.Referral_Id__c', Metadata: { type: 'Text', length: 10, label: 'Again' } }));
    expect(duplicate.errorCode).toBe('DUPLICATE_DEVELOPER_NAME');
    const noLength = await refusal(() => conn.tooling.create('CustomField', { FullName: 'Opportunity.Notes_Here__c', Metadata: { type: 'Text', label: 'Notes' } }));
    expect(noLength.errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
    expect(await fieldOf('Opportunity', 'Notes_Here__c')).toBeUndefined();
  });
});

describe('field access: PermissionSet, FieldPermissions, PermissionSetAssignment', () => {
  it('grants a field to a permission set assigned to the integration user, once', async () => {
    const set = await conn.sobject('PermissionSet').create({ Name: 'Cosell_Sync', Label: 'cosell-sync' });
    expect(set.success).toBe(true);
    const grant = await conn.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'Opportunity', Field: 'Opportunity.Referral_Id__c', PermissionsRead: true, PermissionsEdit: true });
    expect(grant.success).toBe(true);
    const again = await refusal(() => conn.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'Opportunity', Field: 'Opportunity.Referral_Id__c', PermissionsRead: true, PermissionsEdit: true }));
    expect(again.errorCode).toBe('DUPLICATE_VALUE');
    const unknown = await refusal(() => conn.sobject('FieldPermissions').create({ ParentId: set.id, SobjectType: 'Opportunity', Field: 'Opportunity.No_Such__c', PermissionsRead: true, PermissionsEdit: false }));
    expect(unknown.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    const assigned = await conn.sobject('PermissionSetAssignment').create({ AssigneeId: fx.control.integrationUser.id, PermissionSetId: set.id });
    expect(assigned.success).toBe(true);
    const twice = await refusal(() => conn.sobject('PermissionSetAssignment').create({ AssigneeId: fx.control.integrationUser.id, PermissionSetId: set.id }));
    expect(twice.errorCode).toBe('DUPLICATE_VALUE');
    const perms = await conn.query<{ Field: string }>(`SELECT Field FROM FieldPermissions WHERE ParentId = '${set.id ?? ''}'`);
    expect(perms.records.map((r) => r.Field)).toEqual(['Opportunity.Referral_Id__c']);
  });
});
