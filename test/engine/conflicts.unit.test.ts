/**
 * Resolving what was held for a person, with the real engine against the in-memory CRM and
 * Partner Center and a real SQLite store: the chosen value is checked first (nothing written when
 * it does not fit), then written to the side that lacks it, and the pair goes on syncing quietly.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { resolveHeldConflict, ResolutionError } from '../../src/engine/conflicts.js';
import { engineRig, mappingWithPolicy, type Rig } from '../support/engine-rig.js';

let rig: Rig;
afterEach(() => rig?.close());

const writeCalls = (): number => rig.pc.log.count('updateReferral') + rig.crm.log.count('updateRecords');

/** A linked deal whose amount the seller and Partner Center both changed, held for a person. */
async function heldAmount(): Promise<{ id: string; referralId: string; conflictId: string }> {
  rig = await engineRig({ mapping: mappingWithPolicy('Amount', 'hold') });
  const id = rig.opportunity({ Amount: 50000 });
  await rig.cycle();
  const referralId = (await rig.linkOf(id))?.referralId as string;
  rig.edit(id, { Amount: 60000 });
  rig.pc.edit(referralId, { details: { dealValue: 70000 } as never });
  await rig.cycle();
  const [conflict] = await rig.store.listConflicts({ open: true });
  if (!conflict) throw new Error('nothing held');
  return { id, referralId, conflictId: conflict.id };
}

describe('resolving a held field', () => {
  it("taking the CRM's value writes it to Partner Center, closes the conflict, and the pair is quiet after", async () => {
    const { id, referralId, conflictId } = await heldAmount();

    const resolved = await resolveHeldConflict(rig.deps, { conflictId, choice: { take: 'crm' } });

    expect(resolved).toMatchObject({ resolution: 'crm', resolvedValue: 60000 });
    expect(rig.pc.get(referralId)?.details.dealValue).toBe(60000);
    expect(rig.crm.read(id)?.['Amount']).toBe(60000);
    expect(await rig.store.listConflicts({ open: true })).toEqual([]);
    const writes = writeCalls();
    const reports = await rig.cycle();
    expect(reports.map((r) => r.written)).toEqual([0, 0]);
    expect(writeCalls()).toBe(writes);
  });

  it("taking Partner Center's value writes it to the CRM", async () => {
    const { id, referralId, conflictId } = await heldAmount();
    await resolveHeldConflict(rig.deps, { conflictId, choice: { take: 'partnerCenter' } });
    expect(rig.crm.read(id)?.['Amount']).toBe(70000);
    expect(rig.pc.get(referralId)?.details.dealValue).toBe(70000);
  });

  it('a value of the wrong type is refused before anything is written, and the conflict stays open', async () => {
    const { id, referralId, conflictId } = await heldAmount();
    const writes = writeCalls();
    const referral = rig.pc.get(referralId);

    await expect(resolveHeldConflict(rig.deps, { conflictId, choice: { take: 'value', value: 'about sixty thousand' } })).rejects.toBeInstanceOf(ResolutionError);

    expect(writeCalls()).toBe(writes);
    expect(rig.pc.get(referralId)).toEqual(referral);
    expect(rig.crm.read(id)?.['Amount']).toBe(60000);
    expect((await rig.store.listConflicts({ open: true })).map((c) => c.id)).toEqual([conflictId]);
  });

  it('a deal deleted in the CRM and held: choosing the CRM side unlinks it, writing nothing to Partner Center', async () => {
    rig = await engineRig({ options: { deletePolicy: 'hold' } });
    const id = rig.opportunity();
    await rig.cycle();
    const referralId = (await rig.linkOf(id))?.referralId as string;
    const referral = rig.pc.get(referralId);
    rig.later();
    rig.crm.remove(id);
    await rig.outbound();
    const [conflict] = await rig.store.listConflicts({ open: true });

    await resolveHeldConflict(rig.deps, { conflictId: conflict!.id, choice: { take: 'crm' } });

    expect(await rig.linkOf(id)).toMatchObject({ state: 'unlinked' });
    expect(rig.pc.get(referralId)).toEqual(referral);
    expect(await rig.store.listConflicts({ open: true })).toEqual([]);
  });
});
