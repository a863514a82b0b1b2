import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { referralBody, REFERRALS, startHarness, type Harness } from './harness.js';

describe('Partner Center emulator: PATCH', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const create = async (changes: Record<string, unknown> = {}) => (await h.api('POST', REFERRALS, { body: referralBody(changes) })).json;
  const patch = (id: string, body: unknown, headers: Record<string, string> = {}) => h.api('PATCH', `${REFERRALS}/${id}`, { body, headers });

  it('applies replace and add, answers 204 without Prefer, and moves the eTag and updatedDateTime', async () => {
    const r = await create();
    const answer = await patch(r.id, [
      { op: 'replace', path: '/details/dealValue', value: 75000 },
      { op: 'add', path: '/team/-', value: { firstName: 'Lena', lastName: 'Ito', email: 'lena.ito@partner.example' } },
    ]);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    const after = (await h.api('GET', `${REFERRALS}/${r.id}`)).json;
    expect(after.details.dealValue).toBe(75000);
    expect(after.team.map((m: { email: string }) => m.email)).toEqual(['sven.hansen@partner.example', 'lena.ito@partner.example']);
    expect(after.eTag).not.toBe(r.eTag);
    expect(answer.headers.etag).toBe(after.eTag);
    expect(after.updatedDateTime > r.updatedDateTime).toBe(true);
    expect(after.createdDateTime).toBe(r.createdDateTime);
  });

  it('returns the referral with Prefer: return=representation', async () => {
    const r = await create();
    const answer = await patch(r.id, [{ op: 'replace', path: '/name', value: 'Renamed deal' }], { Prefer: 'return=representation' });
    expect(answer.status).toBe(200);
    expect(answer.json.name).toBe('Renamed deal');
    expect(answer.json.eTag).toBe(answer.headers.etag);
  });

  it('checks If-Match: the current eTag passes, a stale one gets 412 preconditionFailed', async () => {
    const r = await create();
    const first = await patch(r.id, [{ op: 'replace', path: '/details/notes', value: 'one' }], { 'If-Match': r.eTag });
    expect(first.status).toBe(204);
    const stale = await patch(r.id, [{ op: 'replace', path: '/details/notes', value: 'two' }], { 'If-Match': r.eTag });
    expect(stale.status).toBe(412);
    expect(stale.json.error.code).toBe('preconditionFailed');
    const current = (await h.api('GET', `${REFERRALS}/${r.id}`)).json;
    expect(current.details.notes).toBe('one');
  });

  it.each(['remove', 'move', 'copy', 'test'])("refuses the '%s' operation with 400", async (op) => {
    const r = await create();
    const answer = await patch(r.id, [{ op, path: '/details/notes', from: '/name', value: 'x' }]);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('invalidRequest');
  });

  it.each(['/id', '/engagementId', '/direction', '/createdDateTime', '/mpnId', '/organizationId'])('refuses to change read-only %s', async (path) => {
    const r = await create();
    const answer = await patch(r.id, [{ op: 'replace', path, value: 'x' }]);
    expect(answer.status).toBe(400);
  });

  it('refuses a body that is not a JSON Patch array', async () => {
    const r = await create();
    expect((await patch(r.id, { name: 'x' })).status).toBe(400);
  });

  it('validates status and substatus as a pair and as a transition', async () => {
    const r = await create();
    const badPair = await patch(r.id, [{ op: 'replace', path: '/status', value: 'Closed' }]);
    expect(badPair.status).toBe(400);
    const backwards = await patch(r.id, [
      { op: 'replace', path: '/status', value: 'New' },
      { op: 'replace', path: '/substatus', value: 'Pending' },
    ]);
    expect(backwards.status).toBe(400);
    const won = await patch(r.id, [
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Won' },
    ], { Prefer: 'return=representation' });
    expect(won.status).toBe(200);
    expect(won.json.closedDateTime).toBe(won.json.updatedDateTime);
  });

  it('refuses any write to a terminal referral with 400 by default', async () => {
    const r = await create();
    await patch(r.id, [
      { op: 'replace', path: '/status', value: 'Closed' },
      { op: 'replace', path: '/substatus', value: 'Lost' },
    ]);
    const answer = await patch(r.id, [{ op: 'replace', path: '/details/notes', value: 'too late' }]);
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('invalidRequest');
  });

  it('will not make a deal shared with Microsoft private again', async () => {
    const r = await create({ consent: { consentToToShareInfoWithOthers: true, consentToContact: true, consentToShareReferralWithMicrosoftSellers: true } });
    const answer = await patch(r.id, [{ op: 'replace', path: '/consent/consentToShareReferralWithMicrosoftSellers', value: false }]);
    expect(answer.status).toBe(400);
  });

  it('keeps the patched referral valid: the country must stay a 2-letter code', async () => {
    const r = await create();
    const answer = await patch(r.id, [{ op: 'replace', path: '/customerProfile/address/country', value: 'USA' }]);
    expect(answer.status).toBe(400);
    expect(answer.json.error.target).toBe('customerProfile.address.country');
  });

  it('takes the legacy PUT with a mandatory If-Match, as the 2019 Microsoft flow wrote externalReferenceId back', async () => {
    const r = (await h.api('GET', `${REFERRALS}/${(await create()).id}`)).json;
    const put = (headers: Record<string, string>) =>
      h.api('PUT', `${REFERRALS}/${r.id}`, { body: { ...r, externalReferenceId: 'LEAD-42' }, headers });
    expect((await put({})).status).toBe(400);
    const replaced = await put({ 'If-Match': r.eTag });
    expect(replaced.status).toBe(200);
    expect(replaced.json.externalReferenceId).toBe('LEAD-42');
    expect(replaced.json.id).toBe(r.id);
    expect((await put({ 'If-Match': r.eTag })).status).toBe(412);
  });

  it('answers 404 for an unknown referral', async () => {
    expect((await patch('00000000-0000-4000-8000-000000000000', [{ op: 'replace', path: '/name', value: 'x' }])).status).toBe(404);
  });
});

describe('Partner Center emulator: terminal writes answer 409 when so configured', () => {
  it('uses terminalWriteStatus', async () => {
    const h = await startHarness({ options: { terminalWriteStatus: 409 } });
    try {
      const r = (await h.api('POST', REFERRALS, { body: referralBody() })).json;
      const close = [
        { op: 'replace', path: '/status', value: 'Closed' },
        { op: 'replace', path: '/substatus', value: 'Won' },
      ];
      expect((await h.api('PATCH', `${REFERRALS}/${r.id}`, { body: close })).status).toBe(204);
      expect((await h.api('PATCH', `${REFERRALS}/${r.id}`, { body: close })).status).toBe(409);
    } finally {
      await h.close();
    }
  });
});
