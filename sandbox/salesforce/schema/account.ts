import type { OrgShape } from '../../org-profiles.js';
import { COUNTRIES } from '../../shared/countries.js';
import { field, picklist, readOnly, required, text, type FieldDef, type ObjectDef } from './field-def.js';
import { currencyField } from './opportunity.js';
import { ownerField, systemFields } from './system-fields.js';

/**
 * Account with the billing address components (Object Reference, "Account") and DUNS__c (docs/crm-custom-fields.md),
 * as the org's shape has them: the code fields only with State and Country picklists on.
 */
export const accountDef = (shape: OrgShape): ObjectDef => ({
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  createable: true,
  updateable: true,
  deletable: true,
  recycleBin: true,
  fields: [
    ...systemFields(),
    required(text('Name', 255, { label: 'Account Name' })),
    picklist('Type', ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other'], { length: 40, label: 'Account Type' }),
    picklist('Industry', ['Technology', 'Manufacturing', 'Retail', 'Healthcare', 'Finance', 'Education', 'Government', 'Other'], {
      length: 40,
    }),
    field('Website', 'url', { length: 255 }),
    field('Phone', 'phone', { length: 40 }),
    field('AnnualRevenue', 'currency'),
    field('NumberOfEmployees', 'int', { precision: 8, label: 'Employees' }),
    field('BillingStreet', 'textarea', { length: 255 }),
    text('BillingCity', 40),
    text('BillingState', 80, { label: 'Billing State/Province' }),
    text('BillingPostalCode', 20, { label: 'Billing Zip/Postal Code' }),
    text('BillingCountry', 80),
    ...(shape.stateCountryPicklists
      ? [
          text('BillingStateCode', 10, { label: 'Billing State Code' }),
          picklist('BillingCountryCode', Object.keys(COUNTRIES), { restricted: true, length: 10, label: 'Billing Country Code' }),
        ]
      : []),
    readOnly(field('BillingAddress', 'address', { label: 'Billing Address' })),
    ...(shape.duns ? [text('DUNS__c', 9, { label: 'DUNS Number' })] : []),
    ...(shape.multiCurrency ? [currencyField()] : ([] as FieldDef[])),
    ownerField(),
  ],
  childRelationships: [
    { relationshipName: 'Contacts', childSObject: 'Contact', field: 'AccountId', cascadeDelete: false },
    { relationshipName: 'Opportunities', childSObject: 'Opportunity', field: 'AccountId', cascadeDelete: false },
  ],
});
