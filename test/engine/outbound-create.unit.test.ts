/**
 * Outbound creates, with the real engine against the in-memory CRM and Partner Center and a real
 * SQLite store: a flagged opportunity becomes exactly one referral, however the create is
 * interrupted, and the CRM record learns the referral's id and status at once.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runInbound, runOutbound } from '../../src/engine/cycle.js';
import { lostAnswer } from '../support/faults.js';
import { isMicrosoftSide } from '../support/fake-partner-center.js';
import { engineRig, SOLUTION, type Rig } from '../support/engine-rig.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let rig: Rig;
afterEach(() => rig?.close());

/** A co-sell asking Microsoft for a proof of concept. */
const coSell = { Microsoft_Help__c: 'ProofOfConceptOrDemo', Solution_Ids__c: SOLUTION };

describe('outbound create: own referral', () => {
  it('shares a flagged opportunity once, links it, and writes the referral id and status back to the CRM', async () => {
    rig = await engineRig();
    const id = rig.opportunity({ Name: 'Northwind - landing zone', Amount: 50000 });

    await rig.outbound();

    const referrals = rig.pc.all();
    expect(referrals).toHaveLength(1);
    expect(referrals[0]).toMatchObject({ name: 'Northwind - landing zone', externalReferenceId: id, type: 'Independent', details: { dealValue: 50000, currency: 'USD' } });
    expect(rig.pc.log.count('createReferral')).toBe(1);
    const link = await rig.linkOf(id);
    expect(link).toMatchObject({ state: 'linked', referralId: referrals[0]?.id, origin: 'crm' });
    // The toCrm columns are filled right after the create, not when the status next changes.
    expect(rig.crm.read(id)).toMatchObject({ Referral_Id__c: referrals[0]?.id, Referral_Status__c: 'Active/Accepted' });
    expect(await rig.store.listFailures()).toEqual([]);
  });

  it('makes no write on either side when nothing changed since (no echo of its own write-back)', async () => {
    rig = await engineRig();
    rig.opportunity();
    await rig.cycle();
    const before = { pc: rig.pc.log.calls.length, crm: rig.crm.log.count('updateRecords') + rig.crm.log.count('createRecords') };
    const writesBefore = rig.pc.log.count('createReferral') + rig.pc.log.count('updateReferral');

    const reports = await rig.cycle();
    await rig.cycle();

    expect(reports.map((r) => r.written)).toEqual([0, 0]);
    expect(rig.pc.log.count('createReferral') + rig.pc.log.count('updateReferral')).toBe(writesBefore);
    expect(rig.crm.log.count('updateRecords') + rig.crm.log.count('createRecords')).toBe(before.crm);
  });

  it('leaves an opportunity that is not flagged alone', async () => {
    rig = await engineRig();
    const id = rig.opportunity({ Sync_With_Partner_Center__c: false });
    const report = await rig.outbound();
    expect(report).toMatchObject({ read: 1, written: 0, skipped: 1 });
    expect(rig.pc.all()).toEqual([]);
    expect(await rig.linkOf(id)).toBeUndefined();
  });

  it('a partner-led deal is shared with Microsoft sellers without asking for help', async () => {
    rig = await engineRig();
    const id = rig.opportunity({ Share_With_Microsoft__c: true });
    await rig.outbound();
    const [referral] = rig.pc.all();
    expect(referral).toMatchObject({ externalReferenceId: id, type: 'Independent', consent: { consentToShareReferralWithMicrosoftSellers: true } });
    expect(rig.pc.log.count('inviteMicrosoft')).toBe(0);
  });
});

describe('outbound create: co-sell', () => {
  it('links the own referral and invites Microsoft through a second referral in its engagement', async () => {
    rig = await engineRig();
    const id = rig.opportunity(coSell);

    await rig.outbound();

    const link = await rig.linkOf(id);
    const engagement = rig.pc.engagement(link?.engagementId ?? '');
    expect(engagement).toHaveLength(2);
    const own = engagement.find((r) => r.id === link?.referralId);
    const side = engagement.find((r) => isMicrosoftSide(r));
    expect(own).toMatchObject({ externalReferenceId: id, type: 'Shared', target: [{ type: 'SolutionProfile', id: SOLUTION }] });
    expect(side).toMatchObject({ status: 'New', substatus: 'Pending', inviteContext: { assistanceRequestCode: 'ProofOfConceptOrDemo' } });
    expect(link).toMatchObject({ state: 'linked', microsoftSideId: side?.id });
    expect(rig.crm.read(id)).toMatchObject({ Referral_Id__c: own?.id, Microsoft_Co_Sell_Status__c: 'Pending' });
    expect(rig.pc.log.count('createReferral')).toBe(1);
    expect(rig.pc.log.count('inviteMicrosoft')).toBe(1);
  });

  it('asks Microsoft in the one POST when the service reads a co-sell as a single referral', async () => {
    rig = await engineRig({ pc: { coSellMode: 'singleReferral' } });
    const id = rig.opportunity(coSell);
    await rig.outbound();
    const referrals = rig.pc.all();
    expect(referrals).toHaveLength(1);
    expect(isMicrosoftSide(referrals[0]!)).toBe(true);
    expect(rig.pc.log.count('inviteMicrosoft')).toBe(0);
    expect(await rig.linkOf(id)).toMatchObject({ state: 'linked', referralId: referrals[0]?.id });
  });

  it('a refused invitation keeps the one own referral linked; only the invitation is tried again, until it is made', async () => {
    rig = await engineRig();
    rig.pc.microsoftSide = { refuse: true, requireSolutions: false };
    const id = rig.opportunity(coSell);

    for (let cycle = 0; cycle < 3; cycle++) {
      await rig.outbound();
      rig.later(HOUR); // the failure's backoff runs out
    }
    expect(rig.pc.countByExternalReferenceId(id)).toBe(1);
    expect(rig.pc.log.count('createReferral')).toBe(1);
    expect(await rig.linkOf(id)).toMatchObject({ state: 'linked', microsoftSideId: null });
    expect((await rig.store.listFailures()).map((f) => [f.key, f.operation])).toEqual([[`salesforce:opportunity:${id}`, 'inviteMicrosoft']]);
    expect(rig.crm.read(id)?.['Referral_Id__c']).toBe((await rig.linkOf(id))?.referralId);

    rig.pc.microsoftSide = { refuse: false, requireSolutions: true };
    await rig.outbound();

    const link = await rig.linkOf(id);
    expect(rig.pc.engagement(link?.engagementId ?? '').filter((r) => isMicrosoftSide(r))).toHaveLength(1);
    expect(link?.microsoftSideId).toBeTruthy();
    expect(rig.pc.log.count('createReferral')).toBe(1);
    expect(await rig.store.listFailures()).toEqual([]);
    expect(rig.crm.read(id)?.['Microsoft_Co_Sell_Status__c']).toBe('Pending');
  });
});

describe('outbound create: interrupted', () => {
  it('an answer lost after Partner Center made the referral is found by its CRM id, never posted again', async () => {
    rig = await engineRig();
    rig.pc.faults.add({ method: 'createReferral', afterApply: true, error: lostAnswer('partnerCenter') });
    const id = rig.opportunity();

    await rig.outbound();
    expect(await rig.linkOf(id)).toMatchObject({ state: 'creating', referralId: null });
    expect((await rig.store.listFailures()).map((f) => f.key)).toEqual([`salesforce:opportunity:${id}`]);

    rig.later(HOUR);
    await rig.outbound();

    expect(rig.pc.countByExternalReferenceId(id)).toBe(1);
    expect(rig.pc.log.count('createReferral')).toBe(1);
    const link = await rig.linkOf(id);
    expect(link).toMatchObject({ state: 'linked', referralId: rig.pc.all()[0]?.id });
    expect(rig.crm.read(id)?.['Referral_Id__c']).toBe(link?.referralId);
    expect(await rig.store.listFailures()).toEqual([]);
  });

  it('a process that died between the POST and saving the link: a new process links the referral instead of posting again', async () => {
    rig = await engineRig();
    const id = rig.opportunity();
    // What the dead process left: its link in `creating`, and the referral its POST made.
    const record = rig.crm.record(id)!;
    const om = rig.mapping.opportunity;
    const draft = om.toReferralDraft({ values: om.fromCrm(record, rig.deps.ctx).values, externalReferenceId: id, dealType: { kind: 'private' }, ctx: rig.deps.ctx });
    if (!draft.ok) throw new Error('draft');
    await rig.pc.createReferral({ draft: draft.value, dealType: { kind: 'private' } });
    await rig.store.saveLink({ crmSystem: 'salesforce', crmKind: 'opportunity', crmId: id, referralId: null, engagementId: null, origin: 'crm', state: 'creating', snapshot: {}, crmVersion: null, referralETag: null, respondBy: null });
    rig.pc.log.reset();

    // A new process: nothing remembered but the store. The CRM cursor has moved past the record.
    await rig.store.setCursor('salesforce:opportunity', (await lastCursor(rig)) ?? '');
    await runOutbound({ ...rig.deps }, rig.side);

    expect(rig.pc.countByExternalReferenceId(id)).toBe(1);
    expect(rig.pc.log.count('createReferral')).toBe(0);
    expect(rig.pc.log.count('findByExternalReferenceId')).toBe(1);
    const link = await rig.linkOf(id);
    expect(link).toMatchObject({ state: 'linked', referralId: rig.pc.all()[0]?.id });
    expect(rig.crm.read(id)).toMatchObject({ Referral_Id__c: link?.referralId, Referral_Status__c: 'Active/Accepted' });
  });

  it('a process that died before its POST: the next one posts exactly once', async () => {
    rig = await engineRig();
    const id = rig.opportunity();
    await rig.store.saveLink({ crmSystem: 'salesforce', crmKind: 'opportunity', crmId: id, referralId: null, engagementId: null, origin: 'crm', state: 'creating', snapshot: {}, crmVersion: null, referralETag: null, respondBy: null });

    await rig.outbound();
    await rig.outbound();

    expect(rig.pc.countByExternalReferenceId(id)).toBe(1);
    expect(rig.pc.log.count('createReferral')).toBe(1);
    expect(await rig.linkOf(id)).toMatchObject({ state: 'linked' });
  });

  it('a record unflagged while its create was unfinished drops the link when nothing was made, and starts over when flagged again', async () => {
    rig = await engineRig();
    rig.pc.faults.add({ method: 'createReferral', error: lostAnswer('partnerCenter') });
    const id = rig.opportunity();
    await rig.outbound();
    expect(await rig.linkOf(id)).toMatchObject({ state: 'creating' });

    rig.edit(id, { Sync_With_Partner_Center__c: false });
    rig.later(HOUR);
    await rig.outbound();
    expect(await rig.linkOf(id)).toMatchObject({ state: 'unlinked', referralId: null });
    expect(rig.pc.all()).toEqual([]);

    rig.edit(id, { Sync_With_Partner_Center__c: true });
    await rig.outbound();
    expect(rig.pc.countByExternalReferenceId(id)).toBe(1);
    expect(await rig.linkOf(id)).toMatchObject({ state: 'linked' });
  });
});

describe('outbound create: what is already there', () => {
  it('an inbound pass that sees the referral of an interrupted create links it; the outbound pass then writes the id back', async () => {
    rig = await engineRig();
    rig.pc.faults.add({ method: 'createReferral', afterApply: true, error: lostAnswer('partnerCenter') });
    const id = rig.opportunity();
    await rig.outbound();
    expect(await rig.linkOf(id)).toMatchObject({ state: 'creating' });

    await rig.inbound();
    const referral = rig.pc.all()[0];
    expect(await rig.linkOf(id)).toMatchObject({ state: 'writeBackPending', referralId: referral?.id });

    await rig.outbound();
    expect(await rig.linkOf(id)).toMatchObject({ state: 'linked' });
    expect(rig.crm.read(id)?.['Referral_Id__c']).toBe(referral?.id);
    expect(rig.pc.log.count('createReferral')).toBe(1);
  });

  it('a state store lost and started empty: records that name their referral are linked to it, none shared again', async () => {
    rig = await engineRig();
    const ids = [rig.opportunity({ Name: 'First' }), rig.opportunity({ Name: 'Second' })];
    await rig.cycle();
    const referrals = rig.pc.all().map((r) => r.id);
    const lost = await engineRig();
    // The same CRM and Partner Center, a new empty store.
    const deps = { ...rig.deps, store: lost.store };

    await runOutbound(deps, rig.side);

    expect(rig.pc.all().map((r) => r.id)).toEqual(referrals);
    expect(rig.pc.log.count('createReferral')).toBe(2);
    const links = await lost.store.findLinksByCrmIds('salesforce', ids);
    expect(links.map((l) => [l.crmId, l.state, l.referralId]).sort()).toEqual(ids.map((id) => [id, 'linked', rig.crm.read(id)?.['Referral_Id__c']]).sort());
    await lost.close();
  });

  it('a state store lost before a referral id reached the CRM: the inbound pass links the referral its externalReferenceId names, and nothing is shared again', async () => {
    rig = await engineRig();
    const id = rig.opportunity({ Name: 'Shared, id never written back' });
    await rig.cycle();
    const [referral] = rig.pc.all();
    // The write-back never landed (the CRM refused it, or the process died first), then the store was lost.
    rig.later();
    rig.crm.edit(id, { Referral_Id__c: null });
    const lost = await engineRig();
    const deps = { ...rig.deps, store: lost.store };

    await runInbound(deps);
    await runOutbound(deps, rig.side);
    await runOutbound(deps, rig.side);

    expect(rig.pc.all().map((r) => r.id)).toEqual([referral?.id]);
    expect(rig.pc.log.count('createReferral')).toBe(1);
    expect(await lost.store.findLinksByCrmIds('salesforce', [id])).toEqual([expect.objectContaining({ state: 'linked', referralId: referral?.id, origin: 'crm' })]);
    expect(rig.crm.read(id)?.['Referral_Id__c']).toBe(referral?.id);
    await lost.close();
  });

  it('a lead a seller made in the CRM is not shared, even when flagged, while leads from Partner Center are followed', async () => {
    rig = await engineRig();
    const inbound = rig.pc.receive('lead');
    await rig.cycle(); // a linked lead: the outbound pass now reads leads too
    rig.later();
    const own = rig.crm.insert('lead', { Company: 'Contoso', LastName: 'Diaz', Status: 'Open - Not Contacted', Sync_With_Partner_Center__c: true });

    const [outbound] = await rig.cycle();

    expect(rig.pc.all().map((r) => r.id)).toEqual([inbound.id]);
    expect(rig.pc.log.count('createReferral')).toBe(0);
    expect(await rig.linkOf(own)).toBeUndefined();
    const outcome = (await rig.store.listOutcomes(outbound!.runId)).find((o) => o.recordKey === `salesforce:lead:${own}`);
    expect(outcome).toMatchObject({ result: 'skipped' });
  });
});

/** The CRM cursor after reading everything (what the dead process had stored). */
async function lastCursor(r: Rig): Promise<string | null> {
  let cursor: string | null = null;
  for await (const page of r.crm.readChanges({ kind: 'opportunity', fields: ['Id'], cursor: null })) cursor = page.cursor;
  return cursor;
}
