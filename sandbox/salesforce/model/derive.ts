import { COUNTRIES, countryCodeOf } from '../../shared/countries.js';
import { DEFAULT_STAGES, FORECAST_CATEGORY_BY_NAME } from '../schema/stages.js';
import type { SalesforceOrg } from './org.js';
import { checkAssignment, checkFieldPermission } from './permission-rules.js';
import { sfError, type SfError } from './sf-error.js';
import type { Row } from './table.js';

const STAGES = new Map(DEFAULT_STAGES.map((s) => [s.apiName, s]));

/**
 * Fields Salesforce computes on save. `changes` are the fields the caller sent; `row` is the
 * merged result and is completed in place. Returns the errors a derivation can raise.
 */
export function deriveFields({ org, type, row, changes }: { org: SalesforceOrg; type: string; row: Row; changes: Row }): SfError[] {
  switch (type) {
    case 'Opportunity':
      deriveOpportunity(row, changes);
      return [];
    case 'Contact':
    case 'Lead':
    case 'User':
      row['Name'] = [row['FirstName'], row['LastName']].filter((p) => typeof p === 'string' && p !== '').join(' ');
      return [];
    case 'Account':
      // Without State and Country picklists BillingCountry is free text (Object Reference, "Account").
      return org.catalog.object('Account')?.field('BillingCountryCode') ? deriveBillingCountry(row, changes) : [];
    case 'OpportunityTeamMember': {
      const user = org.table('User')?.get(String(row['UserId']));
      row['Name'] = user?.['Name'] ?? null;
      row['Title'] = user?.['Title'] ?? null;
      return [];
    }
    case 'FieldPermissions':
      return checkFieldPermission(org, row);
    case 'PermissionSetAssignment':
      return checkAssignment(org, row);
    default:
      return [];
  }
}

/**
 * Object Reference, "OpportunityStage": IsClosed, IsWon, ForecastCategory(Name) and Probability follow the stage;
 * an explicit Probability or ForecastCategoryName in the same write wins.
 */
function deriveOpportunity(row: Row, changes: Row): void {
  const stage = STAGES.get(String(row['StageName']));
  if (stage && 'StageName' in changes) {
    row['IsClosed'] = stage.isClosed;
    row['IsWon'] = stage.isWon;
    if (!('Probability' in changes)) row['Probability'] = stage.defaultProbability;
    if (!('ForecastCategoryName' in changes) || changes['ForecastCategoryName'] === null) {
      row['ForecastCategoryName'] = stage.forecastCategoryName;
    }
  }
  row['ForecastCategory'] = FORECAST_CATEGORY_BY_NAME[String(row['ForecastCategoryName'])] ?? null;
  const amount = row['Amount'];
  const probability = row['Probability'];
  row['ExpectedRevenue'] = typeof amount === 'number' && typeof probability === 'number' ? (amount * probability) / 100 : null;
  const close = row['CloseDate'];
  if (typeof close === 'string') {
    row['FiscalYear'] = Number(close.slice(0, 4));
    row['FiscalQuarter'] = Math.floor((Number(close.slice(5, 7)) - 1) / 3) + 1;
  }
}

/** Object Reference, "Account": with State and Country picklists on, the country name and code are kept in step. */
function deriveBillingCountry(row: Row, changes: Row): SfError[] {
  if ('BillingCountryCode' in changes) {
    const code = changes['BillingCountryCode'];
    row['BillingCountry'] = typeof code === 'string' ? (COUNTRIES[code] ?? null) : null;
    return [];
  }
  if ('BillingCountry' in changes) {
    const name = changes['BillingCountry'];
    if (typeof name !== 'string' || name === '') {
      row['BillingCountryCode'] = null;
      return [];
    }
    const code = countryCodeOf(name) ?? (COUNTRIES[name.toUpperCase()] ? name.toUpperCase() : undefined);
    if (code === undefined) {
      return [
        sfError(
          'FIELD_INTEGRITY_EXCEPTION',
          "There's a problem with this country, even though it may appear correct. Please select a country/territory from the list of valid countries.",
          ['BillingCountry'],
        ),
      ];
    }
    row['BillingCountryCode'] = code;
    row['BillingCountry'] = COUNTRIES[code] ?? name;
  }
  return [];
}
