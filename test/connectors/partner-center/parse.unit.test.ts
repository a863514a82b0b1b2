import { describe, expect, it } from '@jest/globals';
import { classifyInbound } from '../../../connectors/partner-center/classify-inbound.js';
import { advanceCursor, compareInstants, decodeCursor, encodeCursor, isAfterCursor } from '../../../connectors/partner-center/cursor.js';
import { parseReferral } from '../../../connectors/partner-center/parse.js';
import { nextPageUrl } from '../../../connectors/partner-center/urls.js';
import type { Referral } from '../../../src/domain/referral.js';
import { wireReferral } from './support/fixtures.js';

describe('parsing referrals from the wire', () => {
  it('reads a recorded referral into the canonical shape', () => {
    const r = parseReferral(wireReferral());
    expect(r).toMatchObject({
      id: '7f1c2b9e-3d4a-4e5f-9a1b-2c3d4e5f6a7b',
      eTag: '"84001c9d-0000-0100-0000-6225a63e0000"',
      status: 'Active',
      substatus: 'Accepted',
      updatedDateTime: '2024-03-07T06:42:07.1138543Z',
      campaignId: null,
      details: { dealValue: 125000.5, currency: 'USD', solutions: [{ id: 'SOL-15974-MQF', name: 'Contoso Migrate', type: 'Name' }] },
    });
    // A US state sitting in `region` is moved to `state`; empty DUNS-like ids are dropped.
    expect(r.customerProfile.address).toMatchObject({ state: 'WA', country: 'US', addressLine2: '' });
    expect(r.customerProfile.ids).toEqual([{ profileType: 'Duns', id: '315000554' }]);
  });

  it('reads a deal value sent as a string, and keeps 0', () => {
    expect(parseReferral(wireReferral({ details: { dealValue: '10000' } })).details.dealValue).toBe(10000);
    expect(parseReferral(wireReferral({ details: { dealValue: 0 } })).details.dealValue).toBe(0);
  });

  it('names the field of a malformed referral', () => {
    expect(() => parseReferral(wireReferral({ direction: 'Sideways' }))).toThrow(/direction/);
    expect(() => parseReferral(wireReferral({ details: { dealValue: 'lots' } }))).toThrow(/details\.dealValue/);
    expect(() => parseReferral({})).toThrow(/malformed referral/);
  });

  it('reads an assistance code newer than ours as Unknown rather than rejecting the referral', () => {
    const r = parseReferral(wireReferral({ inviteContext: { notes: null, assistanceRequestCode: 'BrandNewHelp', invitedBy: { organizationId: 'msft', organizationName: 'Microsoft' } } }));
    expect(r.inviteContext?.assistanceRequestCode).toBe('Unknown');
  });
});

describe('classifying inbound referrals', () => {
  const r = (type: Referral['type'], qualification: Referral['qualification'], invitedBy: string | null) => ({
    type,
    qualification,
    inviteContext: invitedBy === null ? null : { notes: null, assistanceRequestCode: null, invitedBy: { organizationId: invitedBy, organizationName: null } },
  });
  it.each([
    [r('Independent', 'Direct', 'msft'), 'marketplaceLead'],
    [r('Independent', 'Direct', null), 'marketplaceLead'],
    [r('Independent', 'SalesQualified', 'msft'), 'qualifiedLead'],
    [r('Independent', 'MarketingQualified', 'msft'), 'qualifiedLead'],
    [r('Independent', 'SalesQualified', 'partner-org-1'), 'coSellOpportunity'],
    [r('Shared', 'SalesQualified', 'msft'), 'coSellOpportunity'],
    [r('Shared', 'None', 'other-partner'), 'coSellOpportunity'],
  ] as const)('%o is a %s', (referral, category) => {
    expect(classifyInbound(referral)).toBe(category);
  });
});

describe('cursor and paging helpers', () => {
  it('orders 7-digit fractions that a Date would merge', () => {
    expect(compareInstants('2024-03-07T06:42:07.1138543Z', '2024-03-07T06:42:07.1138544Z')).toBe(-1);
    expect(compareInstants('2024-03-07T06:42:07.1Z', '2024-03-07T06:42:07.1000000+00:00')).toBe(0);
  });

  it('remembers every id at the last instant and round-trips through text', () => {
    const c = advanceCursor(null, [
      { id: 'a', updatedDateTime: '2024-03-07T06:42:07.1138543Z' },
      { id: 'b', updatedDateTime: '2024-03-07T06:42:07.1138544Z' },
      { id: 'c', updatedDateTime: '2024-03-07T06:42:07.1138544Z' },
    ]);
    const back = decodeCursor(encodeCursor(c ?? { t: '', ids: [] }));
    expect(back).toEqual({ t: '2024-03-07T06:42:07.1138544Z', ids: ['b', 'c'] });
    expect(isAfterCursor({ id: 'c', updatedDateTime: '2024-03-07T06:42:07.1138544Z' }, back)).toBe(false);
    expect(isAfterCursor({ id: 'd', updatedDateTime: '2024-03-07T06:42:07.1138544Z' }, back)).toBe(true);
    expect(() => decodeCursor('garbage')).toThrow(/cursor/);
  });

  it('never follows a nextLink to a foreign host', () => {
    const current = new URL('https://api.partner.microsoft.com/v1.0/engagements/referrals?$top=2');
    const next = nextPageUrl({ current, nextLink: 'https://evil.example/steal?$skiptoken=abc', baseUrl: 'https://api.partner.microsoft.com' });
    expect(next?.origin).toBe('https://api.partner.microsoft.com');
    expect(next?.searchParams.get('$skiptoken')).toBe('abc');
    expect(nextPageUrl({ current, nextLink: 'https://evil.example/steal', baseUrl: 'https://api.partner.microsoft.com' })).toBeNull();
  });
});
