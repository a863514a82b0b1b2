/**
 * The Microsoft-side switches: the reading that refuses a Microsoft-side referral without named
 * solutions, and a service that refuses every Microsoft-side POST (a failing invitation).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { referralBody, REFERRALS, startHarness, type Harness } from './harness.js';

const SOLUTION = { id: 'SOL-12345-ABC', name: 'Contoso Migrate', type: 'Name' };

function invitation(engagementId: string, details?: Record<string, unknown>): Record<string, unknown> {
  const base = referralBody({
    type: 'Shared',
    engagementId,
    target: [{ type: 'BusinessProfileLocation', id: 'msft' }],
    inviteContext: { notes: 'Please help', assistanceRequestCode: 'ProofOfConceptOrDemo' },
  });
  return details ? { ...base, details: { ...(base['details'] as object), ...details } } : base;
}

async function setSwitches(h: Harness, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${h.pc.server.url}/_control/partner-center/microsoft-side`, { method: 'PUT', body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

describe('Partner Center: Microsoft-side switches (two connected referrals)', () => {
  let h: Harness;
  let engagementId: string;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    h.pc.control.setMicrosoftSide({ requireSolutions: false, refuse: false });
    engagementId = (await h.api('POST', REFERRALS, { body: referralBody({ type: 'Shared' }) })).json.engagementId;
  });

  const engagementSize = (): number => h.pc.control.list().filter((r) => r.engagementId === engagementId).length;

  it('accepts a Microsoft-side referral without solutions by default', async () => {
    expect((await h.api('POST', REFERRALS, { body: invitation(engagementId) })).status).toBe(201);
  });

  it('with requireSolutions, refuses it with 400 on details.requirements.solutions until a solution is named', async () => {
    expect(await setSwitches(h, { requireSolutions: true })).toEqual({ status: 200, json: { requireSolutions: true, refuse: false } });
    for (const details of [undefined, { requirements: {} }, { requirements: { solutions: [] } }, { requirements: { solutions: [{ name: 'no id' }] } }]) {
      const refused = await h.api('POST', REFERRALS, { body: invitation(engagementId, details) });
      expect(refused.status).toBe(400);
      expect(refused.json.error).toMatchObject({ code: 'invalidRequest', target: 'details.requirements.solutions' });
    }
    expect(engagementSize()).toBe(1);
    const accepted = await h.api('POST', REFERRALS, { body: invitation(engagementId, { requirements: { solutions: [SOLUTION] } }) });
    expect(accepted.status).toBe(201);
    expect(accepted.json.details.requirements.solutions).toEqual([SOLUTION]);
  });

  it('with requireSolutions, still accepts the partner’s own referral without solutions', async () => {
    h.pc.control.setMicrosoftSide({ requireSolutions: true });
    expect((await h.api('POST', REFERRALS, { body: referralBody({ type: 'Shared' }) })).status).toBe(201);
  });

  it.each([
    [400, 'invalidRequest'],
    [403, 'accessDenied'],
    [503, 'serviceNotAvailable'],
  ] as const)('with refuse: %i, refuses every Microsoft-side POST (%s) and creates nothing; off again, the retry succeeds', async (status, code) => {
    await setSwitches(h, { refuse: status });
    const refused = await h.api('POST', REFERRALS, { body: invitation(engagementId, { requirements: { solutions: [SOLUTION] } }) });
    expect(refused.status).toBe(status);
    expect(refused.json.error.code).toBe(code);
    if (status === 503) expect(refused.headers['retry-after']).toBe('30');
    expect(engagementSize()).toBe(1);
    expect((await h.api('POST', REFERRALS, { body: referralBody({ type: 'Shared' }) })).status).toBe(201);
    await setSwitches(h, { refuse: false });
    expect((await h.api('POST', REFERRALS, { body: invitation(engagementId) })).status).toBe(201);
    expect(engagementSize()).toBe(2);
  });

  it('refuses a switch body it does not understand', async () => {
    for (const body of [{ refuse: 500 }, { requireSolutions: 'yes' }, { other: true }, []]) {
      const answer = await setSwitches(h, body);
      expect(answer.status).toBe(400);
    }
    expect(h.pc.control.setMicrosoftSide({})).toEqual({ requireSolutions: false, refuse: false });
  });
});

describe('Partner Center: Microsoft-side switches (one referral with the msft target)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ options: { coSellMode: 'singleReferral', microsoftSide: { requireSolutions: true } } });
  });
  afterAll(() => h.close());

  it('applies the solutions reading to the single co-sell POST, set from the start options', async () => {
    const body = referralBody({ type: 'Shared', externalReferenceId: 'single-1', target: [{ type: 'BusinessProfileLocation', id: 'msft' }] });
    expect((await h.api('POST', REFERRALS, { body })).status).toBe(400);
    expect(h.pc.control.countByExternalReferenceId('single-1')).toBe(0);
    const withSolution = { ...body, details: { ...(body['details'] as object), requirements: { solutions: [SOLUTION] } } };
    expect((await h.api('POST', REFERRALS, { body: withSolution })).status).toBe(201);
  });
});
