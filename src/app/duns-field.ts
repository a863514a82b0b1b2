/**
 * Which account field holds the customer's DUNS number is the mapping's to say: the field its
 * customerProfile.duns rule reads through the opportunity's account lookup (`Account.DUNS__c`,
 * `parentaccountid.cosell_duns`). Without such a rule no DUNS is matched on or written.
 */
import type { Mapping } from '../../mappings/index.js';

export function accountDunsField(mapping: Mapping, accountLookup: string): string | null {
  const crmField = mapping.opportunity.rules.find((r) => r.path === 'customerProfile.duns')?.crmField;
  const prefix = `${accountLookup}.`;
  if (crmField === undefined || !crmField.startsWith(prefix)) return null;
  const field = crmField.slice(prefix.length);
  return field === '' || field.includes('.') ? null : field;
}
