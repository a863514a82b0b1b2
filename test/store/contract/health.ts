import { describe, expect, it } from '@jest/globals';
import type { ReferralFacts, RegistrationRecord } from '../../../src/store/health-types.js';
import type { Harness } from './fixtures.js';

const DAY = 86_400_000;

export function facts(overrides: Partial<ReferralFacts> & { referralId: string }): ReferralFacts {
  return {
    direction: 'Incoming',
    name: 'Fabrikam rollout',
    receivedAt: '2026-02-20T10:00:00.000Z',
    respondBy: '2026-03-06T10:00:00.000Z',
    status: 'New/Pending',
    answer: null,
    answeredAt: null,
    source: 'microsoft',
    dealType: 'coSell',
    solution: 'Contoso Analytics',
    country: 'DE',
    size: '51to500employees',
    dealValue: 0,
    currency: 'EUR',
    firstSeenAt: '2026-02-20T10:02:00.000Z',
    lastSeenAt: '2026-02-20T10:02:00.000Z',
    ...overrides,
  };
}

export function healthContract(h: Harness): void {
  describe('referral facts', () => {
    it('keeps the first answer and its time while the status and attributes follow the latest sighting', async () => {
      const store = h.store();
      await store.noteReferrals([facts({ referralId: 'r1' })]);
      await store.noteReferrals([
        facts({ referralId: 'r1', status: 'Active/Accepted', answer: 'accepted', answeredAt: '2026-02-22T08:00:00.000Z', dealValue: 50_000, lastSeenAt: '2026-02-22T08:01:00.000Z' }),
      ]);
      // Later sightings (won, and a stamp that moved with the close) never rewrite the answer.
      await store.noteReferrals([
        facts({ referralId: 'r1', status: 'Closed/Won', answer: 'accepted', answeredAt: '2026-03-20T08:00:00.000Z', lastSeenAt: '2026-03-20T08:01:00.000Z' }),
      ]);
      const [r1] = await store.listReferralFacts({});
      expect(r1).toEqual(
        facts({ referralId: 'r1', status: 'Closed/Won', answer: 'accepted', answeredAt: '2026-02-22T08:00:00.000Z', lastSeenAt: '2026-03-20T08:01:00.000Z' }),
      );
      expect(r1?.dealValue).toBe(0);
    });

    it('learns the answer time later when the first sighting of an answer came without one', async () => {
      const store = h.store();
      await store.noteReferrals([facts({ referralId: 'r2', status: 'Closed/Won', answer: 'accepted', answeredAt: null })]);
      await store.noteReferrals([facts({ referralId: 'r2', status: 'Closed/Won', answer: 'accepted', answeredAt: '2026-02-21T09:00:00.000Z' })]);
      expect((await store.listReferralFacts({}))[0]?.answeredAt).toBe('2026-02-21T09:00:00.000Z');
    });

    it('lists by received time (oldest first) and direction', async () => {
      const store = h.store();
      await store.noteReferrals([
        facts({ referralId: 'late', receivedAt: '2026-02-25T00:00:00.000Z' }),
        facts({ referralId: 'early', receivedAt: '2026-01-05T00:00:00+01:00' }),
        facts({ referralId: 'mine', direction: 'Outgoing', respondBy: null, receivedAt: '2026-02-01T00:00:00.000Z' }),
      ]);
      expect((await store.listReferralFacts({})).map((f) => f.referralId)).toEqual(['early', 'mine', 'late']);
      expect((await store.listReferralFacts({ receivedSince: '2026-02-01T00:00:00.000Z' })).map((f) => f.referralId)).toEqual(['mine', 'late']);
      expect((await store.listReferralFacts({ direction: 'Incoming' })).map((f) => f.referralId)).toEqual(['early', 'late']);
    });

    it('lists inbound referrals still waiting for an answer, soonest deadline first', async () => {
      const store = h.store();
      const now = Date.parse('2026-03-01T00:00:00.000Z');
      const at = (ms: number): string => new Date(now + ms).toISOString();
      await store.noteReferrals([
        facts({ referralId: 'later', respondBy: at(9 * DAY) }),
        facts({ referralId: 'sooner', respondBy: at(2 * DAY) }),
        facts({ referralId: 'answered', respondBy: at(3 * DAY), status: 'Active/Accepted', answer: 'accepted' }),
        facts({ referralId: 'past', respondBy: at(-DAY) }),
        facts({ referralId: 'outgoing', direction: 'Outgoing', respondBy: at(5 * DAY) }),
      ]);
      expect((await store.listAwaitingAnswer({ now: at(0) })).map((f) => f.referralId)).toEqual(['sooner', 'later']);
    });
  });

  describe('reminders', () => {
    const claim = (store: ReturnType<Harness['store']>, now: string, staleBefore = '2000-01-01T00:00:00.000Z') =>
      store.claimReminder({ referralId: 'r1', daysLeft: 7, now, staleBefore });

    it('is claimed once; a sent or skipped one never again; a failed one again', async () => {
      const store = h.store();
      expect(await claim(store, '2026-03-01T00:00:00.000Z')).toBe(true);
      expect(await claim(store, '2026-03-01T00:01:00.000Z')).toBe(false);
      await store.settleReminder({ referralId: 'r1', daysLeft: 7, state: 'failed', recipient: 'owner', at: '2026-03-01T00:00:01.000Z', detail: 'graph: 503' });
      expect(await claim(store, '2026-03-01T00:05:00.000Z')).toBe(true);
      await store.settleReminder({ referralId: 'r1', daysLeft: 7, state: 'sent', recipient: 'owner', at: '2026-03-01T00:05:01.000Z', detail: null });
      expect(await claim(store, '2026-03-02T00:00:00.000Z', '2026-03-01T23:00:00.000Z')).toBe(false);
      expect(await store.claimReminder({ referralId: 'r1', daysLeft: 2, now: '2026-03-02T00:00:00.000Z', staleBefore: '2000-01-01T00:00:00.000Z' })).toBe(true);
      await store.settleReminder({ referralId: 'r1', daysLeft: 2, state: 'skipped', recipient: null, at: '2026-03-02T00:00:00.000Z', detail: 'a later point was due' });
      expect(await store.claimReminder({ referralId: 'r1', daysLeft: 2, now: '2026-03-03T00:00:00.000Z', staleBefore: '2026-03-02T23:00:00.000Z' })).toBe(false);
      expect(await store.listReminders({ since: '2026-03-01T00:00:00.000Z' })).toEqual([
        { referralId: 'r1', daysLeft: 2, state: 'skipped', recipient: null, claimedAt: '2026-03-02T00:00:00.000Z', settledAt: '2026-03-02T00:00:00.000Z', detail: 'a later point was due' },
        { referralId: 'r1', daysLeft: 7, state: 'sent', recipient: 'owner', claimedAt: '2026-03-01T00:05:00.000Z', settledAt: '2026-03-01T00:05:01.000Z', detail: null },
      ]);
    });

    it('takes over a claim whose sender never settled it, once it is older than staleBefore', async () => {
      const store = h.store();
      expect(await claim(store, '2026-03-01T00:00:00.000Z')).toBe(true);
      expect(await claim(store, '2026-03-01T00:05:00.000Z', '2026-02-28T23:55:00.000Z')).toBe(false);
      expect(await claim(store, '2026-03-01T00:15:00.000Z', '2026-03-01T00:05:00.000Z')).toBe(true);
    });

    it('lets exactly one of many simultaneous claimers win', async () => {
      const store = h.store();
      const wins = await Promise.all(Array.from({ length: 8 }, () => claim(store, '2026-03-01T00:00:00.000Z')));
      expect(wins.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('registrations', () => {
    it('saves, replaces and lists registration records', async () => {
      const store = h.store();
      const record: RegistrationRecord = {
        referralId: 'r9',
        state: 'registering',
        registrationId: null,
        status: null,
        statusInCrm: null,
        attemptedAt: '2026-03-01T00:00:00.000Z',
        updatedAt: '2026-03-01T00:00:00.000Z',
        detail: null,
      };
      expect(await store.getRegistration('r9')).toBeNull();
      await store.saveRegistration(record);
      await store.saveRegistration({ ...record, state: 'registered', registrationId: 'reg-1', status: 'ReviewPending', updatedAt: '2026-03-01T00:00:02.000Z' });
      expect(await store.getRegistration('r9')).toEqual({ ...record, state: 'registered', registrationId: 'reg-1', status: 'ReviewPending', updatedAt: '2026-03-01T00:00:02.000Z' });
      expect((await store.listRegistrations()).map((r) => r.referralId)).toEqual(['r9']);
    });
  });
}
