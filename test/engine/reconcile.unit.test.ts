/**
 * Linked pairs kept in step both ways, with the real engine against the in-memory CRM and Partner
 * Center and a real SQLite store: three-way merge against the last synced values, conflicts held
 * for a person when the mapping says so, a referral that moved meanwhile (412) merged again, and a
 * closed referral never written.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runReferralEvents } from '../../src/engine/referral-events.js';
import { connectorError } from '../support/faults.js';
import { engineRig, mappingWithPolicy, SOLUTION, type Rig } from '../support/engine-rig.js';

let rig: Rig;
afterEach(() => rig?.close());

/** A flagged opportunity shared and linked; returns its id and its referral's id. */
async function shared(fields: Record<string, unknown> = {}): Promise<{ id: string; referralId: string }> {
  const id = rig.opportunity(fields as never);
  await rig.cycle();
  const link = await rig.linkOf(id);
  if (link?.state !== 'linked' || !link.referralId) throw new Error(`not linked: ${JSON.stringify(link)}`);
  return { id, referralId: link.referralId };
}

/** What a quiet system does: nothing, on either side. */
async function expectQuiet(): Promise<void> {
  const pcWrites = rig.pc.log.count('createReferral') + rig.pc.log.count('updateReferral') + rig.pc.log.count('inviteMicrosoft');
  const crmWrites = rig.crm.log.count('createRecords') + rig.crm.log.count('updateRecords');
  const reports = await rig.cycle();
  expect(reports.map((r) => r.written)).toEqual([0, 0]);
  expect(rig.pc.log.count('createReferral') + rig.pc.log.count('updateReferral') + rig.pc.log.count('inviteMicrosoft')).toBe(pcWrites);
  expect(rig.crm.log.count('createRecords') + rig.crm.log.count('updateRecords')).toBe(crmWrites);
}

describe('linked: one side changed', () => {
  it("a seller's edit reaches the referral, guarded by the eTag last seen, and the CRM is not written back", async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    const eTag = rig.pc.get(referralId)?.eTag;
    const crmWrites = rig.crm.log.count('updateRecords');
    rig.edit(id, { Amount: 75000, Description: 'Now 5 subscriptions' });

    await rig.cycle();

    expect(rig.pc.get(referralId)?.details).toMatchObject({ dealValue: 75000, notes: 'Now 5 subscriptions' });
    expect(rig.pc.log.of<{ eTag: string }>('updateReferral').map((u) => u.eTag)).toEqual([eTag]);
    expect(rig.crm.log.count('updateRecords')).toBe(crmWrites);
    await expectQuiet();
  });

  it('an edit in Partner Center reaches the CRM record', async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.later();
    rig.pc.edit(referralId, { name: 'Northwind - renamed in Partner Center', details: { dealValue: 99000 } as never });

    await rig.cycle();

    expect(rig.crm.read(id)).toMatchObject({ Name: 'Northwind - renamed in Partner Center', Amount: 99000 });
    await expectQuiet();
  });

  it('an edit in the same second as the sync\'s own write-back still reaches Partner Center', async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    const written = rig.crm.record(id)!;
    // Whole-second stamps: the seller's edit keeps the stamp and version the write-back left.
    rig.crm.edit(id, { Name: 'Edited in the same second' }, new Date(written.stamp));
    expect(rig.crm.record(id)?.version).toBe(written.version);

    await rig.outbound();

    expect(rig.pc.get(referralId)?.name).toBe('Edited in the same second');
  });

  it('a deal won in the CRM closes the referral as won, and the status column says so', async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.edit(id, { StageName: 'Closed Won' });
    await rig.cycle();
    expect(rig.pc.get(referralId)).toMatchObject({ status: 'Closed', substatus: 'Won' });
    expect(rig.crm.read(id)?.['Referral_Status__c']).toBe('Closed/Won');
    await expectQuiet();
  });

  it('a deal won in a CRM that then keeps the record read-only (Dataverse) closes the referral; the refused status column fails nothing', async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.crm.faults.add({
      method: 'updateRecords',
      error: connectorError('dynamics', 'invalid', 'The opportunity is closed and cannot be edited', { status: 400, vendorCode: '0x80040203' }),
      when: (writes) => (writes as { fields: Record<string, unknown> }[]).some((w) => 'Referral_Status__c' in w.fields),
    });
    rig.edit(id, { StageName: 'Closed Won' });

    const [outbound] = await rig.cycle();

    expect(rig.pc.get(referralId)).toMatchObject({ status: 'Closed', substatus: 'Won' });
    expect(await rig.store.listFailures()).toEqual([]);
    const outcome = (await rig.store.listOutcomes(outbound!.runId)).find((o) => o.recordKey === `salesforce:opportunity:${id}`);
    expect(outcome).toMatchObject({ result: 'written', detail: expect.stringMatching(/refused the sync's own columns/) });
    await expectQuiet();
  });
});

describe('linked: both sides changed', () => {
  it('different fields changed on each side both flow', async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.edit(id, { Amount: 61000 });
    rig.pc.edit(referralId, { details: { notes: 'Microsoft seller added context' } as never });

    await rig.cycle();

    expect(rig.pc.get(referralId)?.details).toMatchObject({ dealValue: 61000, notes: 'Microsoft seller added context' });
    expect(rig.crm.read(id)).toMatchObject({ Amount: 61000, Description: 'Microsoft seller added context' });
    await expectQuiet();
  });

  it('a referral that moved since it was last seen (412) is read again and merged with both sides current', async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.edit(id, { Name: 'Renamed by the seller', Amount: 64000 });
    rig.later();
    rig.pc.edit(referralId, { name: 'Renamed in Partner Center, later', details: { notes: 'Edited in Partner Center' } as never });

    await rig.outbound();

    // The name changed on both sides and the mapping says newest wins: Partner Center's, later.
    expect(rig.pc.get(referralId)).toMatchObject({ name: 'Renamed in Partner Center, later', details: { dealValue: 64000, notes: 'Edited in Partner Center' } });
    expect(rig.crm.read(id)).toMatchObject({ Name: 'Renamed in Partner Center, later', Amount: 64000, Description: 'Edited in Partner Center' });
    const updates = rig.pc.log.of<{ patch: { path: string }[] }>('updateReferral');
    expect(updates).toHaveLength(2); // refused with 412, then sent again with the current eTag
    expect(updates[1]?.patch.map((p) => p.path)).toEqual(['/details/dealValue']);
    expect(await rig.store.listConflicts({ open: true })).toEqual([]);
    await expectQuiet();
  });

  it('a field the mapping holds for a person is held with both values, written nowhere; the rest flows', async () => {
    rig = await engineRig({ mapping: mappingWithPolicy('Name', 'hold') });
    const { id, referralId } = await shared({ Name: 'Original name' });
    rig.edit(id, { Name: 'Seller name', Amount: 70000 });
    rig.pc.edit(referralId, { name: 'Partner Center name' });

    const [outbound] = await rig.cycle();

    expect(rig.pc.get(referralId)).toMatchObject({ name: 'Partner Center name', details: { dealValue: 70000 } });
    expect(rig.crm.read(id)).toMatchObject({ Name: 'Seller name', Amount: 70000 });
    const link = await rig.linkOf(id);
    const conflicts = await rig.store.listConflicts({ open: true });
    expect(conflicts).toEqual([expect.objectContaining({ linkId: link?.id, path: 'name', base: 'Original name', crmValue: 'Seller name', partnerCenterValue: 'Partner Center name' })]);
    expect(outbound?.held).toBe(1);

    await rig.cycle();
    expect(await rig.store.listConflicts({ open: true })).toHaveLength(1);
    expect(rig.pc.get(referralId)?.name).toBe('Partner Center name');
    expect(rig.crm.read(id)?.['Name']).toBe('Seller name');
  });
});

describe.each([409, 400] as const)('linked: a referral closed in Partner Center (a write to it answers %i)', (terminalWriteStatus) => {
  it('closes the CRM record too, although the seller edited it meanwhile, and never writes the closed referral', async () => {
    rig = await engineRig({ pc: { terminalWriteStatus } });
    const { id, referralId } = await shared();
    rig.pc.edit(referralId, { status: 'Closed', substatus: 'Lost', statusReason: 'Customer chose another vendor' });
    const closed = rig.pc.get(referralId)!;
    rig.edit(id, { Name: 'Edited in the CRM meanwhile', Amount: 1 });

    await rig.cycle();

    expect(rig.crm.read(id)).toMatchObject({ StageName: 'Closed Lost', Referral_Status__c: 'Closed/Lost', Decline_Reason__c: 'Customer chose another vendor' });
    expect(rig.pc.get(referralId)).toMatchObject({ eTag: closed.eTag, name: closed.name, status: 'Closed', substatus: 'Lost' });
    expect(await rig.store.listFailures()).toEqual([]);
    await expectQuiet();
    expect(rig.pc.get(referralId)?.eTag).toBe(closed.eTag);
  });
});

describe('linked: pulled from Partner Center while the seller edits', () => {
  it("a Partner Center change meeting a seller's newer edit in the CRM is merged with both sides current: nothing lost", async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.later();
    rig.pc.edit(referralId, { details: { notes: 'Partner Center notes' } as never });
    rig.edit(id, { Amount: 52000 });

    // Inbound first: its CRM write is guarded by the version last synced, which the seller moved.
    await rig.inbound();

    expect(rig.crm.read(id)).toMatchObject({ Description: 'Partner Center notes', Amount: 52000 });
    expect(rig.pc.get(referralId)?.details).toMatchObject({ notes: 'Partner Center notes', dealValue: 52000 });
    expect(rig.crm.log.count('getRecords')).toBeGreaterThan(0);
    await expectQuiet();
  });

  it('referrals named by webhooks are fetched and applied like a polled page', async () => {
    rig = await engineRig();
    const { id, referralId } = await shared();
    rig.later();
    rig.pc.edit(referralId, { name: 'Renamed, told by a webhook' });
    rig.pc.log.reset();

    await runReferralEvents(rig.deps, [referralId, referralId]);

    expect(rig.crm.read(id)?.['Name']).toBe('Renamed, told by a webhook');
    expect(rig.pc.log.count('getReferral')).toBe(1);
    expect(rig.pc.log.count('listChanged')).toBe(0);
  });
});

describe("linked co-sell: Microsoft's side", () => {
  it("Microsoft declining the invitation tells the seller why; the partner's own referral is untouched", async () => {
    rig = await engineRig();
    const { id, referralId } = await shared({ Microsoft_Help__c: 'QuotesOrLicensing', Solution_Ids__c: SOLUTION });
    const own = rig.pc.get(referralId);
    const link = await rig.linkOf(id);
    rig.later();
    rig.pc.edit(link!.microsoftSideId!, { status: 'Closed', substatus: 'Declined', statusReason: 'Not a Microsoft priority' });

    await rig.cycle();

    expect(rig.crm.read(id)).toMatchObject({ Microsoft_Co_Sell_Status__c: 'Declined (Not a Microsoft priority)', StageName: 'Qualification' });
    expect(rig.pc.get(referralId)).toEqual(own);
  });

  it("Microsoft accepting the invitation reaches the seller's record with Microsoft's CRM id", async () => {
    rig = await engineRig();
    const { id } = await shared({ Microsoft_Help__c: 'CustomerTechnicalArchitecture', Solution_Ids__c: SOLUTION });
    const link = await rig.linkOf(id);
    expect(rig.crm.read(id)?.['Microsoft_Co_Sell_Status__c']).toBe('Pending');
    rig.later();
    rig.pc.edit(link!.microsoftSideId!, { status: 'Active', substatus: 'Accepted', microsoftMsxId: '7-ABCDEF123' });

    await rig.inbound();

    expect(rig.crm.read(id)).toMatchObject({ Microsoft_Co_Sell_Status__c: 'Accepted', Microsoft_CRM_Id__c: '7-ABCDEF123' });
    await expectQuiet();
  });
});
