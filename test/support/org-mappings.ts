/**
 * The default mappings as an admin would edit them for an org that lacks what they use: only the
 * standard stages / status reasons (no `picklists:` block, the status mapped to standard values),
 * no DUNS field, one currency (Salesforce without CurrencyIsoCode: `currency: USD`), countries
 * kept as names (`country: { as: name }` on the account's country). Each edit is the one the mapping files' own comments describe.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import type { OrgShape } from '../../sandbox/org-profiles.js';

export type CrmName = 'salesforce' | 'dynamics';

export const defaultMappingPath = (system: CrmName): string => fileURLToPath(new URL(`../../mappings/${system}.yaml`, import.meta.url));

const STANDARD_STATUS: Record<CrmName, { fromCrm: Record<string, string>; toCrm: Record<string, string | number> }> = {
  salesforce: {
    fromCrm: {
      Prospecting: 'New/Pending',
      Qualification: 'Active/Accepted',
      'Needs Analysis': 'Active/Accepted',
      'Value Proposition': 'Active/Accepted',
      'Id. Decision Makers': 'Active/Accepted',
      'Perception Analysis': 'Active/Accepted',
      'Proposal/Price Quote': 'Active/Accepted',
      'Negotiation/Review': 'Active/Accepted',
      'Closed Won': 'Closed/Won',
      'Closed Lost': 'Closed/Lost',
    },
    toCrm: {
      'New/Pending': 'Prospecting',
      'New/Received': 'Prospecting',
      'Active/Accepted': 'Qualification',
      'Closed/Won': 'Closed Won',
      'Closed/Lost': 'Closed Lost',
      'Closed/Declined': 'Closed Lost',
      'Closed/Expired': 'Closed Lost',
    },
  },
  dynamics: {
    fromCrm: { 1: 'Active/Accepted', 2: 'New/Pending', 3: 'Closed/Won', 4: 'Closed/Lost', 5: 'Closed/Lost' },
    toCrm: { 'New/Pending': 2, 'New/Received': 2, 'Active/Accepted': 1, 'Closed/Won': 3, 'Closed/Lost': 4, 'Closed/Declined': 4, 'Closed/Expired': 4 },
  },
};

function opportunityRules(doc: Document): YAMLMap[] {
  const fields = doc.getIn(['opportunity', 'fields']);
  if (!isSeq(fields)) throw new Error('no opportunity.fields');
  return fields.items.filter(isMap) as YAMLMap[];
}

function dropRule(doc: Document, path: string): void {
  const fields = doc.getIn(['opportunity', 'fields']);
  if (isSeq(fields)) fields.items = fields.items.filter((r) => !(isMap(r) && r.get('referral') === path));
}

/** The default mapping's text, edited for an org of `shape`. */
export function mappingTextFor(system: CrmName, shape: Pick<OrgShape, 'cosellStages' | 'duns'> & Partial<Pick<OrgShape, 'multiCurrency' | 'countries'>>): string {
  const doc = parseDocument(readFileSync(defaultMappingPath(system), 'utf8'));
  if (!shape.cosellStages) {
    doc.delete('picklists');
    const statusField = system === 'salesforce' ? 'StageName' : 'statuscode';
    const rule = opportunityRules(doc).find((r) => r.get('referral') === 'status' && r.get('crm') === statusField);
    if (!rule) throw new Error(`no status rule on ${statusField}`);
    const { fromCrm, toCrm } = STANDARD_STATUS[system];
    rule.setIn(['transform', 'valueMap', 'fromCrm'], doc.createNode(fromCrm));
    rule.setIn(['transform', 'valueMap', 'toCrm'], doc.createNode(toCrm));
    if (system === 'dynamics') rule.setIn(['transform', 'valueMap', 'pairWith', 'values'], doc.createNode({ 1: 0, 2: 0, 3: 1, 4: 2, 5: 2 }));
  }
  if (!shape.duns) dropRule(doc, 'customerProfile.duns');
  // Countries kept as names: the accounts made for inbound referrals get the name too.
  if (shape.countries === 'name') {
    const rule = opportunityRules(doc).find((r) => r.get('referral') === 'customerProfile.address.country');
    rule?.set('transform', doc.createNode({ country: { as: 'name' } }));
  }
  // A single-currency Salesforce org has no CurrencyIsoCode; every Dataverse org has a currency lookup.
  if (shape.multiCurrency === false && system === 'salesforce') {
    dropRule(doc, 'details.currency');
    doc.setIn(['opportunity', 'currency'], 'USD');
  }
  return doc.toString();
}
