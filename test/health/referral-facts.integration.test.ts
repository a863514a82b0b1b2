import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCycle, runInbound } from '../../src/engine/cycle.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

type Row = Record<string, unknown>;
const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('co-sell health records each inbound referral as the sync sees it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ size: 10, sandbox: { salesforce: { participatingRate: 0 } } });
  });
  afterAll(() => h.close());

  const opportunityOf = (referralId: string): Row =>
    (h.sandbox.salesforce!.control.query({ soql: `SELECT Id FROM Opportunity WHERE Referral_Id__c = '${referralId}'` }) as Row[])[0] ?? {};
  const factsOf = async (referralId: string) => (await h.store.listReferralFacts({})).find((f) => f.referralId === referralId);

  it('keeps when an invitation arrived, its deadline, and when the seller accepted it in Salesforce', async () => {
    const pc = h.sandbox.partnerCenter.control;
    const invite = pc.createInbound({ category: 'coSellInvite' });
    await runInbound(h.engine.deps);
    expect(await factsOf(invite.id)).toMatchObject({
      direction: 'Incoming',
      receivedAt: invite.createdDateTime,
      respondBy: new Date(Date.parse(invite.createdDateTime) + 14 * DAY).toISOString(),
      status: 'New/Pending',
      answer: null,
      source: 'microsoft',
      dealType: 'coSellOpportunity',
    });

    h.sandbox.clock.advance(2 * DAY + 3 * HOUR);
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: String(opportunityOf(invite.id)['Id']), fields: { StageName: 'Qualification' } });
    await runCycle(h.engine.deps);
    // The acceptance reached Partner Center; the next read of the referral records when.
    await runInbound(h.engine.deps);
    const accepted = pc.get(invite.id)!;
    expect(accepted.status).toBe('Active');
    expect(await factsOf(invite.id)).toMatchObject({ status: 'Active/Accepted', answer: 'accepted', answeredAt: accepted.acceptedDateTime });
    const answered = (await factsOf(invite.id))!;
    expect(Date.parse(answered.answeredAt!) - Date.parse(answered.receivedAt)).toBeGreaterThanOrEqual(2 * DAY + 3 * HOUR);
  });

  it('records a decline made in Salesforce and an expiry nobody prevented', async () => {
    const pc = h.sandbox.partnerCenter.control;
    const declined = pc.createInbound({ category: 'coSellInvite' });
    const ignored = pc.createInbound({ category: 'lead' });
    await runInbound(h.engine.deps);
    h.sandbox.clock.advance(DAY);
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: String(opportunityOf(declined.id)['Id']), fields: { StageName: 'Declined', Decline_Reason__c: 'Not our territory' } });
    await runCycle(h.engine.deps);
    h.sandbox.clock.advance(14 * DAY);
    pc.tick();
    await runInbound(h.engine.deps);
    expect(await factsOf(declined.id)).toMatchObject({ answer: 'declined', answeredAt: pc.get(declined.id)!.closedDateTime, status: 'Closed/Declined' });
    expect(await factsOf(ignored.id)).toMatchObject({ answer: 'expired', status: 'Closed/Expired', dealType: 'qualifiedLead' });
  });

  it('records nothing in a dry run', async () => {
    const pc = h.sandbox.partnerCenter.control;
    const invite = pc.createInbound({ category: 'coSellInvite' });
    await runInbound({ ...h.engine.deps, options: { ...h.engine.deps.options, dryRun: true } });
    expect(await factsOf(invite.id)).toBeUndefined();
  });
});
