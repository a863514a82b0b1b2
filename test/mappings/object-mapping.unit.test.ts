import { describe, expect, it } from '@jest/globals';
import { dvOpportunity, loadDefault, referral, sfOpportunity } from './fixtures.js';

const sf = loadDefault('salesforce');
const dv = loadDefault('dynamics');
const tokyo = { timeZone: 'Asia/Tokyo' };

describe('participation and deal type', () => {
  it('syncs only records with the sync flag set', () => {
    expect(sf.opportunity.participates(sfOpportunity())).toBe(true);
    expect(sf.opportunity.participates(sfOpportunity({ Sync_With_Partner_Center__c: false }))).toBe(false);
    expect(dv.opportunity.participates(dvOpportunity({ cosell_syncwithpartnercenter: null }))).toBe(false);
  });

  it('asks for co-sell when help is set, partner-led when shared, else private', () => {
    expect(sf.opportunity.dealType(sfOpportunity({ Microsoft_Help__c: 'ProofOfConceptOrDemo' }))).toEqual({
      kind: 'coSell',
      help: 'ProofOfConceptOrDemo',
      notes: null,
    });
    expect(sf.opportunity.dealType(sfOpportunity({ Share_With_Microsoft__c: true }))).toEqual({ kind: 'partnerLed' });
    expect(sf.opportunity.dealType(sfOpportunity())).toEqual({ kind: 'private' });
    expect(dv.opportunity.dealType(dvOpportunity({ cosell_microsofthelp: 100000003 }))).toEqual({
      kind: 'coSell',
      help: 'QuotesOrLicensing',
      notes: null,
    });
  });
});

describe('inbound: lead or opportunity', () => {
  const msft = { organizationId: 'msft', organizationName: 'Microsoft' };
  const partner = { organizationId: '4c2a7f1e-partner', organizationName: 'Adatum' };
  const invite = (invitedBy: typeof msft | null) => ({ notes: null, assistanceRequestCode: null, invitedBy });
  it.each([
    { type: 'Independent', qualification: 'Direct', by: msft, kind: 'lead' },
    { type: 'Independent', qualification: 'Direct', by: null, kind: 'lead' },
    { type: 'Independent', qualification: 'SalesQualified', by: msft, kind: 'lead' },
    { type: 'Independent', qualification: 'MarketingQualified', by: msft, kind: 'lead' },
    { type: 'Shared', qualification: 'SalesQualified', by: msft, kind: 'opportunity' },
    { type: 'Independent', qualification: 'SalesQualified', by: partner, kind: 'opportunity' },
    { type: 'Shared', qualification: 'None', by: null, kind: 'opportunity' },
    { type: 'Independent', qualification: 'MarketingQualified', by: partner, kind: null },
  ] as const)('$type / $qualification / invited by $by.organizationId -> $kind', ({ type, qualification, by, kind }) => {
    const r = referral({ type, qualification, inviteContext: invite(by) });
    expect(sf.inboundKind(r)).toBe(kind);
    expect(dv.inboundKind(r)).toBe(kind);
  });
});

describe('null, zero and empty', () => {
  it('keeps 0 and empty text as values, null as null, and leaves out what the record lacks', () => {
    const record = sfOpportunity({ Amount: 0, Description: '', Decline_Reason__c: null });
    delete record.fields['Partner_Center_Campaign__c'];
    const { values, problems } = sf.opportunity.fromCrm(record, tokyo);
    expect(problems).toEqual([]);
    expect(values['details.dealValue']).toBe(0);
    expect(values['details.notes']).toBe('');
    expect(values['statusReason']).toBeNull();
    expect(Object.hasOwn(values, 'campaignId')).toBe(false);
  });

  it('writes only the values given: absent stays untouched, null and empty clear', () => {
    const { fields } = sf.opportunity.toCrmFields({ values: { 'details.notes': '', statusReason: null, 'details.dealValue': 0 }, ctx: tokyo, mode: 'update' });
    expect(fields).toEqual({ Description: '', Decline_Reason__c: null, Amount: 0 });
  });

  it('does not write a required field without a value, and says so', () => {
    const { fields, problems } = sf.opportunity.toCrmFields({ values: { name: null }, ctx: tokyo, mode: 'update' });
    expect(fields).toEqual({});
    expect(problems).toEqual([expect.objectContaining({ path: 'name', crmField: 'Name' })]);
  });

  it('cuts a long name to the CRM limit without splitting a character', () => {
    const name = `${'日本'.repeat(59)}😀😀😀`;
    const { fields } = sf.opportunity.toCrmFields({ values: { name }, ctx: tokyo, mode: 'update' });
    expect(Array.from(String(fields['Name']))).toHaveLength(120);
    expect(String(fields['Name']).endsWith('😀😀')).toBe(true);
  });

  it('takes the country from the fallback field when the code field is empty', () => {
    const { values } = sf.opportunity.fromCrm(sfOpportunity({ 'Account.BillingCountryCode': null, 'Account.BillingCountry': 'de' }), tokyo);
    expect(values['customerProfile.address.country']).toBe('DE');
  });

  it('reports a value the transform cannot read, and converts the rest', () => {
    const { values, problems } = sf.opportunity.fromCrm(sfOpportunity({ CurrencyIsoCode: 'EURO', StageName: 'Discovery' }), tokyo);
    expect(problems.map((p) => p.crmField).sort()).toEqual(['CurrencyIsoCode', 'StageName']);
    expect(values['name']).toBe('Contoso cloud migration');
  });
});

describe('status to the CRM', () => {
  it('keeps an open stage that already means Active/Accepted', () => {
    const current = sfOpportunity({ StageName: 'Negotiation/Review' });
    const { fields } = sf.opportunity.toCrmFields({ values: { status: 'Active/Accepted' }, ctx: tokyo, mode: 'update', current });
    expect(fields).toEqual({ Referral_Status__c: 'Active/Accepted' });
  });

  it('moves an On Hold opportunity to the default open stage when the referral is accepted', () => {
    const current = sfOpportunity({ StageName: 'On Hold' });
    const { fields } = sf.opportunity.toCrmFields({ values: { status: 'Active/Accepted' }, ctx: tokyo, mode: 'update', current });
    expect(fields['StageName']).toBe('Qualification');
  });

  it('leaves the state out of a new Dataverse record, which starts Open', () => {
    const { fields } = dv.opportunity.toCrmFields({ values: { status: 'New/Pending' }, ctx: tokyo, mode: 'create' });
    expect(fields['statuscode']).toBe(2);
    expect(Object.hasOwn(fields, 'statecode')).toBe(false);
  });

  it('sets Dataverse state and status reason together', () => {
    const won = dv.opportunity.toCrmFields({ values: { status: 'Closed/Won' }, ctx: tokyo, mode: 'update' });
    expect(won.fields).toMatchObject({ statuscode: 3, statecode: 1 });
    const declined = dv.opportunity.toCrmFields({ values: { status: 'Closed/Declined' }, ctx: tokyo, mode: 'update' });
    expect(declined.fields).toMatchObject({ statuscode: 100000001, statecode: 2 });
  });
});

describe('inbound referral -> new CRM record', () => {
  it('fills the opportunity with the referral, its id, and the sync flag', () => {
    const r = referral();
    const { values } = sf.opportunity.fromReferral(r, { timeZone: 'Pacific/Auckland' });
    const { fields, problems } = sf.opportunity.toCrmFields({ values, ctx: { timeZone: 'Pacific/Auckland' }, mode: 'create' });
    expect(problems).toEqual([]);
    expect(fields).toMatchObject({
      Name: 'Northwind ERP',
      StageName: 'On Hold',
      CloseDate: '2025-04-01', // 11:00 UTC on 31 March is the next morning in Auckland
      Amount: 50000,
      CurrencyIsoCode: 'NZD',
      Referral_Id__c: r.id,
      Sync_With_Partner_Center__c: true,
      Microsoft_Help__c: 'ProofOfConceptOrDemo',
      Respond_By__c: '2024-10-15T08:00:00.000Z',
    });
  });

  it('turns the customer contact into the lead person and keeps the company', () => {
    const r = referral({ type: 'Independent', qualification: 'Direct' });
    const { values } = sf.lead.fromReferral(r, tokyo);
    const { fields } = sf.lead.toCrmFields({ values, ctx: tokyo, mode: 'create' });
    expect(fields).toMatchObject({ Company: 'Northwind Traders', FirstName: 'Mere', LastName: 'Ngata', Email: 'mere@northwind.example', Status: 'Open - Not Contacted', Country: 'NZ' });
  });

  it('gives the customer account and contacts to match or create', () => {
    const r = referral();
    r.customerProfile.address = { ...r.customerProfile.address, state: null, region: 'WA', addressLine2: 'Level 3' };
    r.customerProfile.ids = [{ profileType: 'Duns', id: '315000554' }];
    expect(sf.opportunity.customerFromReferral(r)).toEqual({
      account: { name: 'Northwind Traders', street: '9 Harbour Rd\nLevel 3', city: 'Auckland', state: 'WA', postalCode: '1010', country: 'NZ', countryText: 'NZ', duns: '315000554' },
      contacts: [{ firstName: 'Mere', lastName: 'Ngata', email: 'mere@northwind.example', phone: null, title: 'CFO' }],
    });
  });
});

describe('what the connector must read', () => {
  it('lists fields, lookups and child relationships with their row fields', () => {
    expect(sf.opportunity.readFields).toEqual(
      expect.arrayContaining(['Name', 'Account.Name', 'OpportunityContactRoles', 'OpportunityContactRoles.Contact.Email', 'Sync_With_Partner_Center__c', 'Account.BillingCountry']),
    );
    expect(sf.opportunity.childFields['OpportunityContactRoles']).toEqual(expect.arrayContaining(['Contact.Email', 'IsPrimary']));
    expect(dv.opportunity.readFields).toEqual(expect.arrayContaining(['statuscode', 'statecode', 'parentcontactid.emailaddress1', 'cosell_microsofthelp']));
    expect(sf.opportunity.externalIdField).toBe('Referral_Id__c');
  });
});

describe('values the CRM cannot tell apart', () => {
  const same = (path: string, a: unknown, b: unknown, timeZone = 'Pacific/Auckland') =>
    sf.opportunity.sameForCrm?.({ path, a: a as never, b: b as never, ctx: { timeZone } });

  it('treats statuses that land on one stage as the same, and different stages as different', () => {
    expect(same('status', 'New/Received', 'New/Pending')).toBe(true);
    expect(same('status', 'Active/Accepted', 'New/Pending')).toBe(false);
  });

  it('treats a long name and its CRM-length cut as the same', () => {
    const long = 'x'.repeat(150);
    expect(same('name', long, long.slice(0, 120))).toBe(true);
    expect(same('name', long, 'y'.repeat(120))).toBe(false);
  });

  it('treats two instants on one org-zone day as the same close date', () => {
    expect(same('details.closingDateTime', '2025-03-31T11:00:00Z', '2025-03-31T15:30:00.000Z')).toBe(true);
    expect(same('details.closingDateTime', '2025-03-31T10:00:00Z', '2025-03-31T11:00:00Z')).toBe(false);
  });

  it('compares values of paths it never writes to the CRM as they are', () => {
    expect(same('customerProfile.name', 'Contoso', 'Contoso')).toBe(true);
    expect(same('customerProfile.name', 'Contoso', 'Contoso Ltd')).toBe(false);
  });
});

describe('referral values as Partner Center sends them', () => {
  it('takes codes in any case, reads an empty code as none, and reports a value the CRM cannot take', () => {
    const r = referral();
    r.details.currency = 'nzd';
    r.customerProfile.address.country = '';
    const { values, problems } = sf.opportunity.fromReferral({ ...r, status: 'Closed', substatus: 'Pending' }, tokyo);
    expect(values['details.currency']).toBe('NZD');
    const lead = sf.lead.fromReferral(r, tokyo);
    expect(Object.hasOwn(lead.values, 'customerProfile.address.country')).toBe(true);
    expect(lead.values['customerProfile.address.country']).toBeNull();
    expect(Object.hasOwn(values, 'status')).toBe(false);
    expect(problems.map((p) => p.path)).toEqual(['status']);
  });
});

describe('problems that end up in logs', () => {
  it('never repeat customer contact details', () => {
    const { problems } = sf.opportunity.toCrmFields({
      values: { 'customerProfile.team': [{ firstName: 'Ana', email: 'ana@contoso.example', lastName: 7 }] as never },
      ctx: tokyo,
      mode: 'update',
    });
    const lead = sf.lead.toCrmFields({ values: { 'customerProfile.team': [{ email: 'ana@contoso.example', firstName: 1 }] as never }, ctx: tokyo, mode: 'create' });
    expect(lead.problems).toHaveLength(1);
    expect(JSON.stringify([...problems, ...lead.problems])).not.toContain('ana@contoso.example');
  });
});
