/**
 * Org profiles: each emulator describes the org of its profile, refuses writes to the fields that
 * org lacks with the vendor's own error, and seeds data the way such an org holds it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type jsforce from 'jsforce';
import { ORG_PROFILE_NAMES, orgShapeOf } from '../../sandbox/org-profiles.js';
import { startHarness, type Harness } from './dataverse/harness.js';
import { startFixture, type Fixture } from './salesforce/emulator-fixture.js';

type Rec = Record<string, unknown>;

async function errorOf(promise: PromiseLike<unknown>): Promise<{ errorCode?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { errorCode?: string; message: string };
  }
  throw new Error('expected the call to fail');
}

describe('org profile names', () => {
  it('combine, and an unknown one is refused with the known ones listed', () => {
    expect(orgShapeOf('no-duns,single-currency')).toMatchObject({ duns: false, multiCurrency: false, cosellStages: true, stateCountryPicklists: true });
    expect(orgShapeOf('minimal')).toEqual({ stateCountryPicklists: false, countries: 'name', cosellStages: false, duns: false, multiCurrency: false });
    expect(() => orgShapeOf('no-dunz')).toThrow(/unknown org profile 'no-dunz': use standard, .*minimal/);
    expect(ORG_PROFILE_NAMES).toEqual(expect.arrayContaining(['standard', 'no-state-country-picklists', 'country-names', 'standard-stages', 'no-duns', 'single-currency', 'minimal']));
  });
});

describe.each(ORG_PROFILE_NAMES)('Salesforce org profile %s', (profile) => {
  const shape = orgShapeOf(profile);
  let fx: Fixture;
  let conn: jsforce.Connection;
  let account: Set<string>;
  let opportunity: Set<string>;
  let stages: string[];

  beforeAll(async () => {
    fx = await startFixture({ size: 30, shape });
    conn = await fx.connect();
    account = new Set((await conn.sobject('Account').describe()).fields.map((f) => f.name));
    const opp = await conn.sobject('Opportunity').describe();
    opportunity = new Set(opp.fields.map((f) => f.name));
    stages = (opp.fields.find((f) => f.name === 'StageName')?.picklistValues ?? []).map((v) => String(v.value));
  });
  afterAll(async () => fx.close());

  it('describes the country fields of the profile and refuses the missing ones as Salesforce does', async () => {
    expect(account.has('BillingCountryCode')).toBe(shape.stateCountryPicklists);
    expect(account.has('BillingStateCode')).toBe(shape.stateCountryPicklists);
    expect(account.has('BillingCountry')).toBe(true);
    if (shape.stateCountryPicklists) {
      const { id } = await conn.sobject('Account').create({ Name: 'Coded', BillingCountryCode: 'DE' });
      expect(((await conn.sobject('Account').retrieve(String(id))) as unknown as Rec)['BillingCountry']).toBe('Germany');
    } else {
      const refused = await errorOf(conn.sobject('Account').create({ Name: 'Coded', BillingCountryCode: 'DE' }));
      expect(refused.errorCode).toBe('INVALID_FIELD');
      expect(refused.message).toContain("No such column 'BillingCountryCode'");
      // Free text: whatever a person typed is kept as typed.
      const { id } = await conn.sobject('Account').create({ Name: 'Typed', BillingCountry: 'Deutschland' });
      expect(((await conn.sobject('Account').retrieve(String(id))) as unknown as Rec)['BillingCountry']).toBe('Deutschland');
    }
  });

  it('seeds countries as codes or names, as the profile stores them', async () => {
    const rows = (await conn.query<Rec>("SELECT BillingCountry FROM Account WHERE BillingCountry != null AND Name != 'Typed' AND Name != 'Coded' LIMIT 20")).records;
    expect(rows.length).toBeGreaterThan(0);
    const looksLikeCode = rows.every((r) => /^[A-Z]{2}$/.test(String(r['BillingCountry'])));
    expect(looksLikeCode).toBe(shape.countries === 'code' && !shape.stateCountryPicklists);
  });

  it('has the co-sell stages only when the profile has them', async () => {
    expect(stages.includes('On Hold')).toBe(shape.cosellStages);
    expect(stages.includes('Declined')).toBe(shape.cosellStages);
    expect(stages).toEqual(expect.arrayContaining(['Prospecting', 'Qualification', 'Closed Won', 'Closed Lost']));
    const table = (await conn.query<Rec>('SELECT ApiName FROM OpportunityStage')).records.map((r) => r['ApiName']);
    expect(table.includes('On Hold')).toBe(shape.cosellStages);
    if (!shape.cosellStages) {
      const refused = await errorOf(conn.sobject('Opportunity').create({ Name: 'Held', StageName: 'On Hold', CloseDate: '2024-06-30' }));
      expect(refused.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    }
  });

  it('has the DUNS and currency fields only when the profile has them', async () => {
    expect(account.has('DUNS__c')).toBe(shape.duns);
    expect(account.has('CurrencyIsoCode')).toBe(shape.multiCurrency);
    expect(opportunity.has('CurrencyIsoCode')).toBe(shape.multiCurrency);
    if (!shape.duns) {
      const refused = await errorOf(conn.sobject('Account').create({ Name: 'Numbered', DUNS__c: '123456789' }));
      expect(refused.message).toContain("No such column 'DUNS__c'");
      expect((await errorOf(conn.query('SELECT Id, DUNS__c FROM Account'))).errorCode).toBe('INVALID_FIELD');
    }
    if (!shape.multiCurrency) {
      const refused = await errorOf(conn.sobject('Opportunity').create({ Name: 'Euro', StageName: 'Prospecting', CloseDate: '2024-06-30', CurrencyIsoCode: 'EUR' }));
      expect(refused.message).toContain("No such column 'CurrencyIsoCode'");
    }
  });
});

describe.each(ORG_PROFILE_NAMES)('Dataverse org profile %s', (profile) => {
  const shape = orgShapeOf(profile);
  let h: Harness;
  const json = async (path: string): Promise<Rec> => (await (await h.call(path)).json()) as Rec;
  const attributes = async (table: string): Promise<Set<string>> =>
    new Set(((await json(`EntityDefinitions(LogicalName='${table}')/Attributes?$select=LogicalName`))['value'] as Rec[]).map((a) => String(a['LogicalName'])));

  beforeAll(async () => {
    h = await startHarness({ size: 30, shape });
  });
  afterAll(async () => h.close());

  it('has cosell_duns only when the profile has it, and refuses it with Dataverse\'s 400 otherwise', async () => {
    expect((await attributes('account')).has('cosell_duns')).toBe(shape.duns);
    const res = await h.call('accounts', { method: 'POST', body: JSON.stringify({ name: 'Numbered', cosell_duns: '123456789' }) });
    if (shape.duns) expect(res.status).toBe(204);
    else {
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain("Invalid property 'cosell_duns' was found in entity 'Microsoft.Dynamics.CRM.account'");
    }
  });

  it('has the two co-sell status reasons only when the profile has them', async () => {
    const meta = await json("EntityDefinitions(LogicalName='opportunity')/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options)");
    const values = ((meta['OptionSet'] as Rec)['Options'] as Rec[]).map((o) => o['Value']);
    expect(values).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
    expect(values.includes(100000001)).toBe(shape.cosellStages);
    expect(values.includes(100000002)).toBe(shape.cosellStages);
  });

  it('keeps one currency in a single-currency org, several otherwise', async () => {
    const currencies = (await json('transactioncurrencies?$select=isocurrencycode'))['value'] as Rec[];
    expect(currencies.map((c) => c['isocurrencycode'])).toEqual(shape.multiCurrency ? expect.arrayContaining(['USD', 'EUR', 'GBP']) : ['USD']);
  });

  it('seeds address1_country as codes or names, as the profile stores them', async () => {
    const rows = (await json("accounts?$select=address1_country&$filter=address1_country ne null&$top=20"))['value'] as Rec[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => /^[A-Z]{2}$/.test(String(r['address1_country'])))).toBe(shape.countries === 'code');
  });
});
