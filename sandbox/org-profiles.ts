/**
 * Org profiles: the shapes real Salesforce and Dataverse orgs come in, one switch per way they
 * differ from the sandbox's default org. Both emulators build their schema and seed data from an
 * `OrgShape`; `cosell-sync sandbox --org-profile NAME[,NAME...]` and `startSandbox({ orgProfile })`
 * pick one. This file is the one list of profiles: `crm setup` and its tests read it too.
 */

export interface OrgShape {
  /**
   * Salesforce State and Country picklists (off by default in a new org): with them, Account has
   * BillingCountryCode / BillingStateCode and BillingCountry follows the code; without them,
   * BillingCountry is free text and the code fields do not exist. Dataverse has no such switch.
   */
  stateCountryPicklists: boolean;
  /** What the free-text country fields hold: ISO 3166-1 alpha-2 codes ('DE') or English names ('Germany'). */
  countries: 'code' | 'name';
  /**
   * The stages the default mapping adds (Salesforce StageName On Hold, Declined, Expired;
   * Dataverse opportunity status reasons 100000001 Declined and 100000002 Expired). Without
   * them an org has only the standard values.
   */
  cosellStages: boolean;
  /** The account DUNS column (Salesforce DUNS__c, Dataverse cosell_duns). */
  duns: boolean;
  /**
   * Multi-currency: Salesforce CurrencyIsoCode on every record; Dataverse several active
   * transaction currencies. Single-currency: no CurrencyIsoCode, and one Dataverse currency (USD).
   */
  multiCurrency: boolean;
}

/** The sandbox's default org: everything the default mappings use is there. */
export const STANDARD_SHAPE: OrgShape = {
  stateCountryPicklists: true,
  countries: 'code',
  cosellStages: true,
  duns: true,
  multiCurrency: true,
};

/** Each profile changes the standard shape in one way; `minimal` in all of them. */
export const ORG_PROFILES = {
  standard: {},
  'no-state-country-picklists': { stateCountryPicklists: false },
  'country-names': { stateCountryPicklists: false, countries: 'name' },
  'standard-stages': { cosellStages: false },
  'no-duns': { duns: false },
  'single-currency': { multiCurrency: false },
  minimal: { stateCountryPicklists: false, countries: 'name', cosellStages: false, duns: false, multiCurrency: false },
} as const satisfies Record<string, Partial<OrgShape>>;

export type OrgProfileName = keyof typeof ORG_PROFILES;

export const ORG_PROFILE_NAMES = Object.keys(ORG_PROFILES) as OrgProfileName[];

export const isOrgProfileName = (name: string): name is OrgProfileName => Object.hasOwn(ORG_PROFILES, name);

/**
 * The shape of one profile or of several combined (`no-duns,single-currency`): each named
 * profile's changes apply in turn. An unknown name throws, listing the known ones.
 */
export function orgShapeOf(profile: string | readonly string[] | undefined): OrgShape {
  const names = profile === undefined ? [] : typeof profile === 'string' ? profile.split(',') : profile;
  let shape: OrgShape = { ...STANDARD_SHAPE };
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    if (!isOrgProfileName(name)) throw new Error(`unknown org profile '${name}': use ${ORG_PROFILE_NAMES.join(', ')} (or several, separated by commas)`);
    shape = { ...shape, ...ORG_PROFILES[name] };
  }
  return shape;
}
