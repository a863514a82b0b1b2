/** account, contact, transactioncurrency and systemuser: the rows an opportunity refers to. */
import type { OrgShape } from '../../org-profiles.js';
import { bool, customer, decimal, id, int, lookup, memo, state, status, str, systemColumns } from './builders.js';
import type { AttributeDef, TableDef } from './types.js';

const activeState = state([
  { value: 0, label: 'Active', defaultStatus: 1 },
  { value: 1, label: 'Inactive', defaultStatus: 2 },
]);
const activeStatus = status([
  { value: 1, label: 'Active', state: 0 },
  { value: 2, label: 'Inactive', state: 1 },
]);

const address1 = (): AttributeDef[] => [
  str('address1_line1', 250),
  str('address1_line2', 250),
  str('address1_city', 80),
  str('address1_stateorprovince', 50),
  str('address1_postalcode', 20),
  // Free text: the sandbox org keeps the ISO alpha-2 code here (docs/crm-custom-fields.md), a
  // `country-names` org the country's name.
  str('address1_country', 80),
];

/** The account table of an org of this shape (cosell_duns only where the org has it). */
export const accountTable = (shape: OrgShape): TableDef => ({
  logicalName: 'account',
  entitySetName: 'accounts',
  primaryId: 'accountid',
  primaryName: 'name',
  changeTrackingEnabled: true,
  // The docs' alternate-key example (Dataverse developer guide, "Use an alternate key to reference a
  // record") and dynamics-web-api's upsert example both use accountnumber.
  alternateKeys: [{ name: 'accountnumber_key', columns: ['accountnumber'] }],
  attributes: [
    id('accountid'),
    str('name', 160, { requiredLevel: 'ApplicationRequired' }),
    str('accountnumber', 20),
    ...address1(),
    str('telephone1', 50),
    str('websiteurl', 200),
    str('emailaddress1', 100),
    memo('description', 2000),
    int('numberofemployees', 0, 1000000000),
    lookup('primarycontactid', 'contact'),
    lookup('transactioncurrencyid', 'transactioncurrency'),
    activeState,
    activeStatus,
    ...systemColumns(true),
    ...(shape.duns ? [str('cosell_duns', 9)] : []),
  ],
});

export const contact: TableDef = {
  logicalName: 'contact',
  entitySetName: 'contacts',
  primaryId: 'contactid',
  primaryName: 'fullname',
  changeTrackingEnabled: true,
  alternateKeys: [],
  attributes: [
    id('contactid'),
    str('firstname', 50),
    str('lastname', 50, { requiredLevel: 'ApplicationRequired' }),
    str('fullname', 160, { validForCreate: false, validForUpdate: false }),
    str('emailaddress1', 100),
    str('telephone1', 50),
    str('jobtitle', 100),
    ...address1(),
    customer('parentcustomerid'),
    activeState,
    activeStatus,
    ...systemColumns(true),
  ],
};

export const transactioncurrency: TableDef = {
  logicalName: 'transactioncurrency',
  entitySetName: 'transactioncurrencies',
  primaryId: 'transactioncurrencyid',
  primaryName: 'currencyname',
  changeTrackingEnabled: false,
  alternateKeys: [{ name: 'isocurrencycode_key', columns: ['isocurrencycode'] }],
  attributes: [
    id('transactioncurrencyid'),
    str('isocurrencycode', 5, { requiredLevel: 'SystemRequired' }),
    str('currencyname', 100, { requiredLevel: 'SystemRequired' }),
    str('currencysymbol', 10),
    decimal('exchangerate', { minValue: 0.0000000001, maxValue: 100000000000 }),
    int('currencyprecision', 0, 4),
    activeState,
    activeStatus,
    ...systemColumns(false),
  ],
};

export const systemuser: TableDef = {
  logicalName: 'systemuser',
  entitySetName: 'systemusers',
  primaryId: 'systemuserid',
  primaryName: 'fullname',
  changeTrackingEnabled: false,
  alternateKeys: [],
  attributes: [
    id('systemuserid'),
    str('firstname', 64),
    str('lastname', 64),
    str('fullname', 200, { validForCreate: false, validForUpdate: false }),
    str('internalemailaddress', 100),
    str('domainname', 1024),
    str('title', 128),
    str('azureactivedirectoryobjectid', 36),
    bool('isdisabled'),
    ...systemColumns(false),
  ],
};
