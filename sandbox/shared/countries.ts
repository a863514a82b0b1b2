/**
 * The countries of the sandbox orgs: ISO 3166-1 alpha-2 code -> the name an org shows. With
 * Salesforce State and Country picklists on, BillingCountryCode is validated against this list
 * (Object Reference, "Account"); a `country-names` org stores the names in its free-text fields.
 */
export const COUNTRIES: Readonly<Record<string, string>> = {
  US: 'United States',
  CA: 'Canada',
  MX: 'Mexico',
  BR: 'Brazil',
  GB: 'United Kingdom',
  IE: 'Ireland',
  FR: 'France',
  DE: 'Germany',
  NL: 'Netherlands',
  BE: 'Belgium',
  ES: 'Spain',
  PT: 'Portugal',
  IT: 'Italy',
  CH: 'Switzerland',
  AT: 'Austria',
  SE: 'Sweden',
  NO: 'Norway',
  DK: 'Denmark',
  FI: 'Finland',
  PL: 'Poland',
  IN: 'India',
  JP: 'Japan',
  KR: 'Korea, Republic of',
  CN: 'China',
  SG: 'Singapore',
  AU: 'Australia',
  NZ: 'New Zealand',
  ZA: 'South Africa',
  AE: 'United Arab Emirates',
  IL: 'Israel',
};

const CODE_BY_NAME = new Map(Object.entries(COUNTRIES).map(([code, name]) => [name.toLowerCase(), code]));

export function countryCodeOf(name: string): string | undefined {
  return CODE_BY_NAME.get(name.toLowerCase());
}
