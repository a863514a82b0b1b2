/**
 * Referrals named by webhooks, landed as a pipeline: each lands once, a slow read holds up no
 * other referral, what arrives while a group is written lands together, and a new event for a
 * referral in flight is read again after it landed, never beside it.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { ReferralEventQueue } from '../../src/app/event-queue.js';
import { landNow, landReferralEvents, runReferralEvents } from '../../src/engine/referral-events.js';
import { connectorError } from '../support/faults.js';
import { engineRig, type Rig } from '../support/engine-rig.js';

let rig: Rig;
afterEach(() => rig?.close());

/** A promise the test resolves when it chooses. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Waits (bounded) until the condition holds; the test fails on the bound, never on speed. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const invitations = (n: number): string[] => Array.from({ length: n }, () => rig.pc.receive('coSellInvite').id);

/** The CRM records holding each referral id (exactly one each when every referral landed once). */
function recordsPer(ids: readonly string[]): number[] {
  const all = rig.crm.ids('opportunity').map((id) => rig.crm.read(id)?.['Referral_Id__c']);
  return ids.map((id) => all.filter((r) => r === id).length);
}

describe('when the idle lander starts a group', () => {
  it.each([
    { ready: 0, fetching: 0, now: false, why: 'nothing to land' },
    { ready: 0, fetching: 3, now: false, why: 'nothing to land yet' },
    { ready: 1, fetching: 0, now: true, why: 'nothing else is coming' },
    { ready: 1, fetching: 1, now: true, why: 'as many ready as being read' },
    { ready: 3, fetching: 1, now: true, why: 'more ready than being read' },
    { ready: 1, fetching: 4, now: false, why: 'most of the reads under way end within a round trip; a group takes several' },
    { ready: 15, fetching: 16, now: false, why: 'one more read to wait for' },
  ])('ready $ready, being read $fetching: $now ($why)', ({ ready, fetching, now }) => {
    expect(landNow({ ready, fetching })).toBe(now);
  });
});

describe('webhook events land as a pipeline', () => {
  it('waits for the reads under way instead of writing a group of one while three more are being read', async () => {
    rig = await engineRig();
    const ids = invitations(4);
    const reads = new Map(ids.map((id) => [id, gate()]));
    const read = rig.pc.getReferral.bind(rig.pc);
    rig.pc.getReferral = async (id: string) => {
      await reads.get(id)?.opened;
      return read(id);
    };
    const writes: number[] = [];
    const create = rig.crm.createRecords.bind(rig.crm);
    rig.crm.createRecords = async (batch) => (writes.push(batch.length), create(batch));

    const landing = runReferralEvents(rig.deps, ids);
    // One read ends first, the three others a moment later.
    reads.get(ids[0] as string)?.open();
    await until(() => rig.pc.log.count('getReferral') === 1, 'the first read to end');
    await new Promise((resolve) => setImmediate(resolve));
    for (const id of ids.slice(1)) reads.get(id)?.open();
    await landing;

    expect(writes).toEqual([4]);
    expect(recordsPer(ids)).toEqual([1, 1, 1, 1]);
  });

  it('one slow read holds up no other referral of the burst: the rest land while it is still being read', async () => {
    rig = await engineRig();
    const ids = invitations(6);
    const [slow] = ids;
    const slowRead = gate();
    const read = rig.pc.getReferral.bind(rig.pc);
    rig.pc.getReferral = async (id: string) => {
      if (id === slow) await slowRead.opened;
      return read(id);
    };

    const landing = runReferralEvents(rig.deps, ids);
    await until(() => recordsPer(ids.slice(1)).every((n) => n === 1), 'the other referrals to land');
    expect(rig.recordOf(slow as string)).toBeNull();
    slowRead.open();
    await landing;

    expect(recordsPer(ids)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('lands the first event at once and what arrives while it is written together in the next write', async () => {
    rig = await engineRig();
    const ids = invitations(6);
    const queue = new ReferralEventQueue();
    const firstWrite = gate();
    const create = rig.crm.createRecords.bind(rig.crm);
    const writes: number[] = [];
    rig.crm.createRecords = async (batch) => {
      writes.push(batch.length);
      if (writes.length === 1) await firstWrite.opened;
      return create(batch);
    };

    queue.push(ids[0] as string);
    const landing = landReferralEvents({ deps: rig.deps, source: queue, signal: new AbortController().signal });
    await until(() => writes.length === 1, 'the first referral to be written');
    for (const id of ids.slice(1)) queue.push(id);
    await until(() => rig.pc.log.count('getReferral') === ids.length, 'every referral to be read');
    firstWrite.open();
    const reports = await landing;

    expect(writes).toEqual([1, 5]);
    expect(reports.map((r) => r.written)).toEqual([1, 5]);
    expect(recordsPer(ids)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('reads a referral again after it landed when an event for it came meanwhile, and lands its newer state', async () => {
    rig = await engineRig();
    const [id] = invitations(1) as [string];
    const queue = new ReferralEventQueue();
    const firstWrite = gate();
    const create = rig.crm.createRecords.bind(rig.crm);
    rig.crm.createRecords = async (batch) => {
      await firstWrite.opened;
      return create(batch);
    };

    queue.push(id);
    const landing = landReferralEvents({ deps: rig.deps, source: queue, signal: new AbortController().signal });
    await until(() => rig.pc.log.count('getReferral') === 1, 'the referral to be read');
    rig.later();
    rig.pc.edit(id, { name: 'Woodgrove Bank - data platform, phase 2' });
    queue.push(id);
    await new Promise((resolve) => setImmediate(resolve));
    // Not read beside the landing still under way.
    expect(rig.pc.log.count('getReferral')).toBe(1);
    firstWrite.open();
    await landing;

    expect(rig.pc.log.count('getReferral')).toBe(2);
    expect(recordsPer([id])).toEqual([1]);
    expect(rig.recordOf(id)?.fields['Name']).toBe('Woodgrove Bank - data platform, phase 2');
  });

  it('leaves a referral that cannot be read to the poll, with one log line, and lands the others', async () => {
    rig = await engineRig();
    const ids = invitations(3);
    rig.pc.faults.add({ method: 'getReferral', when: (args) => (args as { id: string }).id === ids[1], error: connectorError('partnerCenter', 'transient', 'service unavailable', { status: 503 }) });

    await runReferralEvents(rig.deps, ids);

    expect(recordsPer(ids)).toEqual([1, 0, 1]);
    const warned = rig.log.lines().filter((l) => l['msg'] === 'could not read referrals that webhooks named; the reconciliation poll will pick them up');
    expect(warned).toEqual([expect.objectContaining({ referrals: 1, referralIds: [ids[1]] })]);
  });
});
