import { describe, expect, it } from '@jest/globals';
import type { CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import type { Referral, ReferralDraft } from '../../src/domain/referral.js';
import type { Mapping, MappingContext } from '../../mappings/index.js';
import { dvOpportunity, loadDefault, sfOpportunity } from './fixtures.js';

const ZONES = ['Pacific/Auckland', 'Asia/Tokyo', 'America/Los_Angeles', 'Pacific/Honolulu'] as const;
// Year end, and the daylight-saving switches of Auckland and Los Angeles.
const DATES = ['2024-11-14', '2024-12-31', '2025-01-01', '2024-04-07', '2024-09-29', '2024-03-10', '2024-11-03'];

/** Partner Center's view of a created draft: what a later read gives back. */
const asReferral = (draft: ReferralDraft): Referral => ({
  ...draft,
  id: 'a1b2c3d4-0000-0000-0000-0000000000ff',
  engagementId: 'e0000000-0000-0000-0000-0000000000ff',
  eTag: '"1"',
  direction: 'Outgoing',
  createdDateTime: '2024-10-01T10:00:00.0000000Z',
  updatedDateTime: '2024-10-01T10:00:00.0000000Z',
  expirationDateTime: null,
  acceptedDateTime: null,
  closedDateTime: null,
  registrations: [],
  microsoftMsxId: null,
});

/** CRM -> referral -> CRM; returns the CRM fields written back and the referral in between. */
function roundTrip(mapping: Mapping, record: CrmRecord, ctx: MappingContext): { fields: Record<string, FieldValue>; referral: Referral } {
  const om = mapping.opportunity;
  const out = om.fromCrm(record, ctx);
  expect(out.problems).toEqual([]);
  const draft = om.toReferralDraft({ values: out.values, externalReferenceId: record.id, dealType: om.dealType(record), ctx });
  if (!draft.ok) throw new Error(JSON.stringify(draft.error));
  const referral = asReferral(draft.value);
  const back = om.toCrmFields({ values: om.fromReferral(referral, ctx).values, ctx, mode: 'update' });
  expect(back.problems).toEqual([]);
  return { fields: back.fields, referral };
}

function expectTwoWayFieldsUnchanged(mapping: Mapping, record: CrmRecord, fields: Record<string, FieldValue>): void {
  const twoWay = mapping.opportunity.rules.filter((r) => r.direction === 'both').map((r) => r.crmField);
  expect(twoWay.length).toBeGreaterThanOrEqual(9);
  for (const field of twoWay) expect({ field, value: fields[field] }).toEqual({ field, value: record.fields[field] });
}

const localDate = (instant: string, timeZone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(instant));

describe.each([
  { name: 'salesforce' as const, make: sfOpportunity, f: { name: 'Name', amount: 'Amount', currency: 'CurrencyIsoCode', close: 'CloseDate', notes: 'Description', stage: 'StageName' } },
  {
    name: 'dynamics' as const,
    make: dvOpportunity,
    f: { name: 'name', amount: 'estimatedvalue', currency: 'transactioncurrencyid.isocurrencycode', close: 'estimatedclosedate', notes: 'description', stage: 'statuscode' },
  },
])('round trip CRM -> referral -> CRM with the $name default mapping', ({ name, make, f }) => {
  const mapping = loadDefault(name);

  it.each(ZONES.flatMap((zone) => DATES.map((date) => ({ zone, date }))))('keeps close date $date in $zone on its day', ({ zone, date }) => {
    const record = make({ [f.close]: date });
    const { fields, referral } = roundTrip(mapping, record, { timeZone: zone });
    expect(localDate(referral.details.closingDateTime ?? '', zone)).toBe(date);
    expect(fields[f.close]).toBe(date);
    expectTwoWayFieldsUnchanged(mapping, record, fields);
  });

  it.each([
    { label: 'zero amount', fields: { [f.amount]: 0 } },
    { label: 'empty notes', fields: { [f.notes]: '' } },
    { label: 'no notes', fields: { [f.notes]: null } },
    { label: 'non-ASCII name', fields: { [f.name]: 'Société Générale Ünïcode 日本' } },
    { label: 'JPY without decimals', fields: { [f.currency]: 'JPY', [f.amount]: 12345678 } },
    { label: 'USD with cents', fields: { [f.currency]: 'USD', [f.amount]: 1234.56 } },
    { label: 'BHD with three decimals', fields: { [f.currency]: 'BHD', [f.amount]: 1234.567 } },
    { label: 'KWD zero', fields: { [f.currency]: 'KWD', [f.amount]: 0 } },
  ])('leaves every two-way field unchanged: $label', ({ fields: changed }) => {
    for (const timeZone of ZONES) {
      const record = make(changed);
      const { fields, referral } = roundTrip(mapping, record, { timeZone });
      expectTwoWayFieldsUnchanged(mapping, record, fields);
      expect(referral.details.dealValue).toBe(record.fields[f.amount]);
    }
  });

  it('carries a zero amount to Partner Center as 0, not as missing', () => {
    const { referral } = roundTrip(mapping, make({ [f.amount]: 0 }), { timeZone: 'UTC' });
    expect(referral.details.dealValue).toBe(0);
  });

  it('round-trips every status the CRM writes back', () => {
    const stages = name === 'salesforce' ? ['On Hold', 'Qualification', 'Closed Won', 'Closed Lost', 'Declined', 'Expired'] : [2, 1, 3, 4, 100000001, 100000002];
    for (const stage of stages) {
      const record = make({ [f.stage]: stage, ...(name === 'dynamics' ? { statecode: stage === 1 || stage === 2 ? 0 : stage === 3 ? 1 : 2 } : {}) });
      const { fields } = roundTrip(mapping, record, { timeZone: 'Asia/Tokyo' });
      expect(fields[f.stage]).toBe(stage);
      if (name === 'dynamics') expect(fields['statecode']).toBe(record.fields['statecode']);
    }
  });
});
