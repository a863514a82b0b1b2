import { describe, expect, it } from '@jest/globals';
import { factsOf } from '../../src/health/referral-facts.js';
import { referral } from '../mappings/fixtures.js';

const NOW = '2024-10-05T00:00:00.000Z';

describe('what co-sell health keeps of a referral', () => {
  it('gives an inbound referral its 14-day deadline and no answer while it is new', () => {
    expect(factsOf(referral(), NOW)).toMatchObject({
      receivedAt: '2024-10-01T08:00:00.0000000Z',
      respondBy: '2024-10-15T08:00:00.000Z',
      status: 'New/Pending',
      answer: null,
      answeredAt: null,
      source: 'microsoft',
      country: 'NZ',
      dealValue: 50000,
      firstSeenAt: NOW,
    });
  });

  it.each([
    [{ status: 'Active', substatus: 'Accepted', acceptedDateTime: '2024-10-03T10:00:00Z' }, 'accepted', '2024-10-03T10:00:00Z'],
    // Seen Active without Partner Center's stamp: the last change is the acceptance.
    [{ status: 'Active', substatus: 'Accepted', updatedDateTime: '2024-10-04T10:00:00Z' }, 'accepted', '2024-10-04T10:00:00Z'],
    // First seen already won: it was accepted, but when is not known.
    [{ status: 'Closed', substatus: 'Won', updatedDateTime: '2024-12-01T10:00:00Z' }, 'accepted', null],
    [{ status: 'Closed', substatus: 'Declined', closedDateTime: '2024-10-02T09:00:00Z' }, 'declined', '2024-10-02T09:00:00Z'],
    [{ status: 'Closed', substatus: 'Expired' }, 'expired', '2024-10-15T08:00:00.000Z'],
  ] as const)('reads %j as %s at %s', (over, answer, at) => {
    expect(factsOf(referral(over), NOW)).toMatchObject({ answer, answeredAt: at });
  });

  it('tells a referral another partner sent from one Microsoft sent', () => {
    const fromPartner = referral({ inviteContext: { notes: null, assistanceRequestCode: null, invitedBy: { organizationId: '0b7d6c1e-partner', organizationName: 'Litware' } } });
    expect(factsOf(fromPartner, NOW)?.source).toBe('partner');
    expect(factsOf(referral({ inviteContext: null }), NOW)?.source).toBe('microsoft');
  });

  it('follows outgoing referrals only when they were made by hand in Partner Center', () => {
    const synced = referral({ direction: 'Outgoing', externalReferenceId: '006000000000001', status: 'Active', substatus: 'Accepted' });
    const microsoftSide = referral({ direction: 'Outgoing', target: [{ type: 'BusinessProfileLocation', id: 'msft' }] });
    const byHand = referral({ direction: 'Outgoing', type: 'Independent', status: 'Active', substatus: 'Accepted' });
    expect(factsOf(synced, NOW)).toBeNull();
    expect(factsOf(microsoftSide, NOW)).toBeNull();
    expect(factsOf(byHand, NOW)).toMatchObject({ direction: 'Outgoing', respondBy: null, answer: null, dealType: 'manual' });
  });
});
