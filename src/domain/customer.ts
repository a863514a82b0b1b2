/**
 * The customer side of a deal as the mappings produce it and the connectors match or create it:
 * an account and its contacts, in no CRM's field names.
 */

/** A customer account to match (name + postal code, DUNS when present) or create. */
export interface AccountInput {
  name: string;
  street: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  /**
   * The country as the org's free-text country field keeps it (the mapping's country rule: the
   * code, or the English name with `country: { as: name }`); absent: the code.
   */
  countryText?: string | null;
  duns: string | null;
}

export interface ContactInput {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  title: string | null;
}
