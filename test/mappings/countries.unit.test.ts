/**
 * Countries stored as names: the CRM's names and their common variants read as ISO codes, a name
 * nobody knows fails naming the value, and `country: { as: name }` writes names.
 */
import { describe, expect, it } from '@jest/globals';
import { parseDocument, isMap, isSeq } from 'yaml';
import { readFileSync } from 'node:fs';
import { parseMapping, type Mapping } from '../../mappings/index.js';
import { mappingTextFor } from '../support/org-mappings.js';
import { loadDefault, mappingPath, referral, sfOpportunity } from './fixtures.js';

const ctx = { timeZone: 'UTC' };
const sf = loadDefault('salesforce');
const dv = loadDefault('dynamics');
const PATH = 'customerProfile.address.country';

/** The default Salesforce mapping with the lead's Country rule writing names. */
function leadCountryAsName(): Mapping {
  const doc = parseDocument(readFileSync(mappingPath('salesforce'), 'utf8'));
  const fields = doc.getIn(['lead', 'fields']);
  const rule = isSeq(fields) ? fields.items.find((r) => isMap(r) && r.get('crm') === 'Country') : undefined;
  if (!isMap(rule)) throw new Error('no lead Country rule');
  rule.set('transform', doc.createNode({ country: { as: 'name' } }));
  const loaded = parseMapping({ text: doc.toString(), file: 'names.yaml' });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  return loaded.value;
}

describe('countries stored as names', () => {
  it.each([
    ['Germany', 'DE'],
    ['United States of America', 'US'],
    ['United States', 'US'],
    ['USA', 'US'],
    ['UK', 'GB'],
    ['Deutschland', 'DE'],
    ['The Netherlands', 'NL'],
    ['us', 'US'],
  ])('a Salesforce BillingCountry of %j (no State and Country picklists) reads as %s', (name, code) => {
    const record = sfOpportunity({ 'Account.BillingCountryCode': null, 'Account.BillingCountry': name });
    const { values, problems } = sf.opportunity.fromCrm(record, ctx);
    expect(problems).toEqual([]);
    expect(values[PATH]).toBe(code);
  });

  it('a Dataverse address1_country name reads as its code', () => {
    const { values, problems } = dv.opportunity.fromCrm({ kind: 'opportunity', id: 'x', stamp: 's', version: 'v', fields: { 'parentaccountid.address1_country': 'Germany' } }, ctx);
    expect(problems).toEqual([]);
    expect(values[PATH]).toBe('DE');
  });

  it('an unknown name fails naming the value, and nothing else of the record is lost', () => {
    const record = sfOpportunity({ 'Account.BillingCountryCode': null, 'Account.BillingCountry': 'Narnia' });
    const { values, problems } = sf.opportunity.fromCrm(record, ctx);
    expect(problems).toEqual([expect.objectContaining({ path: PATH, message: expect.stringContaining('"Narnia"') })]);
    expect(values['name']).toBe('Contoso cloud migration');
  });

  it('country: { as: name } writes the English name, and reads it back as the code', () => {
    const mapping = leadCountryAsName();
    const values = mapping.lead.fromReferral(referral({ customerProfile: { ...referral().customerProfile, address: { ...referral().customerProfile.address, country: 'de' } } }), ctx).values;
    expect(values[PATH]).toBe('DE');
    const { fields } = mapping.lead.toCrmFields({ values, ctx, mode: 'create' });
    expect(fields['Country']).toBe('Germany');
    // The default writes the code.
    expect(sf.lead.toCrmFields({ values, ctx, mode: 'create' }).fields['Country']).toBe('DE');
  });

  it.each(['salesforce', 'dynamics'] as const)('%s: the account made for an inbound referral keeps the country as the account\'s country rule writes it', (system) => {
    const inGermany = referral({ customerProfile: { ...referral().customerProfile, address: { ...referral().customerProfile.address, country: 'de' } } });
    expect(loadDefault(system).opportunity.customerFromReferral(inGermany).account).toMatchObject({ country: 'de', countryText: 'DE' });
    const names = parseMapping({ text: mappingTextFor(system, { cosellStages: true, duns: true, countries: 'name' }), file: 'names.yaml' });
    if (!names.ok) throw new Error(JSON.stringify(names.error));
    expect(names.value.opportunity.customerFromReferral(inGermany).account).toMatchObject({ countryText: 'Germany' });
  });
});
