import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { httpRequest, referralBody, REFERRALS, startHarness, type Harness } from './harness.js';

const DAY = 86_400_000;
const DECLINE_REASONS = [
  'No corresponding Microsoft customer record could be found',
  'No Microsoft seller directly manages this customer',
];

async function coSell(h: Harness): Promise<{ own: { id: string; engagementId: string }; request: { id: string } }> {
  const own = (await h.api('POST', REFERRALS, { body: referralBody({ type: 'Shared' }) })).json;
  const request = (
    await h.api('POST', REFERRALS, {
      body: referralBody({ type: 'Shared', engagementId: own.engagementId, target: [{ type: 'BusinessProfileLocation', id: 'msft' }] }),
    })
  ).json;
  return { own, request };
}

describe('Partner Center emulator: time and Microsoft', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ options: { microsoft: { acceptanceRate: 1, noResponseRate: 0 } } });
  });
  afterAll(() => h.close());

  it('expires an unanswered inbound lead after 14 days and hides its customer contacts', async () => {
    const lead = h.pc.control.createInbound({ category: 'lead' });
    expect(lead.customerProfile.team.length).toBeGreaterThan(0);
    h.clock.advance(13 * DAY);
    expect((await h.api('GET', `${REFERRALS}/${lead.id}`)).json.status).toBe('New');
    h.clock.advance(2 * DAY);
    const after = (await h.api('GET', `${REFERRALS}/${lead.id}`)).json;
    expect(`${after.status}/${after.substatus}`).toBe('Closed/Expired');
    expect(after.customerProfile.team).toEqual([]);
    expect(after.eTag).not.toBe(lead.eTag);
    expect(after.closedDateTime).toBe(after.updatedDateTime);
    // The expiry happened at day 14, not when the clock was looked at.
    const expiredAt = Date.parse(after.updatedDateTime.slice(0, 23) + 'Z');
    expect(expiredAt - Date.parse(lead.createdDateTime.slice(0, 23) + 'Z')).toBeLessThan(14 * DAY + 60_000);
  });

  it('leaves an accepted inbound referral alone after 14 days', async () => {
    const invite = h.pc.control.createInbound({ category: 'coSellInvite' });
    await h.api('PATCH', `${REFERRALS}/${invite.id}`, {
      body: [
        { op: 'replace', path: '/status', value: 'Active' },
        { op: 'replace', path: '/substatus', value: 'Accepted' },
      ],
    });
    h.clock.advance(20 * DAY);
    expect((await h.api('GET', `${REFERRALS}/${invite.id}`)).json.substatus).toBe('Accepted');
  });

  it('has the simulated Microsoft seller accept within 14 days, with an MSX id', async () => {
    const { request } = await coSell(h);
    h.clock.advance(14 * DAY + 1000);
    const after = (await h.api('GET', `${REFERRALS}/${request.id}`)).json;
    expect(`${after.status}/${after.substatus}`).toBe('Active/Accepted');
    expect(after.trackingInfo.microsoftMsxId).toMatch(/^7-[A-Z0-9]{10}$/);
    expect(after.acceptedDateTime).toBe(after.updatedDateTime);
  });

  it('lets the control API make Microsoft decline now, with a documented reason, once only', async () => {
    const { own, request } = await coSell(h);
    const url = `${h.pc.server.url}/_control/partner-center/microsoft-response`;
    const answer = await httpRequest({ method: 'POST', url, body: { engagementId: own.engagementId, decision: 'decline' } });
    expect(answer.status).toBe(200);
    expect(answer.json.id).toBe(request.id);
    expect(`${answer.json.status}/${answer.json.substatus}`).toBe('Closed/Declined');
    expect(DECLINE_REASONS).toContain(answer.json.statusReason);
    const again = await httpRequest({ method: 'POST', url, body: { referralId: request.id, decision: 'accept' } });
    expect(again.status).toBe(409);
    expect((await h.api('GET', `${REFERRALS}/${own.id}`)).json.substatus).toBe('Accepted');
  });

  it('seeds, lists, gets and creates inbound referrals through the control routes', async () => {
    const control = `${h.pc.server.url}/_control/partner-center`;
    const before = (await httpRequest({ method: 'GET', url: `${control}/referrals` })).json.length as number;
    expect((await httpRequest({ method: 'POST', url: `${control}/seed`, body: { count: 20 } })).json.created).toBe(20);
    const inbound = await httpRequest({ method: 'POST', url: `${control}/inbound`, body: { category: 'coSellInvite', overrides: { name: 'Named invite' } } });
    expect(inbound.status).toBe(201);
    expect(inbound.json).toEqual(expect.objectContaining({ name: 'Named invite', direction: 'Incoming', type: 'Shared', status: 'New' }));
    expect((await httpRequest({ method: 'GET', url: `${control}/referrals` })).json).toHaveLength(before + 21);
    expect((await httpRequest({ method: 'GET', url: `${control}/referrals/${inbound.json.id}` })).json.name).toBe('Named invite');
    expect((await httpRequest({ method: 'POST', url: `${control}/inbound`, body: { category: 'spam' } })).status).toBe(400);
  });

  it('edits a referral as a person in the UI would, through the control route', async () => {
    const r = (await h.api('POST', REFERRALS, { body: referralBody({ externalReferenceId: 'DUP-1' }) })).json;
    await h.api('POST', REFERRALS, { body: referralBody({ externalReferenceId: 'DUP-1' }) });
    const edited = await httpRequest({
      method: 'PATCH',
      url: `${h.pc.server.url}/_control/partner-center/referrals/${r.id}`,
      body: { name: 'Edited in the UI' },
    });
    expect(edited.status).toBe(200);
    expect(edited.json.name).toBe('Edited in the UI');
    expect(edited.json.eTag).not.toBe(r.eTag);
    const count = await httpRequest({ method: 'GET', url: `${h.pc.server.url}/_control/partner-center/count?externalReferenceId=DUP-1` });
    expect(count.json.count).toBe(2);
  });
});

describe('Partner Center emulator: Microsoft answers by configured rates', () => {
  it('declines every request when the acceptance rate is 0', async () => {
    const h = await startHarness({ options: { microsoft: { acceptanceRate: 0, noResponseRate: 0 } } });
    try {
      const requests = await Promise.all([1, 2, 3].map(() => coSell(h)));
      h.clock.advance(15 * DAY);
      for (const { request } of requests) {
        const after = (await h.api('GET', `${REFERRALS}/${request.id}`)).json;
        expect(after.substatus).toBe('Declined');
        expect(DECLINE_REASONS).toContain(after.statusReason);
      }
    } finally {
      await h.close();
    }
  });

  it('lets a silent request expire after 14 days', async () => {
    const h = await startHarness({ options: { microsoft: { acceptanceRate: 0, noResponseRate: 1 } } });
    try {
      const { request } = await coSell(h);
      h.clock.advance(13 * DAY);
      expect((await h.api('GET', `${REFERRALS}/${request.id}`)).json.substatus).toBe('Pending');
      h.clock.advance(2 * DAY);
      expect((await h.api('GET', `${REFERRALS}/${request.id}`)).json.substatus).toBe('Expired');
    } finally {
      await h.close();
    }
  });

  it('answers the single co-sell referral itself in the one-POST reading', async () => {
    const h = await startHarness({ options: { coSellMode: 'singleReferral', microsoft: { acceptanceRate: 1, noResponseRate: 0 } } });
    try {
      const body = referralBody({
        type: 'Shared',
        target: [
          { type: 'SolutionProfile', id: 'SOL-12345-ABC' },
          { type: 'BusinessProfileLocation', id: 'msft' },
        ],
      });
      const r = (await h.api('POST', REFERRALS, { body })).json;
      expect(`${r.status}/${r.substatus}`).toBe('Active/Accepted');
      expect(r.trackingInfo.microsoftMsxId).toBeNull();
      h.clock.advance(15 * DAY);
      expect((await h.api('GET', `${REFERRALS}/${r.id}`)).json.trackingInfo.microsoftMsxId).toMatch(/^7-/);
    } finally {
      await h.close();
    }
  });

  it('brings in Microsoft leads and co-sell invitations at the configured daily rates', async () => {
    const h = await startHarness({ options: { microsoft: { leadsPerDay: 3, coSellInvitesPerDay: 1 } } });
    try {
      h.clock.advance(10 * DAY);
      const incoming = (await h.api('GET', `${REFERRALS}?$filter=${encodeURIComponent("direction eq 'Incoming'")}`)).json.value as {
        type: string;
        qualification: string;
        inviteContext: { invitedBy: { organizationId: string } };
        status: string;
      }[];
      const leads = incoming.filter((r) => r.type === 'Independent');
      const invites = incoming.filter((r) => r.type === 'Shared');
      // Poisson arrivals: about 30 leads and 10 invitations in 10 days.
      expect(leads.length).toBeGreaterThan(12);
      expect(leads.length).toBeLessThan(50);
      expect(invites.length).toBeGreaterThan(2);
      expect(invites.length).toBeLessThan(22);
      for (const lead of leads) expect(['MarketingQualified', 'SalesQualified']).toContain(lead.qualification);
      for (const invite of invites) expect(invite.qualification).toBe('SalesQualified');
      for (const r of incoming) expect(r.inviteContext.invitedBy.organizationId).toBe('msft');
    } finally {
      await h.close();
    }
  });
});
