/**
 * A referral Microsoft sent becomes a CRM record seeded with its customer; the next cycle reads
 * that record back (its own write moved its stamp) and must not send the customer to Partner
 * Center again: only the CRM id the referral does not carry yet is written, once, and nothing
 * needs reading first. Counted by the Partner Center emulator's own request log.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { runCycle } from '../../src/engine/cycle.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ size: 4, sandbox: { salesforce: { participatingRate: 0 } } });
});
afterAll(() => h.close());

const pc = () => h.sandbox.partnerCenter;
const calls = () => pc().server.stats.log().map((e) => `${e.method} ${e.path.replace(/[0-9a-f-]{36}/, ':id')}`);

it('the cycle after an import writes only the CRM id to each imported referral, without reading it first, and the one after is idle', async () => {
  const sent = [
    pc().control.createInbound({ category: 'coSellInvite', overrides: { status: 'Active', substatus: 'Accepted' } }),
    pc().control.createInbound({ category: 'lead', overrides: { status: 'Active', substatus: 'Accepted' } }),
  ];
  await runCycle(h.engine.deps);
  const links = await h.store.findLinksByReferralIds(sent.map((r) => r.id));
  expect(links.map((l) => l.state)).toEqual(['linked', 'linked']);

  pc().server.stats.reset();
  await runCycle(h.engine.deps);
  const next = calls();
  expect(next.filter((c) => c === 'GET /v1.0/engagements/referrals/:id')).toEqual([]);
  expect(next.filter((c) => c.startsWith('PATCH'))).toHaveLength(2);
  for (const referral of sent) {
    const now = pc().control.get(referral.id);
    const link = links.find((l) => l.referralId === referral.id);
    expect(now?.externalReferenceId).toBe(link?.crmId);
    expect(now?.customerProfile).toEqual(referral.customerProfile);
  }
  // What `cosell-sync history` shows was written to Partner Center after the import.
  const history = await h.store.listHistory({ crmIds: links.map((l) => l.crmId!), referralIds: [], limit: 50 });
  const sentToPartnerCenter = history.filter((e) => e.event === 'written').flatMap((e) => e.changes.filter((c) => c.target === 'partnerCenter').map((c) => c.field));
  expect(sentToPartnerCenter).toEqual(['externalReferenceId', 'externalReferenceId']);

  pc().server.stats.reset();
  await runCycle(h.engine.deps);
  expect(calls().filter((c) => !c.startsWith('GET /v1.0/engagements/referrals?') && c !== 'GET /v1.0/engagements/referrals')).toEqual([]);
}, 60_000);
