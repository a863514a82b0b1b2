/**
 * Single-currency orgs: a Salesforce org without multiple currencies has no CurrencyIsoCode, so
 * the mapping names the org's currency (`currency: USD`) instead of a details.currency rule.
 * Deals shared from it carry that currency; a referral valued in another currency is never
 * written as if it were in the org's.
 */
import { describe, expect, it } from '@jest/globals';
import { parseMapping, type Mapping, type MappingProblem } from '../../mappings/index.js';
import { mappingTextFor } from '../support/org-mappings.js';
import { referral, sfOpportunity } from './fixtures.js';

const ctx = { timeZone: 'UTC' };
const SINGLE = { cosellStages: true, duns: true, multiCurrency: false } as const;

function load(text: string): { mapping: Mapping | null; problems: MappingProblem[] } {
  const loaded = parseMapping({ text, file: 'single.yaml' });
  return loaded.ok ? { mapping: loaded.value, problems: [] } : { mapping: null, problems: loaded.error };
}

const single = (): Mapping => {
  const { mapping, problems } = load(mappingTextFor('salesforce', SINGLE));
  if (!mapping) throw new Error(JSON.stringify(problems));
  return mapping;
};

describe('a mapping for a single-currency org', () => {
  it('reads no currency field, and a deal shared from the org carries the mapping\'s currency', () => {
    const om = single().opportunity;
    expect(om.readFields).not.toContain('CurrencyIsoCode');
    const { CurrencyIsoCode: _gone, ...fields } = sfOpportunity({ Amount: 1234.565 }).fields;
    const { values, problems } = om.fromCrm({ ...sfOpportunity(), fields }, ctx);
    expect(problems).toEqual([]);
    expect(values).toMatchObject({ 'details.currency': 'USD', 'details.dealValue': 1234.57 });
    const draft = om.toReferralDraft({ values, externalReferenceId: '006000000000001AAA', dealType: { kind: 'partnerLed' }, ctx });
    if (!draft.ok) throw new Error(JSON.stringify(draft.error));
    expect(draft.value.details).toMatchObject({ dealValue: 1234.57, currency: 'USD' });
  });

  it('writes a referral valued in the org\'s currency, with no currency field', () => {
    const om = single().opportunity;
    const { values, problems } = om.fromReferral(referral({ details: { notes: null, dealValue: 80000, currency: 'usd', closingDateTime: null, solutions: [] } }), ctx);
    expect(problems).toEqual([]);
    const { fields } = om.toCrmFields({ values, ctx, mode: 'create' });
    expect(fields['Amount']).toBe(80000);
    expect(Object.keys(fields)).not.toContain('CurrencyIsoCode');
  });

  it('refuses a referral valued in another currency, naming both (an amount is never converted)', () => {
    const { problems } = single().opportunity.fromReferral(referral({ details: { notes: null, dealValue: 80000, currency: 'EUR', closingDateTime: null, solutions: [] } }), ctx);
    expect(problems).toEqual([
      { path: 'details.dealValue', crmField: 'Amount', message: "the referral's value is 80000 EUR, but this org keeps every amount in USD (currency: USD in the mapping), and amounts are never converted" },
    ]);
  });

  it('refuses a file that names a currency and maps a currency field too', () => {
    const text = mappingTextFor('salesforce', { ...SINGLE, multiCurrency: true }).replace('\nopportunity:\n', '\nopportunity:\n  currency: USD\n');
    expect(load(text).problems.map((p) => p.message)).toEqual([
      'currency: USD says the org keeps one currency, but CurrencyIsoCode is mapped to details.currency too: keep one of them',
    ]);
  });
});
