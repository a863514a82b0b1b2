/**
 * Work left half done, and records deleted in the CRM, with the real engine against the in-memory
 * CRM and Partner Center and a real SQLite store: a link stuck before its write-back is healed
 * without the record changing again, failed records are retried when their backoff is due (not
 * before), and a deleted record follows the configured policy without ever writing a closed referral.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { connectorError } from '../support/faults.js';
import { engineRig, type Rig } from '../support/engine-rig.js';

const HOUR = 3_600_000;
let rig: Rig;
afterEach(() => rig?.close());

const reset = (system: 'salesforce' | 'partnerCenter') => connectorError(system, 'transient', 'connection reset by peer', { vendorCode: 'ECONNRESET' });

async function shared(): Promise<{ id: string; referralId: string }> {
  const id = rig.opportunity();
  await rig.cycle();
  const link = await rig.linkOf(id);
  if (link?.state !== 'linked' || !link.referralId) throw new Error('not linked');
  return { id, referralId: link.referralId };
}

describe('heal', () => {
  it('a referral whose id never reached the CRM is written back next cycle, although the record did not change', async () => {
    rig = await engineRig();
    rig.crm.faults.add({ method: 'updateRecords', error: reset('salesforce') });
    const id = rig.opportunity();

    await rig.outbound();
    expect(await rig.linkOf(id)).toMatchObject({ state: 'writeBackPending' });
    expect(rig.crm.read(id)?.['Referral_Id__c']).toBeNull();

    await rig.outbound();

    const link = await rig.linkOf(id);
    expect(link).toMatchObject({ state: 'linked' });
    expect(rig.crm.read(id)).toMatchObject({ Referral_Id__c: link?.referralId, Referral_Status__c: 'Active/Accepted' });
    expect(rig.pc.log.count('createReferral')).toBe(1);
    expect(await rig.store.listFailures()).toEqual([]);
  });

  it("a seller's edit that Partner Center did not take is retried when its backoff is due, not before", async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.pc.faults.add({ method: 'updateReferral', error: reset('partnerCenter') });
    rig.edit(id, { Amount: 81000 });

    await rig.outbound();
    expect(rig.pc.get(referralId)?.details.dealValue).toBe(50000);
    const [failure] = await rig.store.listFailures();
    expect(failure).toMatchObject({ key: `salesforce:opportunity:${id}`, attempts: 1 });

    await rig.outbound(); // the record is past the cursor and its backoff has not run out
    expect(rig.pc.log.count('updateReferral')).toBe(1);

    rig.later(HOUR);
    await rig.outbound();
    expect(rig.pc.get(referralId)?.details.dealValue).toBe(81000);
    expect(await rig.store.listFailures()).toEqual([]);
  });

  it('a record the mapping finds invalid is not read or failed again until it changes, or an admin asks', async () => {
    rig = await engineRig();
    const id = rig.opportunity({ 'Account.Name': null });
    await rig.outbound();
    expect(await rig.store.listFailures()).toMatchObject([{ key: `salesforce:opportunity:${id}`, errorKind: 'invalid', attempts: 1 }]);

    rig.crm.log.reset();
    rig.later(24 * HOUR);
    const quiet = await rig.outbound();
    expect(rig.crm.log.count('getRecords')).toBe(0);
    expect(quiet).toMatchObject({ read: 0, failed: 0 });
    expect(await rig.store.listFailures()).toMatchObject([{ attempts: 1 }]);

    await rig.store.retryFailureNow(`salesforce:opportunity:${id}`, new Date(rig.clock.t).toISOString());
    expect(await rig.outbound()).toMatchObject({ failed: 1 });
    expect(await rig.store.listFailures()).toMatchObject([{ attempts: 2 }]);

    rig.edit(id, { 'Account.Name': 'Northwind Traders' });
    await rig.outbound();
    expect(await rig.store.listFailures()).toEqual([]);
    expect(await rig.linkOf(id)).toMatchObject({ state: 'linked' });
  });

  it('a Partner Center change the CRM did not take is retried when due and lands', async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.crm.faults.add({ method: 'updateRecords', error: reset('salesforce') });
    rig.later();
    rig.pc.edit(referralId, { name: 'Renamed in Partner Center' });

    await rig.inbound();
    expect(rig.crm.read(id)?.['Name']).not.toBe('Renamed in Partner Center');
    expect((await rig.store.listFailures()).map((f) => f.key)).toEqual([`referral:${referralId}`]);

    rig.later(HOUR);
    await rig.inbound();
    expect(rig.crm.read(id)?.['Name']).toBe('Renamed in Partner Center');
    expect(await rig.store.listFailures()).toEqual([]);
  });
});

describe('deletes', () => {
  it('closeAsLost: the referral is closed as lost, the link closed, and nothing more is written', async () => {
    rig = await engineRig({ options: { deletePolicy: 'closeAsLost' } });
    const { id, referralId } = await shared();
    rig.later();
    rig.crm.remove(id);

    await rig.outbound();

    expect(rig.pc.get(referralId)).toMatchObject({ status: 'Closed', substatus: 'Lost', statusReason: 'Deleted in the CRM' });
    expect(await rig.linkOf(id)).toMatchObject({ state: 'closed' });
    const updates = rig.pc.log.count('updateReferral');
    await rig.cycle();
    expect(rig.pc.log.count('updateReferral')).toBe(updates);
  });

  it('closeAsLost never writes a referral already closed in Partner Center', async () => {
    rig = await engineRig({ options: { deletePolicy: 'closeAsLost' } });
    const { id, referralId } = await shared();
    rig.later();
    rig.pc.edit(referralId, { status: 'Closed', substatus: 'Won' });
    const won = rig.pc.get(referralId)!;
    rig.crm.remove(id);

    await rig.outbound();

    expect(rig.pc.get(referralId)).toMatchObject({ status: 'Closed', substatus: 'Won', eTag: won.eTag });
    expect(await rig.linkOf(id)).toMatchObject({ state: 'closed' });
    expect(await rig.store.listFailures()).toEqual([]);
  });

  it('unlink: the link is dropped and Partner Center is left as it is', async () => {
    rig = await engineRig({ options: { deletePolicy: 'unlink' } });
    const { id, referralId } = await shared();
    const before = rig.pc.get(referralId);
    rig.later();
    rig.crm.remove(id);
    await rig.outbound();
    expect(await rig.linkOf(id)).toMatchObject({ state: 'unlinked' });
    expect(rig.pc.get(referralId)).toEqual(before);
  });

  it('hold: the link waits for a person, with the delete as an open conflict', async () => {
    rig = await engineRig({ options: { deletePolicy: 'hold' } });
    const { id, referralId } = await shared();
    const before = rig.pc.get(referralId);
    rig.later();
    rig.crm.remove(id);
    const report = await rig.outbound();
    const link = await rig.linkOf(id);
    expect(link).toMatchObject({ state: 'held' });
    expect(await rig.store.listConflicts({ open: true })).toEqual([expect.objectContaining({ linkId: link?.id, path: '$deleted', crmValue: 'deleted' })]);
    expect(report.held).toBe(1);
    expect(rig.pc.get(referralId)).toEqual(before);
  });

  it('a record deleted before its referral was made drops its link and posts nothing', async () => {
    rig = await engineRig();
    rig.pc.faults.add({ method: 'createReferral', error: reset('partnerCenter') });
    const id = rig.opportunity();
    await rig.outbound();
    expect(await rig.linkOf(id)).toMatchObject({ state: 'creating' });
    rig.later();
    rig.crm.remove(id);

    await rig.outbound();
    rig.later(HOUR);
    await rig.outbound();

    expect(await rig.linkOf(id)).toMatchObject({ state: 'unlinked', referralId: null });
    expect(rig.pc.all()).toEqual([]);
  });
});
