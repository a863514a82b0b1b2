import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseMapping } from '../../mappings/index.js';
import { dvOpportunity, loadDefault, mappingPath, referral, sfOpportunity } from './fixtures.js';

const sf = loadDefault('salesforce');
const dv = loadDefault('dynamics');
const ctx = { timeZone: 'America/Los_Angeles' };

function draftFor(fields: Parameters<typeof sfOpportunity>[0]) {
  const record = sfOpportunity(fields);
  const { values } = sf.opportunity.fromCrm(record, ctx);
  return sf.opportunity.toReferralDraft({ values, externalReferenceId: record.id, dealType: sf.opportunity.dealType(record), ctx });
}

describe('referral draft for a new outbound deal', () => {
  it('builds a co-sell request: shared, visible to Microsoft, invitation with the help asked for', () => {
    const draft = draftFor({ Microsoft_Help__c: 'CustomerTechnicalArchitecture' });
    if (!draft.ok) throw new Error(JSON.stringify(draft.error));
    expect(draft.value).toMatchObject({
      name: 'Contoso cloud migration',
      externalReferenceId: '006000000000001AAA',
      type: 'Shared',
      status: 'Active',
      substatus: 'Accepted',
      consent: { consentToShareReferralWithMicrosoftSellers: true },
      inviteContext: { assistanceRequestCode: 'CustomerTechnicalArchitecture' },
      target: [{ type: 'SolutionProfile', id: 'SOL-15974-MQF' }],
      details: { dealValue: 125000, currency: 'USD', closingDateTime: '2024-11-14T08:00:00.000Z', notes: 'Migrate 40 VMs to Azure' },
      customerProfile: { name: 'Contoso Ltd', address: { country: 'US', postalCode: '98101' }, ids: [{ profileType: 'Duns', id: '315000554' }] },
    });
    // The primary contact comes first.
    expect(draft.value.customerProfile.team.map((m) => m.email)).toEqual(['bo@contoso.example', 'ana@contoso.example']);
    expect(draft.value.team).toEqual([{ firstName: 'Sam', lastName: 'Seller', email: 'sam@partner.example', phoneNumber: null, title: 'AE' }]);
  });

  it('keeps a private deal independent and hidden from Microsoft sellers', () => {
    const draft = draftFor({});
    expect(draft.ok && draft.value).toMatchObject({ type: 'Independent', inviteContext: null, target: [], consent: { consentToShareReferralWithMicrosoftSellers: false } });
  });

  it('refuses a co-sell without a customer contact or a solution, naming each', () => {
    const draft = draftFor({ Microsoft_Help__c: 'GeneralOrOther', OpportunityContactRoles: [], Solution_Ids__c: null });
    expect(draft.ok).toBe(false);
    expect(draft.ok ? [] : draft.error.map((p) => [p.path, p.crmField, p.message])).toEqual([
      ['customerProfile.team', 'OpportunityContactRoles', "required for a co-sell: 'customerProfile.team' has no value"],
      ['details.solutions', 'Solution_Ids__c', "required for a co-sell: 'details.solutions' has no value"],
    ]);
  });

  it('refuses any deal without a customer country, which Partner Center requires', () => {
    const draft = draftFor({ 'Account.BillingCountryCode': null, 'Account.BillingCountry': null });
    expect(draft.ok ? [] : draft.error.map((p) => p.path)).toEqual(['customerProfile.address.country']);
  });

  it('builds a Dataverse draft from the single contact and owner', () => {
    const record = dvOpportunity({ cosell_microsofthelp: 100000002 });
    const { values } = dv.opportunity.fromCrm(record, ctx);
    const draft = dv.opportunity.toReferralDraft({ values, externalReferenceId: record.id, dealType: dv.opportunity.dealType(record), ctx });
    expect(draft.ok && draft.value).toMatchObject({
      name: 'Fabrikam data platform',
      details: { currency: 'EUR', dealValue: 80000 },
      customerProfile: { team: [{ firstName: 'Jörg', lastName: 'Müller', email: 'joerg@fabrikam.example' }] },
      team: [{ email: 'pat@partner.example' }],
      inviteContext: { assistanceRequestCode: 'ProofOfConceptOrDemo' },
    });
  });
});

describe('patch of an existing referral', () => {
  it('sends status and substatus together', () => {
    expect(sf.opportunity.toReferralPatch({ status: 'Closed/Won' })).toEqual([
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Won' },
    ]);
  });

  it('adds only new team members, one by one', () => {
    const current = referral({ team: [{ firstName: 'Sam', lastName: 'Seller', email: 'SAM@partner.example', phoneNumber: null, title: null }] });
    const team = [
      { firstName: 'Sam', lastName: 'Seller', email: 'sam@partner.example', phoneNumber: null, title: null },
      { firstName: 'Kim', lastName: 'Lee', email: 'kim@partner.example', phoneNumber: null, title: 'SE' },
    ];
    expect(sf.opportunity.toReferralPatch({ team }, current)).toEqual([
      { op: 'add', path: '/team/-', value: { firstName: 'Kim', lastName: 'Lee', email: 'kim@partner.example', phoneNumber: null, title: 'SE' } },
    ]);
  });

  it('sends 0 and empty notes as values and puts solutions where the API keeps them', () => {
    const ops = sf.opportunity.toReferralPatch({
      'details.dealValue': 0,
      'details.notes': '',
      'details.solutions': [{ id: 'SOL-1', name: null, type: null }],
    });
    expect(ops).toEqual([
      { op: 'replace', path: '/details/dealValue', value: 0 },
      { op: 'replace', path: '/details/notes', value: '' },
      { op: 'replace', path: '/details/requirements/solutions', value: [{ id: 'SOL-1' }] },
    ]);
  });

  it('never hides a deal from Microsoft again, and leaves out what cannot change after creation', () => {
    expect(
      sf.opportunity.toReferralPatch({
        'consent.consentToShareReferralWithMicrosoftSellers': false,
        'customerProfile.name': 'Other Ltd',
        'inviteContext.assistanceRequestCode': 'GeneralOrOther',
      }),
    ).toEqual([]);
    expect(sf.opportunity.toReferralPatch({ 'consent.consentToShareReferralWithMicrosoftSellers': true })).toEqual([
      { op: 'replace', path: '/consent/consentToShareReferralWithMicrosoftSellers', value: true },
    ]);
  });

  it('appends only new solutions when the file chooses the add reading', () => {
    const text = readFileSync(mappingPath('salesforce'), 'utf8').replace('solutionsPatch: replace', 'solutionsPatch: add');
    const loaded = parseMapping({ text, file: 'add.yaml' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
    const base = referral();
    const current = referral({ details: { ...base.details, solutions: [{ id: 'SOL-1', name: null, type: null }] } });
    const solutions = [
      { id: 'SOL-1', name: null, type: null },
      { id: 'SOL-2', name: 'Fabric accelerator', type: 'Name' },
    ];
    expect(loaded.value.opportunity.toReferralPatch({ 'details.solutions': solutions }, current)).toEqual([
      { op: 'add', path: '/details/requirements/solutions/-', value: { id: 'SOL-2', name: 'Fabric accelerator', type: 'Name' } },
    ]);
  });

  it('writes back the CRM id after an inbound create', () => {
    expect(dv.lead.toReferralPatch({ externalReferenceId: 'lead-guid' })).toEqual([{ op: 'replace', path: '/externalReferenceId', value: 'lead-guid' }]);
  });
});
