import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCycle, runInbound } from '../../src/engine/cycle.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

describe('Dynamics 365 <-> Partner Center', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 4000, crms: ['dynamics'] });
  });
  afterAll(() => h.close());

  it('backfills every participating opportunity into exactly one referral, and a second run writes nothing', async () => {
    const dv = h.sandbox.dynamics!.control;
    const pc = h.sandbox.partnerCenter.control;
    const participating = dv.count({ table: 'opportunities', column: 'cosell_syncwithpartnercenter', value: true });
    expect(participating).toBeGreaterThanOrEqual(1000);
    const [first] = await runCycle(h.engine.deps, { direction: 'out' });
    const links = (await h.store.listLinks({ limit: 5000 })).filter((l) => l.crmSystem === 'dynamics' && l.referralId);
    const failures = await h.store.listFailures();
    expect(links.length + failures.length).toBe(participating);
    expect(first!.written).toBeGreaterThanOrEqual(links.length);
    for (const link of links) {
      expect(pc.countByExternalReferenceId(link.crmId!)).toBe(1);
      const stored = dv.getRecord({ table: 'opportunities', id: link.crmId! });
      // Won and lost opportunities are read-only in Dataverse: only open ones carry the id.
      if (stored?.['statecode'] === 0) expect(stored['cosell_referralid']).toBe(link.referralId);
    }
    const [second] = await runCycle(h.engine.deps, { direction: 'out' });
    expect(second!.written).toBe(0);
  }, 180_000);

  it('lands a co-sell invitation on hold and accepting it in Dynamics accepts it in Partner Center', async () => {
    const dv = h.sandbox.dynamics!.control;
    const pc = h.sandbox.partnerCenter.control;
    // The sandbox org has USD, EUR, GBP, JPY and INR; other currencies are (rightly) refused.
    let invite = pc.createInbound({ category: 'coSellInvite' });
    while (!['USD', 'EUR', 'GBP', 'JPY', 'INR'].includes(String(invite.details?.currency))) invite = pc.createInbound({ category: 'coSellInvite' });
    await runInbound(h.engine.deps);
    const [link] = await h.store.findLinksByReferralIds([invite.id]);
    expect(link?.crmId).toBeTruthy();
    expect(dv.getRecord({ table: 'opportunities', id: link!.crmId! })).toMatchObject({ statecode: 0, statuscode: 2, cosell_referralid: invite.id });
    dv.editRecord({ table: 'opportunities', id: link!.crmId!, values: { statuscode: 1 } });
    await runCycle(h.engine.deps);
    expect(pc.get(invite.id)).toMatchObject({ status: 'Active', substatus: 'Accepted' });
    const reports = await runCycle(h.engine.deps);
    expect(reports.map((r) => r.written)).toEqual(reports.map(() => 0));
  });

  it('brings changes to many linked referrals to Dataverse in one $batch, not one request each', async () => {
    const dv = h.sandbox.dynamics!.control;
    const pc = h.sandbox.partnerCenter.control;
    const invites = [];
    while (invites.length < 10) {
      const invite = pc.createInbound({ category: 'coSellInvite' });
      if (['USD', 'EUR', 'GBP', 'JPY', 'INR'].includes(String(invite.details?.currency))) invites.push(invite);
    }
    await runInbound(h.engine.deps);
    for (const invite of invites) pc.editAsUser({ id: invite.id, changes: { name: `${invite.name} (renamed)` } });
    h.sandbox.dynamics!.server.stats.reset();
    await runInbound(h.engine.deps);
    for (const invite of invites) {
      const [link] = await h.store.findLinksByReferralIds([invite.id]);
      expect(dv.getRecord({ table: 'opportunities', id: link!.crmId! })?.['name']).toBe(`${invite.name} (renamed)`);
    }
    const writes = h.sandbox.dynamics!.server.stats.log().filter((e) => e.method !== 'GET');
    expect(writes.length).toBeLessThanOrEqual(1);
  });
});
