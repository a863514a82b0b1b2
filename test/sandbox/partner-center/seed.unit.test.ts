import { describe, expect, it } from '@jest/globals';
import { createPartnerCenterEmulator } from '../../../sandbox/partner-center/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';

const start = new Date('2026-03-02T09:00:00Z');
const make = (seed: number, size: number) =>
  createPartnerCenterEmulator({ clock: new SandboxClock(start), seed, size, tokenValidator: () => null }).control;

describe('seeded referral data', () => {
  it('is the same for the same seed and different for another', () => {
    const a = make(11, 200).list();
    const b = make(11, 200).list();
    const c = make(12, 200).list();
    expect(a).toHaveLength(200);
    expect(a.map((r) => [r.id, r.name, r.status, r.customerProfile.address.country])).toEqual(
      b.map((r) => [r.id, r.name, r.status, r.customerProfile.address.country]),
    );
    expect(c.map((r) => r.id)).not.toEqual(a.map((r) => r.id));
  });

  it('looks like a real partner list: ISO countries, SOL- solutions, both directions, no stale pending referral', () => {
    const referrals = make(3, 400).list();
    const now = start.getTime();
    for (const r of referrals) {
      expect(r.customerProfile.address.country).toMatch(/^[A-Z]{2}$/);
      expect(r.createdDateTime).toMatch(/\.\d{7}Z$/);
      const solutions = (r.details.requirements?.solutions ?? []) as { id: string }[];
      for (const s of solutions) expect(s.id).toMatch(/^SOL-\d{5,7}-[A-Z]{3}$/);
      if (r.status === 'New') expect(now - Date.parse(r.createdDateTime.slice(0, 23) + 'Z')).toBeLessThan(14 * 86_400_000);
    }
    const kinds = new Set(referrals.map((r) => `${r.direction}/${r.type}`));
    expect(kinds).toEqual(new Set(['Incoming/Independent', 'Incoming/Shared', 'Outgoing/Independent', 'Outgoing/Shared']));
    const engagements = new Map<string, number>();
    for (const r of referrals) engagements.set(r.engagementId, (engagements.get(r.engagementId) ?? 0) + 1);
    // Co-sell deals come as the partner's referral plus its connected Microsoft-side request.
    expect([...engagements.values()].some((n) => n === 2)).toBe(true);
  });
});

describe('seed data added later', () => {
  it('keeps historical creation times but moves updatedDateTime past every earlier stamp', () => {
    const control = make(5, 50);
    const latest = control.list().reduce((max, r) => (r.updatedDateTime > max ? r.updatedDateTime : max), '');
    const added = control.seed({ count: 30 });
    expect(added).toHaveLength(30);
    for (const r of added) expect(r.updatedDateTime > latest).toBe(true);
    expect(added.some((r) => r.createdDateTime < latest)).toBe(true);
  });

  it('shows Microsoft answers on the partner referral in the one-referral reading', () => {
    const control = createPartnerCenterEmulator({
      clock: new SandboxClock(start),
      seed: 9,
      size: 300,
      options: { coSellMode: 'singleReferral' },
      tokenValidator: () => null,
    }).control;
    const coSells = control.list().filter((r) => r.target.some((t) => t.id === 'msft'));
    expect(coSells.length).toBeGreaterThan(0);
    expect(new Set(coSells.map((r) => r.engagementId)).size).toBe(coSells.length);
    for (const r of coSells) {
      if (r.substatus === 'Declined') expect(r.statusReason).toMatch(/Microsoft/);
      else expect(r.statusReason === null || r.status === 'Closed').toBe(true);
    }
    expect(coSells.some((r) => r.trackingInfo.microsoftMsxId !== null)).toBe(true);
  });
});

describe('simulated Microsoft decisions', () => {
  it('play out the same way for the same seed and the same clock moves', () => {
    const run = () => {
      const clock = new SandboxClock(start);
      const { control } = createPartnerCenterEmulator({ clock, seed: 21, size: 300, tokenValidator: () => null });
      clock.advance(20 * 86_400_000);
      return control
        .list()
        .filter((r) => r.target.some((t) => t.id === 'msft'))
        .map((r) => `${r.id} ${r.status}/${r.substatus} ${r.trackingInfo.microsoftMsxId ?? ''} ${r.statusReason ?? ''}`)
        .sort();
    };
    const first = run();
    expect(first.length).toBeGreaterThan(5);
    expect(run()).toEqual(first);
    // Nothing is still waiting for Microsoft after its 14 days.
    expect(first.filter((line) => line.includes('New/Pending'))).toEqual([]);
  });
});
