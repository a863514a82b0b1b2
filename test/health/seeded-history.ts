/**
 * A co-sell history seeded straight into a real store, for the health metrics and findings.
 * The expected numbers in the tests are worked out by hand from these rows.
 */
import type { ReferralFacts } from '../../src/store/health-types.js';
import type { LinkInput, StateStore } from '../../src/store/types.js';

export const NOW = '2026-12-07T06:00:00.000Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (iso: string, plusMs = 0): string => new Date(Date.parse(iso) + plusMs).toISOString();

function fact(over: Partial<ReferralFacts> & Pick<ReferralFacts, 'referralId' | 'receivedAt'>): ReferralFacts {
  return {
    direction: 'Incoming',
    name: `Deal ${over.referralId}`,
    respondBy: at(over.receivedAt, 14 * DAY),
    status: 'New/Pending',
    answer: null,
    answeredAt: null,
    source: 'microsoft',
    dealType: 'coSellOpportunity',
    solution: 'Contoso Cloud',
    country: 'US',
    size: '51to500employees',
    dealValue: 50_000,
    currency: 'USD',
    firstSeenAt: over.receivedAt,
    lastSeenAt: NOW,
    ...over,
  };
}

/** Inbound referrals: A, B, C in ISO week 2026-W45; D in W46; E still awaiting (W49); F made by hand. */
export const FACTS: ReferralFacts[] = [
  fact({ referralId: 'ref-a', receivedAt: '2026-11-02T09:00:00.000Z', status: 'Active/Accepted', answer: 'accepted', answeredAt: at('2026-11-02T09:00:00.000Z', 10 * HOUR) }),
  fact({
    referralId: 'ref-b',
    receivedAt: '2026-11-03T09:00:00.000Z',
    status: 'Closed/Declined',
    answer: 'declined',
    answeredAt: at('2026-11-03T09:00:00.000Z', 30 * HOUR),
    source: 'partner',
    dealType: 'qualifiedLead',
    solution: 'Fabrikam Data',
    country: 'DE',
    size: '1to50employees',
  }),
  fact({ referralId: 'ref-c', receivedAt: '2026-11-04T09:00:00.000Z', status: 'Closed/Expired', answer: 'expired', answeredAt: at('2026-11-04T09:00:00.000Z', 14 * DAY) }),
  fact({ referralId: 'ref-d', receivedAt: '2026-11-10T09:00:00.000Z', status: 'Active/Accepted', answer: 'accepted', answeredAt: at('2026-11-10T09:00:00.000Z', 2 * HOUR), country: null, size: null }),
  fact({ referralId: 'ref-e', receivedAt: '2026-12-01T09:00:00.000Z', solution: null }),
  fact({ referralId: 'ref-f', direction: 'Outgoing', receivedAt: '2026-11-20T09:00:00.000Z', respondBy: null, status: 'Active/Accepted', dealType: 'manual' }),
];

const link = (over: Partial<LinkInput> & Pick<LinkInput, 'crmId' | 'referralId'>): LinkInput => ({
  crmSystem: 'salesforce',
  crmKind: 'opportunity',
  engagementId: null,
  origin: 'crm',
  state: 'linked',
  snapshot: {},
  crmVersion: null,
  referralETag: null,
  respondBy: null,
  ...over,
});

/** Seeds the history: facts, links, held conflicts and failed records. */
export async function seedHistory(store: StateStore): Promise<{ conflictIds: Record<string, string> }> {
  await store.noteReferrals(FACTS);
  // ref-a's deal: its close date (30 November) has passed, the referral is still active.
  await store.saveLink(link({ crmId: '006A', referralId: 'ref-a', origin: 'partnerCenter', snapshot: { name: 'Deal ref-a', status: 'Active/Accepted', 'details.closingDateTime': '2026-11-30T12:00:00.000Z' } }));
  // Won in the CRM, held against Partner Center's Active.
  const won = await store.saveLink(link({ crmId: '006W', referralId: 'ref-w', snapshot: { name: 'Won deal', status: 'Active/Accepted', 'details.closingDateTime': '2027-01-31T12:00:00.000Z' } }));
  const heldStatus = await store.holdConflict({ linkId: won.id, path: 'status', base: 'Active/Accepted', crmValue: 'Closed/Won', partnerCenterValue: 'Active/Accepted', createdAt: '2026-12-05T10:00:00.000Z' });
  // Lost in the CRM; carrying it to Partner Center failed.
  await store.saveLink(link({ crmId: '006L', referralId: 'ref-l', snapshot: { name: 'Lost deal', status: 'Active/Accepted', 'details.closingDateTime': '2027-02-28T12:00:00.000Z' } }));
  await store.recordFailure({
    key: 'salesforce:opportunity:006L',
    operation: 'outbound',
    reason: 'invalid: the referral refused the change',
    errorKind: 'invalid',
    payload: { crmId: '006L', fields: { StageName: 'Closed Lost' } },
    nextAttemptAt: '2026-12-08T00:00:00.000Z',
    lastFailedAt: '2026-12-06T00:00:00.000Z',
    failedAt: '2026-12-06T00:00:00.000Z',
  });
  // Values held apart: the value for 17 days (a finding), the close date for 6 (not yet).
  const apart = await store.saveLink(link({ crmId: '006V', referralId: 'ref-v', snapshot: { name: 'Apart deal', status: 'Active/Accepted', 'details.closingDateTime': '2027-03-31T12:00:00.000Z' } }));
  const heldValue = await store.holdConflict({ linkId: apart.id, path: 'details.dealValue', base: 40_000, crmValue: 45_000, partnerCenterValue: 42_000, createdAt: '2026-11-20T06:00:00.000Z' });
  await store.holdConflict({ linkId: apart.id, path: 'details.closingDateTime', base: null, crmValue: '2027-03-31T12:00:00.000Z', partnerCenterValue: '2027-04-30T12:00:00.000Z', createdAt: '2026-12-01T06:00:00.000Z' });
  // A flagged opportunity with no customer country never became a referral.
  await store.recordFailure({
    key: 'salesforce:opportunity:006X',
    operation: 'outbound',
    reason: "CRM record 006X cannot become a referral: customerProfile.address.country: required: 'customerProfile.address.country' has no value",
    errorKind: 'invalid',
    payload: { crmId: '006X', fields: {}, problems: [{ path: 'customerProfile.address.country', crmField: 'Account.BillingCountry', message: 'required' }] },
    nextAttemptAt: '2026-12-08T00:00:00.000Z',
    lastFailedAt: '2026-12-06T00:00:00.000Z',
    failedAt: '2026-12-02T00:00:00.000Z',
  });
  return { conflictIds: { heldStatus: heldStatus.id, heldValue: heldValue.id } };
}

/** What the Salesforce mapping makes of a stage, for the failed-record rule. */
export const stageStatus = ({ fields }: { fields: Record<string, unknown> }): string | null =>
  fields['StageName'] === 'Closed Won' ? 'Closed/Won' : fields['StageName'] === 'Closed Lost' ? 'Closed/Lost' : null;
