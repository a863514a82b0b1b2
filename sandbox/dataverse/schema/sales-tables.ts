/**
 * opportunity, lead and opportunityclose: the columns of the Dynamics 365 "Opportunity table/entity reference" plus the custom
 * `cosell_*` columns of docs/crm-custom-fields.md.
 */
import { bool, customer, dateOnly, dateTime, id, int, lookup, memo, money, picklist, state, status, str, systemColumns } from './builders.js';
import type { OrgShape } from '../../org-profiles.js';
import type { OptionDef, TableDef } from './types.js';

/** `cosell_microsofthelp` choices (docs/crm-custom-fields.md). */
const MICROSOFT_HELP: OptionDef[] = [
  { value: 100000000, label: 'GeneralOrOther' },
  { value: 100000001, label: 'CustomerTechnicalArchitecture' },
  { value: 100000002, label: 'ProofOfConceptOrDemo' },
  { value: 100000003, label: 'QuotesOrLicensing' },
  { value: 100000004, label: 'PostSalesCustomerSuccess' },
  { value: 100000005, label: 'WorkloadSpecificValueProposition' },
];

/**
 * Won and Lost status reasons are what the Win/Lose actions accept (Web API "WinOpportunity Action" / "LoseOpportunity Action"). 1 to 5 are the
 * standard ones; Declined and Expired are the two the default mapping adds (`cosell: true`).
 */
export const OPPORTUNITY_STATUS: readonly (OptionDef & { cosell?: true })[] = [
  { value: 1, label: 'In Progress', state: 0 },
  { value: 2, label: 'On Hold', state: 0 },
  { value: 3, label: 'Won', state: 1 },
  { value: 4, label: 'Canceled', state: 2 },
  { value: 5, label: 'Out-Sold', state: 2 },
  { value: 100000001, label: 'Declined', state: 2, cosell: true },
  { value: 100000002, label: 'Expired', state: 2, cosell: true },
];

/** The opportunity table of an org of this shape. */
export const opportunityTable = (shape: OrgShape): TableDef => ({
  logicalName: 'opportunity',
  entitySetName: 'opportunities',
  primaryId: 'opportunityid',
  primaryName: 'name',
  changeTrackingEnabled: true,
  alternateKeys: [{ name: 'cosell_referralid_key', columns: ['cosell_referralid'] }],
  attributes: [
    id('opportunityid'),
    str('name', 300, { requiredLevel: 'ApplicationRequired' }),
    money('estimatedvalue'),
    dateOnly('estimatedclosedate'),
    money('actualvalue'),
    dateOnly('actualclosedate'),
    money('budgetamount'),
    int('closeprobability', 0, 100),
    memo('description', 2000),
    state([
      { value: 0, label: 'Open', defaultStatus: 1 },
      { value: 1, label: 'Won', defaultStatus: 3 },
      { value: 2, label: 'Lost', defaultStatus: 4 },
    ]),
    status(shape.cosellStages ? OPPORTUNITY_STATUS : OPPORTUNITY_STATUS.filter((o) => !o.cosell)),
    str('stepname', 200),
    picklist('salesstage', [
      { value: 0, label: 'Qualify' },
      { value: 1, label: 'Develop' },
      { value: 2, label: 'Propose' },
      { value: 3, label: 'Close' },
    ]),
    picklist('salesstagecode', [{ value: 1, label: 'Default Value' }]),
    picklist('opportunityratingcode', [
      { value: 1, label: 'Hot' },
      { value: 2, label: 'Warm' },
      { value: 3, label: 'Cold' },
    ]),
    picklist('purchasetimeframe', [
      { value: 0, label: 'Immediate' },
      { value: 1, label: 'This Quarter' },
      { value: 2, label: 'Next Quarter' },
      { value: 3, label: 'This Year' },
      { value: 4, label: 'Unknown' },
    ]),
    picklist('msdyn_forecastcategory', [
      { value: 100000001, label: 'Pipeline' },
      { value: 100000002, label: 'Best case' },
      { value: 100000003, label: 'Committed' },
      { value: 100000004, label: 'Omitted' },
      { value: 100000005, label: 'Won' },
      { value: 100000006, label: 'Lost' },
    ]),
    customer('customerid'),
    lookup('parentaccountid', 'account'),
    lookup('parentcontactid', 'contact'),
    lookup('transactioncurrencyid', 'transactioncurrency'),
    lookup('originatingleadid', 'lead', { validForUpdate: false }),
    ...systemColumns(true),
    bool('cosell_syncwithpartnercenter'),
    str('cosell_referralid', 64),
    str('cosell_referrallink', 500),
    picklist('cosell_microsofthelp', MICROSOFT_HELP),
    bool('cosell_sharewithmicrosoft'),
    str('cosell_microsoftcrmid', 64),
    str('cosell_microsoftcosellstatus', 100),
    str('cosell_solutionids', 500),
    str('cosell_campaignid', 64),
    str('cosell_declinereason', 500),
    str('cosell_referralstatus', 40),
    dateTime('cosell_respondby'),
  ],
});

export const lead: TableDef = {
  logicalName: 'lead',
  entitySetName: 'leads',
  primaryId: 'leadid',
  primaryName: 'fullname',
  changeTrackingEnabled: true,
  alternateKeys: [{ name: 'cosell_referralid_key', columns: ['cosell_referralid'] }],
  attributes: [
    id('leadid'),
    str('subject', 300),
    str('firstname', 50),
    str('lastname', 50, { requiredLevel: 'ApplicationRequired' }),
    str('fullname', 160, { validForCreate: false, validForUpdate: false }),
    str('companyname', 100),
    str('jobtitle', 100),
    str('emailaddress1', 100),
    str('telephone1', 50),
    str('address1_line1', 250),
    str('address1_city', 80),
    str('address1_stateorprovince', 50),
    str('address1_postalcode', 20),
    str('address1_country', 80),
    memo('description', 2000),
    money('estimatedamount'),
    dateOnly('estimatedclosedate'),
    state([
      { value: 0, label: 'Open', defaultStatus: 1 },
      { value: 1, label: 'Qualified', defaultStatus: 3 },
      { value: 2, label: 'Disqualified', defaultStatus: 4 },
    ]),
    status([
      { value: 1, label: 'New', state: 0 },
      { value: 2, label: 'Contacted', state: 0 },
      { value: 3, label: 'Qualified', state: 1 },
      { value: 4, label: 'Lost', state: 2 },
      { value: 5, label: 'Cannot Contact', state: 2 },
      { value: 6, label: 'No Longer Interested', state: 2 },
      { value: 7, label: 'Canceled', state: 2 },
    ]),
    lookup('parentaccountid', 'account'),
    lookup('transactioncurrencyid', 'transactioncurrency'),
    ...systemColumns(true),
    bool('cosell_syncwithpartnercenter'),
    str('cosell_referralid', 64),
    str('cosell_referrallink', 500),
    str('cosell_declinereason', 500),
    str('cosell_referralstatus', 40),
    dateTime('cosell_respondby'),
  ],
};

/** The close activity WinOpportunity / LoseOpportunity create (Web API "WinOpportunity Action" / "LoseOpportunity Action"); its entity set name is not documented (`opportunitycloses` here). */
export const opportunityclose: TableDef = {
  logicalName: 'opportunityclose',
  entitySetName: 'opportunitycloses',
  primaryId: 'activityid',
  primaryName: 'subject',
  changeTrackingEnabled: false,
  alternateKeys: [],
  attributes: [
    id('activityid'),
    str('subject', 200),
    lookup('opportunityid', 'opportunity'),
    money('actualrevenue'),
    dateOnly('actualend'),
    memo('description', 2000),
    state([
      { value: 0, label: 'Open', defaultStatus: 1 },
      { value: 1, label: 'Completed', defaultStatus: 2 },
      { value: 2, label: 'Canceled', defaultStatus: 3 },
    ]),
    status([
      { value: 1, label: 'Open', state: 0 },
      { value: 2, label: 'Completed', state: 1 },
      { value: 3, label: 'Canceled', state: 2 },
    ]),
    ...systemColumns(true),
  ],
};
