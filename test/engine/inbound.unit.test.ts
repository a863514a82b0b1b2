/**
 * Inbound, with the real engine against the in-memory CRM and Partner Center and a real SQLite
 * store: referrals Microsoft sends become leads or opportunities exactly once, fitted to what the
 * CRM can hold, and a seller's answer in the CRM reaches Partner Center.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { Notification } from '../../connectors/types.js';
import { runInbound, runReferralGroup } from '../../src/engine/cycle.js';
import { connectorError, lostAnswer } from '../support/faults.js';
import { engineRig, type Rig } from '../support/engine-rig.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let rig: Rig;
afterEach(() => rig?.close());

describe('inbound create', () => {
  it('a lead from Microsoft becomes one CRM lead, linked, with its deadline, and the operator is told without contact details', async () => {
    rig = await engineRig();
    const told: Notification[] = [];
    const lead = rig.pc.receive('lead');

    await runInbound({ ...rig.deps, notify: (n) => void told.push(n) });

    const record = rig.recordOf(lead.id);
    expect(record?.kind).toBe('lead');
    expect(rig.crm.read(record!.id)).toMatchObject({
      Company: 'Tailspin Toys',
      FirstName: 'Jo',
      LastName: 'Park',
      Status: 'Open - Not Contacted',
      Referral_Status__c: 'New/Pending',
      Sync_With_Partner_Center__c: true,
      Respond_By__c: lead.expirationDateTime,
    });
    expect(await rig.linkOfReferral(lead.id)).toMatchObject({ state: 'linked', origin: 'partnerCenter', crmKind: 'lead', crmId: record?.id, respondBy: lead.expirationDateTime });
    expect(told.map((n) => n.kind)).toEqual(['newInboundReferral']);
    expect(JSON.stringify(told)).not.toMatch(/jo\.park|555 0199/);
  });

  it('a co-sell invitation becomes an opportunity On Hold, its customer matched or created as the account', async () => {
    rig = await engineRig();
    const invite = rig.pc.receive('coSellInvite');
    await rig.inbound();
    const record = rig.recordOf(invite.id);
    expect(record?.kind).toBe('opportunity');
    expect(rig.crm.read(record!.id)).toMatchObject({ Name: invite.name, StageName: 'On Hold', Amount: 40000, Referral_Status__c: 'New/Pending' });
    expect(rig.crm.customers.get(record!.id)?.account).toMatchObject({ name: 'Woodgrove Bank', postalCode: '98101', country: 'US' });
  });

  it('lands a page of new referrals in one CRM call', async () => {
    rig = await engineRig();
    const sent = [rig.pc.receive('lead'), rig.pc.receive('lead'), rig.pc.receive('lead')];
    await rig.inbound();
    expect(sent.map((r) => rig.recordOf(r.id)?.kind)).toEqual(['lead', 'lead', 'lead']);
    expect(rig.crm.log.count('createRecords')).toBe(1);
  });

  it('cuts text longer than the CRM field holds at its length in UTF-16 units, with a note, instead of failing', async () => {
    rig = await engineRig();
    const emoji = '😀'.repeat(20_000); // 20,000 characters, 40,000 UTF-16 units
    const invite = rig.pc.receive('coSellInvite', { details: { notes: emoji, dealValue: 1000, currency: 'USD', closingDateTime: '2026-09-30T00:00:00.000Z', solutions: [] } });

    const report = await rig.inbound();

    const description = String(rig.crm.read(rig.recordOf(invite.id)!.id)?.['Description']);
    expect(description.length).toBe(32_000);
    expect(description).toBe('😀'.repeat(16_000));
    expect(await rig.store.listFailures()).toEqual([]);
    const outcome = (await rig.store.listOutcomes(report.runId)).find((o) => o.recordKey === `referral:${invite.id}`);
    expect(outcome).toMatchObject({ result: 'written', detail: expect.stringMatching(/Description cut to 32000/) });
  });

  it('a referral already closed before the sync first saw it is not imported', async () => {
    rig = await engineRig();
    const gone = rig.pc.receive('lead', { status: 'Closed', substatus: 'Expired' });
    const report = await rig.inbound();
    expect(report).toMatchObject({ read: 1, written: 0, skipped: 1 });
    expect(rig.recordOf(gone.id)).toBeNull();
    expect(rig.crm.log.count('createRecords')).toBe(0);
  });

  it('a CRM create whose answer was lost is found again by its referral id: one record, linked, told once', async () => {
    rig = await engineRig();
    const told: Notification[] = [];
    rig.crm.faults.add({ method: 'createRecords', afterApply: true, error: lostAnswer('salesforce') });
    const lead = rig.pc.receive('lead');

    await runInbound({ ...rig.deps, notify: (n) => void told.push(n) });
    expect(await rig.linkOfReferral(lead.id)).toMatchObject({ state: 'creating', crmId: null });
    expect((await rig.store.listFailures()).map((f) => f.key)).toEqual([`referral:${lead.id}`]);

    rig.later(HOUR);
    await runInbound({ ...rig.deps, notify: (n) => void told.push(n) });

    expect(rig.crm.count('lead', 'Referral_Id__c', lead.id)).toBe(1);
    expect(await rig.linkOfReferral(lead.id)).toMatchObject({ state: 'linked', crmId: rig.recordOf(lead.id)?.id });
    expect(await rig.store.listFailures()).toEqual([]);
    expect(told).toHaveLength(0);
  });

  it('the new record is read back once and its id written to the referral in the same cycle; the next cycle writes nothing', async () => {
    rig = await engineRig();
    const lead = rig.pc.receive('lead');
    await rig.inbound();
    const record = rig.recordOf(lead.id);
    expect(rig.pc.get(lead.id)?.externalReferenceId).toBe(record?.id);
    expect(rig.crm.log.count('getRecords')).toBe(1);

    const reports = await rig.cycle();
    expect(reports.map((r) => r.written)).toEqual([0, 0]);
    expect(rig.pc.log.count('updateReferral')).toBe(1);
  });

  it('a referral named by a webhook lands without the read-back, which would slow the next events (each write echoes as one); the next outbound cycle sends the id', async () => {
    rig = await engineRig();
    const lead = rig.pc.receive('lead');
    await runReferralGroup(rig.deps, [lead]);
    const record = rig.recordOf(lead.id);
    expect(await rig.linkOfReferral(lead.id)).toMatchObject({ state: 'linked', crmId: record?.id });
    expect(rig.crm.log.count('getRecords')).toBe(0);
    expect(rig.pc.log.count('updateReferral')).toBe(0);

    await rig.outbound();
    expect(rig.pc.get(lead.id)?.externalReferenceId).toBe(record?.id);
  });

  it('a read-back that fails leaves the import standing; the id reaches the referral when the retry comes due', async () => {
    rig = await engineRig();
    rig.crm.faults.add({ method: 'getRecords', error: connectorError('salesforce', 'transient', 'no answer within 30000 ms') });
    const lead = rig.pc.receive('lead');
    await rig.inbound();
    const record = rig.recordOf(lead.id);
    expect(await rig.linkOfReferral(lead.id)).toMatchObject({ state: 'linked', crmId: record?.id });
    expect(rig.pc.get(lead.id)?.externalReferenceId).toBeNull();
    expect((await rig.store.listFailures()).map((f) => f.key)).toEqual([`salesforce:lead:${record?.id}`]);

    rig.later(HOUR);
    await rig.cycle();
    expect(rig.pc.get(lead.id)?.externalReferenceId).toBe(record?.id);
    expect(await rig.store.listFailures()).toEqual([]);
  });
});

describe('inbound leads answered in the CRM', () => {
  async function landedLead(): Promise<{ referralId: string; leadId: string }> {
    const lead = rig.pc.receive('lead');
    await rig.inbound();
    const record = rig.recordOf(lead.id);
    if (!record) throw new Error('lead did not land');
    return { referralId: lead.id, leadId: record.id };
  }

  it('a seller accepting the lead accepts the referral, with the lead as its CRM id', async () => {
    rig = await engineRig();
    const { referralId, leadId } = await landedLead();
    rig.edit(leadId, { Status: 'Working - Contacted' });

    await rig.cycle();

    expect(rig.pc.get(referralId)).toMatchObject({ status: 'Active', substatus: 'Accepted', externalReferenceId: leadId });
    expect(rig.crm.read(leadId)?.['Referral_Status__c']).toBe('Active/Accepted');
  });

  it('a seller declining the lead with a reason declines the referral with that reason', async () => {
    rig = await engineRig();
    const { referralId, leadId } = await landedLead();
    rig.edit(leadId, { Status: 'Closed - Not Converted', Decline_Reason__c: 'Not our region' });
    await rig.cycle();
    expect(rig.pc.get(referralId)).toMatchObject({ status: 'Closed', substatus: 'Declined', statusReason: 'Not our region' });
  });

  it('an expired lead whose contacts Partner Center cleared closes in the CRM, keeping the name the CRM requires', async () => {
    rig = await engineRig();
    const { referralId, leadId } = await landedLead();
    rig.later(15 * DAY);
    rig.pc.expire(referralId);

    const report = await rig.inbound();

    expect(rig.crm.read(leadId)).toMatchObject({ Status: 'Closed - Not Converted', Referral_Status__c: 'Closed/Expired', LastName: 'Park' });
    expect(await rig.store.listFailures()).toEqual([]);
    const outcome = (await rig.store.listOutcomes(report.runId)).find((o) => o.recordKey === `referral:${referralId}`);
    expect(outcome?.detail).toMatch(/LastName kept its value/);
  });

  it('changes to many linked referrals reach the CRM in one batch call', async () => {
    rig = await engineRig();
    const leads = [await landedLead(), await landedLead(), await landedLead()];
    const callsBefore = rig.crm.log.count('updateRecords');
    rig.later();
    for (const { referralId } of leads) rig.pc.edit(referralId, { details: { notes: 'Customer called again', dealValue: 1, currency: 'USD', closingDateTime: null, solutions: [] } });

    await rig.inbound();

    expect(leads.map(({ leadId }) => rig.crm.read(leadId)?.['Description'])).toEqual(['Customer called again', 'Customer called again', 'Customer called again']);
    expect(rig.crm.log.count('updateRecords') - callsBefore).toBe(1);
  });
});
