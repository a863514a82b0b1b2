import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DynamicsWebApi } from 'dynamics-web-api';
import { rejection, startHarness, type Harness } from './harness.js';

let h: Harness;
let dwa: DynamicsWebApi;

beforeAll(async () => {
  h = await startHarness({ size: 20, options: { customColumns: 'absent', changeTrackingEnabled: { lead: false } } });
  dwa = h.client();
});
afterAll(async () => h.close());

const label = (text: string): Record<string, unknown> => ({
  '@odata.type': 'Microsoft.Dynamics.CRM.Label',
  LocalizedLabels: [{ '@odata.type': 'Microsoft.Dynamics.CRM.LocalizedLabel', Label: text, LanguageCode: 1033 }],
});
const none = { Value: 'None', CanBeChanged: true, ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' };

async function columns(table: string): Promise<string[]> {
  const res = await dwa.retrieveAttributes({ entityKey: `LogicalName='${table}'`, select: ['LogicalName'] });
  return res.value.map((a: { LogicalName: string }) => a.LogicalName);
}

describe('an org started without the custom columns', () => {
  it('has seeded rows but no cosell_ column and no referral-id key; reading one is refused', async () => {
    expect((await columns('opportunity')).filter((c) => c.startsWith('cosell_'))).toEqual([]);
    expect((await columns('account')).filter((c) => c.startsWith('cosell_'))).toEqual([]);
    const entity = await dwa.retrieveEntity({ key: "LogicalName='opportunity'", select: ['LogicalName', 'Keys'] });
    expect(entity.Keys).toEqual([]);
    const res = await h.call('opportunities?$select=cosell_referralid&$top=1');
    expect(res.status).toBe(400);
  });
});

describe('Web API column definitions through dynamics-web-api createAttribute', () => {
  it('creates a string column that reads empty on existing rows, takes writes and reports its MaxLength through the cast', async () => {
    await dwa.createAttribute({
      entityKey: "LogicalName='opportunity'",
      data: { '@odata.type': 'Microsoft.Dynamics.CRM.StringAttributeMetadata', SchemaName: 'cosell_ReferralId', DisplayName: label('Referral ID'), RequiredLevel: none, MaxLength: 64, FormatName: { Value: 'Text' } },
    });
    const cast = await dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", castType: 'Microsoft.Dynamics.CRM.StringAttributeMetadata', select: ['LogicalName', 'SchemaName', 'MaxLength', 'IsCustomAttribute'], filter: "LogicalName eq 'cosell_referralid'" });
    expect(cast.value).toEqual([expect.objectContaining({ LogicalName: 'cosell_referralid', SchemaName: 'cosell_ReferralId', MaxLength: 64, IsCustomAttribute: true })]);
    const rows = await dwa.retrieveMultiple({ collection: 'opportunities', select: ['cosell_referralid'], top: 3 });
    expect(rows.value.map((r: Record<string, unknown>) => r['cosell_referralid'])).toEqual([null, null, null]);
    const id = await dwa.create({ collection: 'opportunities', data: { name: 'with a referral', cosell_referralid: 'ref-77' } });
    expect(id).toEqual(expect.any(String));
    const tooLong = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'x', cosell_referralid: 'r'.repeat(65) } }));
    expect(tooLong.status).toBe(400);
  });

  it('creates a Yes/No, a date-and-time and a choice column with their options', async () => {
    const table = "LogicalName='lead'";
    await dwa.createAttribute({
      entityKey: table,
      data: {
        '@odata.type': 'Microsoft.Dynamics.CRM.BooleanAttributeMetadata', SchemaName: 'cosell_SyncWithPartnerCenter', DisplayName: label('Sync with Partner Center'), RequiredLevel: none, DefaultValue: false,
        OptionSet: { '@odata.type': 'Microsoft.Dynamics.CRM.BooleanOptionSetMetadata', TrueOption: { Value: 1, Label: label('Yes') }, FalseOption: { Value: 0, Label: label('No') }, OptionSetType: 'Boolean' },
      },
    });
    await dwa.createAttribute({ entityKey: table, data: { '@odata.type': 'Microsoft.Dynamics.CRM.DateTimeAttributeMetadata', SchemaName: 'cosell_RespondBy', DisplayName: label('Respond by'), RequiredLevel: none, Format: 'DateAndTime', DateTimeBehavior: { Value: 'UserLocal' } } });
    await dwa.createAttribute({
      entityKey: "LogicalName='opportunity'",
      data: {
        '@odata.type': 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata', SchemaName: 'cosell_MicrosoftHelp', DisplayName: label('How can Microsoft help?'), RequiredLevel: none,
        OptionSet: { '@odata.type': 'Microsoft.Dynamics.CRM.OptionSetMetadata', IsGlobal: false, OptionSetType: 'Picklist', Options: [{ Value: 100000000, Label: label('GeneralOrOther') }, { Value: 100000003, Label: label('QuotesOrLicensing') }] },
      },
    });
    const picklists = await dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", castType: 'Microsoft.Dynamics.CRM.PicklistAttributeMetadata', select: ['LogicalName'], expand: [{ property: 'OptionSet' }], filter: "LogicalName eq 'cosell_microsofthelp'" });
    expect(picklists.value[0].OptionSet.Options.map((o: { Value: number }) => o.Value)).toEqual([100000000, 100000003]);
    const refused = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'x', cosell_microsofthelp: 100000001 } }));
    expect(refused.status).toBe(400);
    const dates = await dwa.retrieveAttributes({ entityKey: table, castType: 'Microsoft.Dynamics.CRM.DateTimeAttributeMetadata', select: ['LogicalName', 'DateTimeBehavior'], filter: "LogicalName eq 'cosell_respondby'" });
    expect(dates.value[0].DateTimeBehavior).toEqual({ Value: 'UserLocal' });
  });

  it('refuses a column without its metadata type, a taken name and a name without a prefix', async () => {
    const untyped = await rejection(dwa.createAttribute({ entityKey: "LogicalName='opportunity'", data: { SchemaName: 'cosell_Notes', DisplayName: label('Notes'), MaxLength: 10 } }));
    expect(untyped.status).toBe(400);
    const taken = await rejection(dwa.createAttribute({ entityKey: "LogicalName='opportunity'", data: { '@odata.type': 'Microsoft.Dynamics.CRM.StringAttributeMetadata', SchemaName: 'cosell_ReferralId', DisplayName: label('Again'), MaxLength: 10 } }));
    expect(taken.status).toBe(400);
    const unprefixed = await rejection(dwa.createAttribute({ entityKey: "LogicalName='opportunity'", data: { '@odata.type': 'Microsoft.Dynamics.CRM.StringAttributeMetadata', SchemaName: 'Notes', DisplayName: label('Notes'), MaxLength: 10 } }));
    expect(unprefixed.status).toBe(400);
  });
});

describe('alternate keys and change tracking', () => {
  it('defines an alternate key that upserts then use, and refuses a duplicate value', async () => {
    await dwa.create({ collection: 'EntityDefinitions', key: "LogicalName='opportunity'", navigationProperty: 'Keys', data: { SchemaName: 'cosell_referralid_key', DisplayName: label('Referral ID'), KeyAttributes: ['cosell_referralid'] } });
    const keys = await dwa.retrieve<{ value: unknown[] }>({ collection: 'EntityDefinitions', key: "LogicalName='opportunity'", navigationProperty: 'Keys' });
    expect(keys.value).toEqual([expect.objectContaining({ LogicalName: 'cosell_referralid_key', KeyAttributes: ['cosell_referralid'], EntityKeyIndexStatus: 'Active' })]);
    await dwa.upsert({ collection: 'opportunities', key: "cosell_referralid='ref-77'", data: { name: 'renamed through the key' } });
    const found = await dwa.retrieveMultiple({ collection: 'opportunities', select: ['name'], filter: "cosell_referralid eq 'ref-77'" });
    expect(found.value.map((r: Record<string, unknown>) => r['name'])).toEqual(['renamed through the key']);
    const clash = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'again', cosell_referralid: 'REF-77' } }));
    expect(clash.status).toBe(412);
  });

  it('turns change tracking on through PUT of the table definition, after which track-changes reads work', async () => {
    const before = await h.call('leads?$select=fullname', { headers: { Prefer: 'odata.track-changes' } });
    expect(before.status).toBe(400);
    const definition = await dwa.retrieveEntity({ key: "LogicalName='lead'" });
    expect(definition.ChangeTrackingEnabled).toBe(false);
    await dwa.updateEntity({ data: { ...definition, ChangeTrackingEnabled: true }, mergeLabels: true });
    expect((await dwa.retrieveEntity({ key: "LogicalName='lead'", select: ['ChangeTrackingEnabled'] })).ChangeTrackingEnabled).toBe(true);
    const after = await h.call('leads?$select=fullname', { headers: { Prefer: 'odata.track-changes' } });
    expect(after.status).toBe(200);
    const patch = await h.call("EntityDefinitions(LogicalName='lead')", { method: 'PATCH', body: JSON.stringify({ ChangeTrackingEnabled: true }) });
    expect(patch.status).toBe(405);
  });
});
