import { describe, expect, it } from '@jest/globals';
import { checkTransition, parsePair, respondBy } from '../../src/engine/lifecycle.js';
import { guardStatus } from '../../src/engine/status-guard.js';

const pair = (s: string) => {
  const p = parsePair(s);
  if (!p) throw new Error(`bad pair ${s}`);
  return p;
};

describe('referral lifecycle', () => {
  it('allows the documented transitions and refuses everything out of a terminal state', () => {
    expect(checkTransition(pair('New/Pending'), pair('Active/Accepted')).allowed).toBe(true);
    expect(checkTransition(pair('New/Pending'), pair('Closed/Declined')).allowed).toBe(true);
    expect(checkTransition(pair('Active/Accepted'), pair('Closed/Won')).allowed).toBe(true);
    expect(checkTransition(pair('Active/Accepted'), pair('New/Pending')).allowed).toBe(false);
    for (const terminal of ['Closed/Won', 'Closed/Lost', 'Closed/Declined', 'Closed/Expired']) {
      expect(checkTransition(pair(terminal), pair('Active/Accepted'))).toEqual({ allowed: false, reason: `${terminal} is terminal` });
    }
  });

  it('rejects status and substatus that do not belong together', () => {
    expect(parsePair('Active/Won')).toBeNull();
    expect(parsePair('Closed/Accepted')).toBeNull();
    expect(parsePair('Open')).toBeNull();
  });

  it('knows the 14-day deadline of an unanswered inbound referral and no deadline otherwise', () => {
    expect(respondBy({ direction: 'Incoming', status: 'New', createdDateTime: '2026-03-01T10:00:00.1234567Z' })).toBe('2026-03-15T10:00:00.123Z');
    expect(respondBy({ direction: 'Outgoing', status: 'New', createdDateTime: '2026-03-01T10:00:00Z' })).toBeNull();
    expect(respondBy({ direction: 'Incoming', status: 'Active', createdDateTime: '2026-03-01T10:00:00Z' })).toBeNull();
  });
});

describe('status guard', () => {
  it('never writes a closed referral (no status, no field) and tells the CRM the terminal status instead', () => {
    const out = guardStatus({ base: { status: 'Closed/Won' }, toPartnerCenter: { status: 'Active/Accepted', name: 'x' }, toCrm: {} });
    expect(out.toPartnerCenter).toEqual({});
    expect(out.toCrm).toEqual({ status: 'Closed/Won' });
    expect(out.withheld.sort()).toEqual(['name', 'status']);
    expect(out.refused).toBe('the referral is Closed/Won: closed referrals are not written');
  });

  it('judges by the status Partner Center has now when it was just read', () => {
    const out = guardStatus({ base: { status: 'Active/Accepted' }, toPartnerCenter: { name: 'x' }, toCrm: {}, partnerCenterStatus: { status: 'Closed', substatus: 'Lost' } });
    expect(out.toPartnerCenter).toEqual({});
    expect(out.withheld).toEqual(['name']);
  });

  it('lets an allowed change through untouched', () => {
    const out = guardStatus({ base: { status: 'New/Pending' }, toPartnerCenter: { status: 'Closed/Declined', statusReason: 'No budget' }, toCrm: {} });
    expect(out.toPartnerCenter).toEqual({ status: 'Closed/Declined', statusReason: 'No budget' });
    expect(out.refused).toBeNull();
  });
});
