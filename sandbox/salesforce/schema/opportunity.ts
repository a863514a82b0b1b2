import type { OrgShape } from '../../org-profiles.js';
import { field, picklist, readOnly, reference, required, text, type ObjectDef } from './field-def.js';
import { FORECAST_CATEGORY_BY_NAME, stagesOf } from './stages.js';
import { CURRENCIES, ownerField, systemFields } from './system-fields.js';

/** AssistanceRequestCode values (Partner Center docs, "Referral resources") for Microsoft_Help__c. */
export const ASSISTANCE_CODES = [
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
] as const;

export const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'] as const;

export function currencyField(): ReturnType<typeof picklist> {
  return picklist('CurrencyIsoCode', CURRENCIES, {
    restricted: true,
    nillable: false,
    defaultedOnCreate: true,
    defaultValue: 'USD',
    length: 3,
    label: 'Currency ISO Code',
  });
}

/** Opportunity: the standard fields (Object Reference, "Opportunity") and the custom fields of docs/crm-custom-fields.md. */
export const opportunityDef = (shape: OrgShape): ObjectDef => ({
  name: 'Opportunity',
  label: 'Opportunity',
  labelPlural: 'Opportunities',
  keyPrefix: '006',
  createable: true,
  updateable: true,
  deletable: true,
  recycleBin: true,
  fields: [
    ...systemFields(),
    required(text('Name', 120)),
    reference('AccountId', 'Account', { label: 'Account ID' }),
    field('Amount', 'currency'),
    ...(shape.multiCurrency ? [currencyField()] : []),
    required(field('CloseDate', 'date')),
    required(
      picklist(
        'StageName',
        stagesOf(shape).map((s) => s.apiName),
        { restricted: true, label: 'Stage', length: 255 },
      ),
    ),
    field('Probability', 'percent', { defaultedOnCreate: true }),
    field('ExpectedRevenue', 'currency', { createable: false, updateable: false, calculated: true }),
    readOnly(field('IsClosed', 'boolean', { nillable: false, label: 'Closed' })),
    readOnly(field('IsWon', 'boolean', { nillable: false, label: 'Won' })),
    readOnly(picklist('ForecastCategory', Object.values(FORECAST_CATEGORY_BY_NAME), { length: 40, nillable: false })),
    picklist('ForecastCategoryName', Object.keys(FORECAST_CATEGORY_BY_NAME), {
      restricted: true,
      defaultedOnCreate: true,
      label: 'Forecast Category',
      length: 40,
    }),
    field('Description', 'textarea', { length: 32000 }),
    text('NextStep', 255),
    picklist('LeadSource', LEAD_SOURCES, { length: 40 }),
    picklist(
      'Type',
      ['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement', 'Existing Customer - Downgrade'],
      { length: 40, label: 'Opportunity Type' },
    ),
    reference('CampaignId', 'Campaign', { label: 'Campaign ID' }),
    ownerField(),
    field('IsPrivate', 'boolean', { label: 'Private' }),
    field('TotalOpportunityQuantity', 'double', { label: 'Quantity' }),
    readOnly(field('HasOpportunityLineItem', 'boolean', { nillable: false, label: 'Has Line Item' })),
    readOnly(field('FiscalYear', 'int', { precision: 4 })),
    readOnly(field('FiscalQuarter', 'int', { precision: 1 })),
    readOnly(field('LastActivityDate', 'date')),
    field('Sync_With_Partner_Center__c', 'boolean', { label: 'Sync with Partner Center' }),
    text('Referral_Id__c', 64, { externalId: true, unique: true, label: 'Referral ID' }),
    field('Referral_Link__c', 'url', { length: 255, label: 'Referral Link' }),
    picklist('Microsoft_Help__c', ASSISTANCE_CODES, { restricted: true, label: 'How can Microsoft help?' }),
    field('Share_With_Microsoft__c', 'boolean', { label: 'Share with Microsoft' }),
    text('Microsoft_CRM_Id__c', 64, { label: 'Microsoft CRM ID' }),
    text('Microsoft_Co_Sell_Status__c', 40, { label: 'Microsoft Co-Sell Status' }),
    text('Solution_Ids__c', 255, { label: 'Solution IDs' }),
    text('Partner_Center_Campaign__c', 64, { label: 'Partner Center Campaign' }),
    text('Decline_Reason__c', 255, { label: 'Decline Reason' }),
    text('Referral_Status__c', 40, { label: 'Referral Status' }),
    field('Respond_By__c', 'datetime', { label: 'Respond By' }),
    field('Contract_Start_Date__c', 'date', { label: 'Contract Start Date' }),
    field('Contract_End_Date__c', 'date', { label: 'Contract End Date' }),
    field('Contract_Sign_Date__c', 'date', { label: 'Contract Sign Date' }),
    picklist('Contract_Term__c', ['Finite', 'Perpetual'], { restricted: true, label: 'Contract Term' }),
    text('Registration_Status__c', 40, { label: 'Deal Registration Status' }),
  ],
  childRelationships: [
    { relationshipName: 'OpportunityContactRoles', childSObject: 'OpportunityContactRole', field: 'OpportunityId', cascadeDelete: true },
    { relationshipName: 'OpportunityTeamMembers', childSObject: 'OpportunityTeamMember', field: 'OpportunityId', cascadeDelete: true },
  ],
});
