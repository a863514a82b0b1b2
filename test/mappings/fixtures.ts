/** Sample CRM records and referrals for the mapping tests, shaped as the connectors deliver them. */
import { fileURLToPath } from 'node:url';
import type { CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import type { Referral } from '../../src/domain/referral.js';
import { loadMappingFile, type Mapping } from '../../mappings/index.js';

export const mappingPath = (name: 'salesforce' | 'dynamics'): string =>
  fileURLToPath(new URL(`../../mappings/${name}.yaml`, import.meta.url));

export function loadDefault(name: 'salesforce' | 'dynamics'): Mapping {
  const loaded = loadMappingFile(mappingPath(name));
  if (!loaded.ok) throw new Error(`default mapping ${name} does not load: ${JSON.stringify(loaded.error)}`);
  return loaded.value;
}

export function sfOpportunity(fields: Record<string, FieldValue> = {}): CrmRecord {
  return {
    kind: 'opportunity',
    id: '006000000000001AAA',
    stamp: '2024-10-01T10:00:00.000Z',
    version: '2024-10-01T10:00:00.000Z',
    fields: {
      Id: '006000000000001AAA',
      Name: 'Contoso cloud migration',
      Amount: 125000,
      CurrencyIsoCode: 'USD',
      CloseDate: '2024-11-14',
      Description: 'Migrate 40 VMs to Azure',
      StageName: 'Qualification',
      Decline_Reason__c: null,
      Referral_Status__c: null,
      Sync_With_Partner_Center__c: true,
      Referral_Id__c: null,
      Microsoft_Help__c: null,
      Share_With_Microsoft__c: false,
      Solution_Ids__c: 'SOL-15974-MQF',
      Partner_Center_Campaign__c: null,
      'Account.Name': 'Contoso Ltd',
      'Account.BillingStreet': '1 Main St',
      'Account.BillingCity': 'Seattle',
      'Account.BillingState': 'WA',
      'Account.BillingPostalCode': '98101',
      'Account.BillingCountryCode': 'US',
      'Account.BillingCountry': 'United States',
      'Account.DUNS__c': '315000554',
      OpportunityContactRoles: [
        { 'Contact.FirstName': 'Ana', 'Contact.LastName': 'Lopez', 'Contact.Email': 'ana@contoso.example', 'Contact.Phone': null, 'Contact.Title': 'CTO', IsPrimary: false },
        { 'Contact.FirstName': 'Bo', 'Contact.LastName': 'Chen', 'Contact.Email': 'bo@contoso.example', 'Contact.Phone': '+1 206 555 0100', 'Contact.Title': 'CIO', IsPrimary: true },
      ],
      OpportunityTeamMembers: [{ 'User.FirstName': 'Sam', 'User.LastName': 'Seller', 'User.Email': 'sam@partner.example', 'User.Title': 'AE' }],
      ...fields,
    },
  };
}

export function dvOpportunity(fields: Record<string, FieldValue> = {}): CrmRecord {
  return {
    kind: 'opportunity',
    id: '6f1e2d3c-0000-0000-0000-000000000002',
    stamp: '2024-10-01T10:00:00Z',
    version: 'W/"1234"',
    fields: {
      opportunityid: '6f1e2d3c-0000-0000-0000-000000000002',
      name: 'Fabrikam data platform',
      estimatedvalue: 80000,
      'transactioncurrencyid.isocurrencycode': 'EUR',
      estimatedclosedate: '2024-12-31',
      description: 'Fabric rollout',
      statuscode: 1,
      statecode: 0,
      cosell_declinereason: null,
      cosell_syncwithpartnercenter: true,
      cosell_referralid: null,
      cosell_microsofthelp: null,
      cosell_sharewithmicrosoft: false,
      cosell_solutionids: 'SOL-6115380-IPC',
      cosell_campaignid: null,
      'parentaccountid.name': 'Fabrikam GmbH',
      'parentaccountid.address1_line1': 'Hauptstraße 5',
      'parentaccountid.address1_city': 'München',
      'parentaccountid.address1_stateorprovince': 'BY',
      'parentaccountid.address1_postalcode': '80331',
      'parentaccountid.address1_country': 'DE',
      'parentaccountid.cosell_duns': null,
      'parentcontactid.firstname': 'Jörg',
      'parentcontactid.lastname': 'Müller',
      'parentcontactid.emailaddress1': 'joerg@fabrikam.example',
      'parentcontactid.telephone1': null,
      'parentcontactid.jobtitle': 'Head of IT',
      'owninguser.firstname': 'Pat',
      'owninguser.lastname': 'Partner',
      'owninguser.internalemailaddress': 'pat@partner.example',
      ...fields,
    },
  };
}

export function referral(overrides: Partial<Referral> = {}): Referral {
  return {
    id: 'a1b2c3d4-0000-0000-0000-000000000001',
    engagementId: 'e0000000-0000-0000-0000-000000000001',
    eTag: '"84001c9d-0000-0100-0000-6225a63e0000"',
    externalReferenceId: null,
    direction: 'Incoming',
    createdDateTime: '2024-10-01T08:00:00.0000000Z',
    updatedDateTime: '2024-10-01T08:00:00.0000000Z',
    expirationDateTime: null,
    acceptedDateTime: null,
    closedDateTime: null,
    registrations: [],
    microsoftMsxId: null,
    name: 'Northwind ERP',
    status: 'New',
    substatus: 'Pending',
    statusReason: null,
    type: 'Shared',
    qualification: 'SalesQualified',
    customerProfile: {
      name: 'Northwind Traders',
      size: null,
      address: { addressLine1: '9 Harbour Rd', addressLine2: null, city: 'Auckland', state: null, postalCode: '1010', region: null, country: 'NZ' },
      team: [{ firstName: 'Mere', lastName: 'Ngata', email: 'mere@northwind.example', phoneNumber: null, title: 'CFO' }],
      ids: [],
    },
    consent: { consentToShareReferralWithMicrosoftSellers: true, consentToContact: true, consentToToShareInfoWithOthers: false },
    details: { notes: 'Wants a demo', dealValue: 50000, currency: 'NZD', closingDateTime: '2025-03-31T11:00:00Z', solutions: [] },
    team: [],
    inviteContext: { notes: 'Please help', assistanceRequestCode: 'ProofOfConceptOrDemo', invitedBy: { organizationId: 'msft', organizationName: 'Microsoft' } },
    target: [],
    campaignId: null,
    ...overrides,
  };
}
