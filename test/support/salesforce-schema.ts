/**
 * What a Salesforce org's describe says of the fields the default mapping (mappings/salesforce.yaml)
 * names, for the in-memory CRM: types, lengths, required fields and picklist values as a
 * standard org with the package's custom fields has them (Opportunity.Name is string(120),
 * Lead.LastName and Lead.Company are required, StageName is a restricted picklist).
 */
import type { CrmFieldDescription } from '../../src/domain/crm-record.js';
import type { FakeCrmSchema } from './fake-crm.js';

type Spec = Partial<CrmFieldDescription> & Pick<CrmFieldDescription, 'type'>;

const field = (path: string, spec: Spec): CrmFieldDescription => ({
  path,
  label: path,
  length: null,
  createable: true,
  updateable: true,
  required: false,
  picklistValues: null,
  ...spec,
});
const text = (length: number, extra: Partial<CrmFieldDescription> = {}): Spec => ({ type: 'string', length, ...extra });
const readOnly = (type: CrmFieldDescription['type'], length: number | null = null): Spec => ({ type, length, createable: false, updateable: false });

export const OPPORTUNITY_STAGES = [
  'Prospecting',
  'Qualification',
  'Needs Analysis',
  'Value Proposition',
  'Id. Decision Makers',
  'Perception Analysis',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'On Hold',
  'Closed Won',
  'Closed Lost',
  'Declined',
  'Expired',
];

export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];

const HELP = ['GeneralOrOther', 'CustomerTechnicalArchitecture', 'ProofOfConceptOrDemo', 'QuotesOrLicensing', 'PostSalesCustomerSuccess', 'WorkloadSpecificValueProposition'];

export function salesforceSchema(): FakeCrmSchema {
  return {
    opportunity: [
      field('Id', readOnly('id', 18)),
      field('Name', text(120, { required: true })),
      field('Amount', { type: 'currency' }),
      field('CurrencyIsoCode', { type: 'picklist', picklistValues: ['USD', 'EUR', 'GBP', 'JPY', 'CAD'] }),
      field('CloseDate', { type: 'date', required: true }),
      field('Description', { type: 'textarea', length: 32000 }),
      field('StageName', { type: 'picklist', required: true, picklistValues: OPPORTUNITY_STAGES }),
      field('Decline_Reason__c', text(255)),
      field('Referral_Status__c', text(40)),
      field('Account.Name', readOnly('string', 255)),
      field('Account.BillingStreet', readOnly('textarea', 255)),
      field('Account.BillingCity', readOnly('string', 40)),
      field('Account.BillingState', readOnly('string', 80)),
      field('Account.BillingPostalCode', readOnly('string', 20)),
      field('Account.BillingCountryCode', readOnly('picklist')),
      field('Account.BillingCountry', readOnly('string', 80)),
      field('Account.DUNS__c', readOnly('string', 9)),
      field('OpportunityContactRoles', readOnly('child')),
      field('OpportunityTeamMembers', readOnly('child')),
      field('Solution_Ids__c', text(255)),
      field('Partner_Center_Campaign__c', text(80)),
      field('Referral_Id__c', text(36)),
      field('Microsoft_CRM_Id__c', text(80)),
      field('Microsoft_Co_Sell_Status__c', text(40)),
      field('Respond_By__c', { type: 'datetime' }),
      field('Contract_Start_Date__c', { type: 'date' }),
      field('Contract_End_Date__c', { type: 'date' }),
      field('Contract_Sign_Date__c', { type: 'date' }),
      field('Contract_Term__c', { type: 'picklist', picklistValues: ['Finite', 'Perpetual'] }),
      field('Registration_Status__c', text(40)),
      field('Microsoft_Help__c', { type: 'picklist', picklistValues: HELP }),
      field('Share_With_Microsoft__c', { type: 'boolean' }),
      field('Sync_With_Partner_Center__c', { type: 'boolean' }),
    ],
    lead: [
      field('Id', readOnly('id', 18)),
      field('Company', text(255, { required: true })),
      field('FirstName', text(40)),
      field('LastName', text(80, { required: true })),
      field('Email', text(80)),
      field('Phone', text(40)),
      field('Title', text(128)),
      field('Street', { type: 'textarea', length: 255 }),
      field('City', text(40)),
      field('State', text(80)),
      field('PostalCode', text(20)),
      field('Country', text(80)),
      field('Description', { type: 'textarea', length: 32000 }),
      field('Status', { type: 'picklist', required: true, picklistValues: LEAD_STATUSES }),
      field('Decline_Reason__c', text(255)),
      field('Referral_Status__c', text(40)),
      field('Referral_Id__c', text(36)),
      field('Respond_By__c', { type: 'datetime' }),
      field('Sync_With_Partner_Center__c', { type: 'boolean' }),
    ],
  };
}
