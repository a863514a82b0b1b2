/**
 * Every write the engine makes, with its answer lost after the write took effect (a timeout or a
 * reset after the server committed), with the real engine against the in-memory CRM and Partner
 * Center and a real SQLite store: the next cycles converge to one record per deal on each side,
 * the same values on both, no failure left, and then a quiet system.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { lostAnswer } from '../support/faults.js';
import { isMicrosoftSide } from '../support/fake-partner-center.js';
import { engineRig, SOLUTION, type Rig } from '../support/engine-rig.js';

const HOUR = 3_600_000;
let rig: Rig;
afterEach(() => rig?.close());

const writeCalls = (): number =>
  ['createReferral', 'updateReferral', 'inviteMicrosoft'].reduce((n, m) => n + rig.pc.log.count(m), 0) + rig.crm.log.count('createRecords') + rig.crm.log.count('updateRecords');

/** Cycles until nothing is left to retry, then asserts one more cycle writes nothing. */
async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await rig.cycle();
    rig.later(HOUR);
  }
  expect(await rig.store.listFailures()).toEqual([]);
  const writes = writeCalls();
  const reports = await rig.cycle();
  expect(reports.map((r) => r.written)).toEqual([0, 0]);
  expect(writeCalls()).toBe(writes);
}

describe('an answer lost after the write took effect', () => {
  it("the invitation to Microsoft: found in the engagement next time, never made twice", async () => {
    rig = await engineRig();
    rig.pc.faults.add({ method: 'inviteMicrosoft', afterApply: true, error: lostAnswer('partnerCenter') });
    const id = rig.opportunity({ Microsoft_Help__c: 'ProofOfConceptOrDemo', Solution_Ids__c: SOLUTION });

    await settle();

    const link = await rig.linkOf(id);
    const sides = rig.pc.engagement(link?.engagementId ?? '').filter((r) => isMicrosoftSide(r));
    expect(sides).toHaveLength(1);
    expect(link).toMatchObject({ state: 'linked', microsoftSideId: sides[0]?.id });
    expect(rig.pc.log.count('inviteMicrosoft')).toBe(1);
    expect(rig.crm.read(id)?.['Microsoft_Co_Sell_Status__c']).toBe('Pending');
  });

  it('the write-back of the referral id to the CRM: linked once, one referral', async () => {
    rig = await engineRig();
    rig.crm.faults.add({ method: 'updateRecords', afterApply: true, error: lostAnswer('salesforce') });
    const id = rig.opportunity();

    await settle();

    expect(rig.pc.countByExternalReferenceId(id)).toBe(1);
    const link = await rig.linkOf(id);
    expect(link).toMatchObject({ state: 'linked' });
    expect(rig.crm.read(id)).toMatchObject({ Referral_Id__c: link?.referralId, Referral_Status__c: 'Active/Accepted' });
  });

  it("a seller's edit written to the referral: both sides agree afterwards", async () => {
    rig = await engineRig();
    const id = rig.opportunity();
    await rig.cycle();
    const referralId = (await rig.linkOf(id))?.referralId as string;
    rig.pc.faults.add({ method: 'updateReferral', afterApply: true, error: lostAnswer('partnerCenter') });
    rig.edit(id, { Amount: 88000, Name: 'Renamed by the seller' });

    await settle();

    expect(rig.pc.get(referralId)).toMatchObject({ name: 'Renamed by the seller', details: { dealValue: 88000 } });
    expect(rig.crm.read(id)).toMatchObject({ Name: 'Renamed by the seller', Amount: 88000 });
    expect(await rig.store.listConflicts({ open: true })).toEqual([]);
  });

  it('a Partner Center change written to the CRM: both sides agree afterwards', async () => {
    rig = await engineRig();
    const id = rig.opportunity();
    await rig.cycle();
    const referralId = (await rig.linkOf(id))?.referralId as string;
    rig.crm.faults.add({ method: 'updateRecords', afterApply: true, error: lostAnswer('salesforce') });
    rig.later();
    rig.pc.edit(referralId, { name: 'Renamed in Partner Center', details: { dealValue: 91000 } as never });

    await settle();

    expect(rig.crm.read(id)).toMatchObject({ Name: 'Renamed in Partner Center', Amount: 91000 });
    expect(rig.pc.get(referralId)).toMatchObject({ name: 'Renamed in Partner Center', details: { dealValue: 91000 } });
  });

  it('a lead accepted in the CRM, its acceptance written to Partner Center: accepted once, the lead named as its CRM id', async () => {
    rig = await engineRig();
    const lead = rig.pc.receive('lead');
    await rig.cycle();
    const leadId = rig.recordOf(lead.id)!.id;
    rig.pc.faults.add({ method: 'updateReferral', afterApply: true, error: lostAnswer('partnerCenter') });
    rig.edit(leadId, { Status: 'Working - Contacted' });

    await settle();

    expect(rig.pc.get(lead.id)).toMatchObject({ status: 'Active', substatus: 'Accepted', externalReferenceId: leadId });
    expect(rig.crm.read(leadId)).toMatchObject({ Status: 'Working - Contacted', Referral_Status__c: 'Active/Accepted' });
  });
});
