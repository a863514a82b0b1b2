import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Notification } from '../../connectors/types.js';
import { runCycle, runInbound } from '../../src/engine/cycle.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

type Row = Record<string, unknown>;
const DAY = 86_400_000;

describe('Partner Center -> Salesforce', () => {
  let h: Harness;
  const notifications: Notification[] = [];
  beforeAll(async () => {
    h = await startHarness({ size: 20, sandbox: { salesforce: { participatingRate: 0 } }, notify: (n) => void notifications.push(n) });
  });
  afterAll(() => h.close());

  const sfByReferral = (referralId: string, object = 'Opportunity'): Row | undefined =>
    (h.sandbox.salesforce!.control.query({
      soql: `SELECT Id, ${object === 'Lead' ? 'Status' : 'StageName, Name, Amount'}, Decline_Reason__c FROM ${object} WHERE Referral_Id__c = '${referralId}'`,
    }) as Row[])[0];

  it('lands a co-sell invitation as an opportunity on hold, and accepting it in Salesforce accepts it in Partner Center', async () => {
    const pc = h.sandbox.partnerCenter.control;
    const invite = pc.createInbound({ category: 'coSellInvite' });
    await runInbound(h.engine.deps);
    const opp = sfByReferral(invite.id);
    expect(opp).toMatchObject({ StageName: 'On Hold', Name: invite.name });
    expect((await h.store.findLinksByReferralIds([invite.id]))[0]?.respondBy).not.toBeNull();
    expect(notifications.find((n) => n.kind === 'newInboundReferral')?.subject).toContain(invite.name);

    // The seller answers in a later second than the daemon's write (Salesforce stamps are whole
    // seconds); an edit within the same second is a case of its own.
    h.sandbox.clock.advance(1000);
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: opp!['Id'] as string, fields: { StageName: 'Qualification' } });
    await runCycle(h.engine.deps);
    expect(pc.get(invite.id)).toMatchObject({ status: 'Active', substatus: 'Accepted', externalReferenceId: opp!['Id'] });
  });

  it('lands a lead from Microsoft as a Salesforce lead', async () => {
    const lead = h.sandbox.partnerCenter.control.createInbound({ category: 'lead' });
    await runInbound(h.engine.deps);
    expect(sfByReferral(lead.id, 'Lead')).toBeDefined();
    expect(sfByReferral(lead.id, 'Opportunity')).toBeUndefined();
  });

  it('declining in Salesforce declines in Partner Center with the reason', async () => {
    const pc = h.sandbox.partnerCenter.control;
    const invite = pc.createInbound({ category: 'coSellInvite' });
    await runInbound(h.engine.deps);
    const opp = sfByReferral(invite.id)!;
    h.sandbox.clock.advance(1000);
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: opp['Id'] as string, fields: { StageName: 'Declined', Decline_Reason__c: 'Customer not in our territory' } });
    await runCycle(h.engine.deps);
    expect(pc.get(invite.id)).toMatchObject({ status: 'Closed', substatus: 'Declined', statusReason: 'Customer not in our territory' });
  });

  it('brings an unanswered invitation that expired after 14 days back to Salesforce as Expired', async () => {
    const pc = h.sandbox.partnerCenter.control;
    const invite = pc.createInbound({ category: 'coSellInvite' });
    await runInbound(h.engine.deps);
    h.sandbox.clock.advance(15 * DAY);
    pc.tick();
    expect(pc.get(invite.id)).toMatchObject({ status: 'Closed', substatus: 'Expired' });
    await runInbound(h.engine.deps);
    expect(sfByReferral(invite.id)).toMatchObject({ StageName: 'Expired' });
  });

  it('does nothing on the next cycle after a cycle that wrote to both sides (no echo)', async () => {
    await runCycle(h.engine.deps);
    const reports = await runCycle(h.engine.deps);
    expect(reports.map((r) => r.written)).toEqual(reports.map(() => 0));
  });
});
