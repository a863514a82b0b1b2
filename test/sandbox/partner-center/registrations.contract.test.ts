import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { referralBody, REFERRALS, startHarness, type Harness } from './harness.js';

const DAY = 86_400_000;
const SOLUTION = 'SOL-12345-ABC';

describe('Partner Center emulator: deal registrations of won deals', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const patch = (id: string, body: unknown, headers: Record<string, string> = {}) => h.api('PATCH', `${REFERRALS}/${id}`, { body, headers: { Prefer: 'return=representation', ...headers } });
  const get = async (id: string) => (await h.api('GET', `${REFERRALS}/${id}`)).json;
  async function wonDeal(): Promise<{ id: string; eTag: string }> {
    const made = (await h.api('POST', REFERRALS, { body: referralBody({ details: { ...(referralBody().details as object), requirements: { solutions: [{ id: SOLUTION, name: 'Contoso Cloud' }] } } }) })).json;
    const won = await patch(made.id, [{ op: 'replace', path: '/status', value: 'Closed' }, { op: 'replace', path: '/substatus', value: 'Won' }]);
    expect(won.status).toBe(200);
    return won.json;
  }
  const registration = (value = 60_000, extra: Record<string, unknown> = {}) => ({
    type: 'AzureIPCoSell',
    solutionDetails: [{ id: SOLUTION, value, currency: 'USD', isDeployedOnAzure: true }],
    contract: { value, currency: 'USD', startDateTime: '2026-04-01T00:00:00Z', endDateTime: '2027-03-31T00:00:00Z', signDateTime: '2026-03-20T00:00:00Z', term: 'Finite' },
    ...extra,
  });

  it('a won referral takes a registration; the service fills its id, date and ReviewPending, and the eTag moves', async () => {
    const deal = await wonDeal();
    const answer = await patch(deal.id, [{ op: 'add', path: '/registrations/-', value: registration() }], { 'If-Match': deal.eTag });
    expect(answer.status).toBe(200);
    const [added] = answer.json.registrations;
    expect(added).toMatchObject({ type: 'AzureIPCoSell', status: 'ReviewPending', statusReason: null, contract: registration().contract });
    expect(added.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Math.abs(Date.parse(added.registrationDateTime) - h.clock.now().getTime())).toBeLessThan(1000);
    expect(answer.json.eTag).not.toBe(deal.eTag);
    expect(answer.json.substatus).toBe('Won');
    // A second add with the eTag read before the first is refused, so a registration is never made twice by a stale writer.
    expect((await patch(deal.id, [{ op: 'add', path: '/registrations/-', value: registration() }], { 'If-Match': deal.eTag })).status).toBe(412);
  });

  it('Microsoft reviews it after a few days: approved at USD 25,000 or more, failed with a reason below', async () => {
    const big = await wonDeal();
    const small = await wonDeal();
    await patch(big.id, [{ op: 'add', path: '/registrations/-', value: registration(60_000) }]);
    await patch(small.id, [{ op: 'add', path: '/registrations/-', value: registration(10_000) }]);
    h.clock.advance(DAY);
    expect((await get(big.id)).registrations[0].status).toBe('ReviewPending');
    const before = (await get(big.id)).updatedDateTime;
    h.clock.advance(3 * DAY);
    const approved = await get(big.id);
    expect(approved.registrations[0]).toMatchObject({ status: 'Approved', statusReason: null });
    expect(approved.registrations[0].statusHistory.approvedDateTime).toBeDefined();
    expect(approved.updatedDateTime > before).toBe(true);
    expect((await get(small.id)).registrations[0]).toMatchObject({ status: 'Failed', statusReason: expect.stringContaining('below USD 25,000') });
  });

  it('the control API sets a review outcome at once', async () => {
    const deal = await wonDeal();
    await patch(deal.id, [{ op: 'add', path: '/registrations/-', value: registration() }]);
    const reviewed = h.pc.control.reviewRegistration({ referralId: deal.id, status: 'ActionRequired', reason: 'Attach the signed contract' });
    expect(reviewed.registrations).toEqual([expect.objectContaining({ status: 'ActionRequired', statusReason: 'Attach the signed contract' })]);
  });

  it.each([
    ['an open referral', async () => (await h.api('POST', REFERRALS, { body: referralBody() })).json, registration(), /Only a won referral/],
    ['a solution not on the deal', wonDeal, registration(60_000, { solutionDetails: [{ id: 'SOL-99999-ZZZ' }] }), /not on the deal/],
    ['no contract dates', wonDeal, registration(60_000, { contract: { value: 1, term: 'Finite' } }), /startDateTime/],
    ['a term other than Perpetual or Finite', wonDeal, registration(60_000, { contract: { ...registration().contract, term: 'Monthly' } }), /term/],
    ['another type', wonDeal, registration(60_000, { type: 'Services' }), /AzureIPCoSell/],
  ])('refuses a registration on %s with 400', async (_case, make, value, message) => {
    const deal = await make();
    const answer = await patch(deal.id, [{ op: 'add', path: '/registrations/-', value }]);
    expect(answer.status).toBe(400);
    expect(answer.json.error.message).toMatch(message);
    expect((await get(deal.id)).registrations).toEqual([]);
  });

  it('a won referral still refuses every other change, and a registration its status', async () => {
    const deal = await wonDeal();
    expect((await patch(deal.id, [{ op: 'replace', path: '/name', value: 'Renamed' }])).status).toBe(400);
    await patch(deal.id, [{ op: 'add', path: '/registrations/-', value: registration() }]);
    expect((await patch(deal.id, [{ op: 'replace', path: '/registrations/0/status', value: 'Approved' }])).status).toBe(400);
    const edited = await patch(deal.id, [{ op: 'replace', path: '/registrations/0/contract/value', value: 70_000 }]);
    expect(edited.status).toBe(200);
    expect(edited.json.registrations[0].contract.value).toBe(70_000);
  });
});
