/**
 * The outbound pass waits on Partner Center and on nothing else. Every call to either system takes
 * one round trip of virtual time (test/support/virtual-latency.ts), Partner Center lets
 * `concurrency` calls through at once as its connector does, and the length of a backfill in
 * round trips is compared with the floor Partner Center sets: its calls divided by the
 * concurrency. CPU is free here, so what is counted is the waiting the engine's own structure adds
 * (pages drained before the next starts, write-backs awaited in line), on any machine.
 */
import { describe, expect, it } from '@jest/globals';
import type { ChangePage, CrmConnector, PartnerCenterConnector } from '../../connectors/types.js';
import type { CrmRecord } from '../../src/domain/crm-record.js';
import { runOutbound } from '../../src/engine/cycle.js';
import type { CrmSide, EngineDeps } from '../../src/engine/types.js';
import { engineRig, type Rig } from '../support/engine-rig.js';
import { VirtualTime, withLatency } from '../support/virtual-latency.js';

const CONCURRENCY = 4;
const PC_CALLS = ['createReferral', 'updateReferral', 'getReferral', 'findByExternalReferenceId', 'findMicrosoftSide', 'inviteMicrosoft'] as const;
const CRM_CALLS = ['describe', 'getRecords', 'findByExternalId', 'createRecords', 'updateRecords'] as const;

/** The rig's systems behind one round trip per call; Partner Center `CONCURRENCY` calls at a time. */
function overNetwork(rig: Rig, time: VirtualTime): { deps: EngineDeps; side: CrmSide } {
  const partnerCenter = withLatency<PartnerCenterConnector>(rig.pc, { time, ticks: 1, slots: CONCURRENCY, methods: PC_CALLS, pagedMethods: ['listChanged'] });
  const connector = withLatency<CrmConnector>(rig.crm, { time, ticks: 1, slots: 5, methods: CRM_CALLS, pagedMethods: ['readChanges'] });
  const side: CrmSide = { ...rig.side, connector };
  return { deps: { ...rig.deps, partnerCenter, crms: [side], options: { ...rig.deps.options, writeConcurrency: CONCURRENCY } }, side };
}

const writesTo = (rig: Rig): number => rig.pc.log.calls.filter((c) => c.method === 'createReferral' || c.method === 'updateReferral' || c.method === 'inviteMicrosoft').length;

describe('a backfill bounded by Partner Center', () => {
  it('takes the round trips its Partner Center writes need at the concurrency, plus the first read and the last write-back, whatever the pages', async () => {
    const rig = await engineRig({ pageSize: 10 });
    try {
      for (let i = 0; i < 120; i++) rig.opportunity({ Name: `Deal ${i}`, StageName: i % 5 === 0 ? 'Closed Won' : 'Qualification' });
      const time = new VirtualTime();
      const { deps, side } = overNetwork(rig, time);
      rig.later(1000);
      const report = await time.run(() => runOutbound(deps, side));

      expect(report.failed).toBe(0);
      expect(rig.pc.all().filter((r) => r.externalReferenceId !== null)).toHaveLength(120);
      const floor = Math.ceil(writesTo(rig) / CONCURRENCY);
      // Before the first write: the describe and the first page. After the last: the write-back.
      const around = 3;
      expect(writesTo(rig)).toBe(144);
      expect(time.now).toBeLessThanOrEqual(Math.ceil(floor * 1.1) + around);
    } finally {
      await rig.close();
    }
  });

  it('a record read again while its first copy is still on its way is shared once, and nothing fails', async () => {
    const rig = await engineRig({ pageSize: 10 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push(rig.opportunity({ Name: `Deal ${i}` }));
      const time = new VirtualTime();
      const { deps, side } = overNetwork(rig, time);
      // Each page after the first brings the last record of the one before again, and its own
      // first record twice, as a source may.
      const reading = side.connector;
      const again: CrmConnector = Object.assign(Object.create(reading) as CrmConnector, {
        async *readChanges(args: Parameters<CrmConnector['readChanges']>[0]) {
          let previous: ChangePage<CrmRecord> | null = null;
          for await (const page of reading.readChanges(args)) {
            yield previous === null ? page : { ...page, items: [...page.items, ...previous.items.slice(-1), ...page.items.slice(0, 1)] };
            previous = page;
          }
        },
      });
      const twice: CrmSide = { ...side, connector: again };
      rig.later(1000);
      const report = await time.run(() => runOutbound({ ...deps, crms: [twice] }, twice));

      expect(report.failed).toBe(0);
      for (const id of ids) expect([id, rig.pc.countByExternalReferenceId(id), (await rig.linkOf(id))?.state]).toEqual([id, 1, 'linked']);
    } finally {
      await rig.close();
    }
  });
});
