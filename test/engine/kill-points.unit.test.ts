/**
 * A process killed at every store boundary of a cycle, then restarted, with the real engine against
 * the in-memory CRM and Partner Center and a real SQLite store: whatever point it died at, the
 * cycles after the restart end with exactly one referral per flagged deal (and one invitation to
 * Microsoft per co-sell), one CRM record per inbound referral, every pair linked and agreeing, no
 * failure left, and a quiet system.
 */
import { describe, expect, it } from '@jest/globals';
import { runCycle } from '../../src/engine/cycle.js';
import { isMicrosoftSide } from '../support/fake-partner-center.js';
import { engineRig, SOLUTION, type Rig } from '../support/engine-rig.js';
import { killableStore } from '../support/killable-store.js';

const HOUR = 3_600_000;

interface Scenario {
  name: string;
  /** Sets the systems up; returns what to check afterwards. */
  arrange(rig: Rig): Promise<{ deals: string[]; coSells: string[]; inbound: string[] }>;
}

const scenarios: Scenario[] = [
  {
    name: 'outbound creates (two private deals, one co-sell)',
    arrange: (rig) => {
      const deals = [rig.opportunity({ Name: 'Private one' }), rig.opportunity({ Name: 'Private two' })];
      const coSell = rig.opportunity({ Name: 'Co-sell', Microsoft_Help__c: 'ProofOfConceptOrDemo', Solution_Ids__c: SOLUTION });
      return Promise.resolve({ deals: [...deals, coSell], coSells: [coSell], inbound: [] });
    },
  },
  {
    name: 'inbound creates (two leads, one co-sell invitation)',
    arrange: (rig) => Promise.resolve({ deals: [], coSells: [], inbound: [rig.pc.receive('lead').id, rig.pc.receive('coSellInvite').id, rig.pc.receive('lead').id] }),
  },
  {
    name: 'a linked pair edited on both sides',
    arrange: async (rig) => {
      const id = rig.opportunity({ Name: 'Linked' });
      await runCycle(rig.deps);
      const referralId = (await rig.linkOf(id))?.referralId as string;
      rig.edit(id, { Amount: 73000 });
      rig.later();
      rig.pc.edit(referralId, { details: { notes: 'From Partner Center' } as never });
      return { deals: [id], coSells: [], inbound: [] };
    },
  },
];

/** How many store calls one clean cycle of the scenario makes. */
async function cleanCalls(scenario: Scenario): Promise<number> {
  const rig = await engineRig();
  await scenario.arrange(rig);
  const killable = killableStore(rig.store, Number.MAX_SAFE_INTEGER);
  await runCycle({ ...rig.deps, store: killable.store });
  await rig.close();
  return killable.calls();
}

describe.each(scenarios)('killed at every store call: $name', (scenario) => {
  it('converges after a restart to one record per deal on each side, agreeing, with nothing left failed', async () => {
    const total = await cleanCalls(scenario);
    expect(total).toBeGreaterThan(10);
    for (let killAt = 1; killAt <= total; killAt++) {
      const rig = await engineRig();
      try {
        const expected = await scenario.arrange(rig);
        const killable = killableStore(rig.store, killAt);
        await runCycle({ ...rig.deps, store: killable.store }).catch(() => undefined);
        expect(killable.dead()).toBe(true);

        // Restarted: the same systems and store, nothing remembered in memory.
        for (let cycle = 0; cycle < 4; cycle++) {
          rig.later(HOUR);
          await runCycle({ ...rig.deps });
        }
        const context = `killed at store call ${killAt} of ${total}`;
        for (const id of expected.deals) {
          const link = await rig.linkOf(id);
          expect([context, rig.pc.countByExternalReferenceId(id)]).toEqual([context, 1]);
          expect([context, link?.state, rig.crm.read(id)?.['Referral_Id__c']]).toEqual([context, 'linked', link?.referralId]);
          const sides = rig.pc.engagement(link?.engagementId ?? '').filter((r) => isMicrosoftSide(r));
          expect([context, sides.length]).toEqual([context, expected.coSells.includes(id) ? 1 : 0]);
          const referral = rig.pc.get(link?.referralId ?? '');
          expect([context, referral?.details.dealValue, referral?.name]).toEqual([context, rig.crm.read(id)?.['Amount'], rig.crm.read(id)?.['Name']]);
        }
        for (const referralId of expected.inbound) {
          const kind = rig.pc.get(referralId)?.type === 'Shared' ? 'opportunity' : 'lead';
          expect([context, rig.crm.count(kind, 'Referral_Id__c', referralId)]).toEqual([context, 1]);
          expect([context, (await rig.linkOfReferral(referralId))?.state]).toEqual([context, 'linked']);
        }
        expect([context, await rig.store.listFailures()]).toEqual([context, []]);
        const before = rig.pc.log.calls.length;
        const reports = await runCycle({ ...rig.deps });
        expect([context, reports.map((r) => r.written)]).toEqual([context, [0, 0]]);
        expect([context, rig.pc.log.calls.slice(before).filter((c) => c.method === 'updateReferral' || c.method === 'createReferral')]).toEqual([context, []]);
      } finally {
        await rig.close();
      }
    }
  });
});
