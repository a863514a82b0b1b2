import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN, referralBody, REFERRALS, startHarness, type Harness } from './harness.js';

const SEVEN_DIGITS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

describe('Partner Center emulator: create, get and auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('refuses requests without a valid delegated bearer token', async () => {
    const anonymous = await h.api('GET', REFERRALS, { headers: { Authorization: '' } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('unauthenticated');

    const wrongAudience = await h.tokenAs(ADMIN, 'https://graph.microsoft.com/.default');
    const other = await h.api('GET', REFERRALS, { headers: { Authorization: `Bearer ${wrongAudience}` } });
    expect(other.status).toBe(401);

    const tampered = await h.api('GET', REFERRALS, { headers: { Authorization: `Bearer ${h.token.slice(0, -4)}AAAA` } });
    expect(tampered.status).toBe(401);
  });

  it('refuses app-only tokens, since the referrals API is App+User only', async () => {
    const cc = await fetch(`${h.entra.server.url}/common/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'app', client_secret: 's', scope: 'https://api.partner.microsoft.com/.default' }),
    });
    const { access_token: appToken } = (await cc.json()) as { access_token: string };
    const answer = await h.api('GET', REFERRALS, { headers: { Authorization: `Bearer ${appToken}` } });
    expect(answer.status).toBe(403);
    expect(answer.json.error.code).toBe('accessDenied');
  });

  it('creates an outgoing referral as Active/Accepted with server-filled fields', async () => {
    const created = await h.api('POST', REFERRALS, { body: referralBody() });
    expect(created.status).toBe(201);
    const r = created.json;
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.engagementId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.engagementId).not.toBe(r.id);
    expect(r.status).toBe('Active');
    expect(r.substatus).toBe('Accepted');
    expect(r.direction).toBe('Outgoing');
    expect(r.eTag).toMatch(/^"[0-9a-f]{8}-0000-0100-0000-[0-9a-f]{12}"$/);
    expect(created.headers.etag).toBe(r.eTag);
    expect(r.createdDateTime).toMatch(SEVEN_DIGITS);
    expect(r.updatedDateTime).toBe(r.createdDateTime);
    expect(r.acceptedDateTime).toBe(r.createdDateTime);
    expect(r.organizationId).toBeTruthy();
    expect(r.externalReferenceId).toBe('006000000000001AAA');
    expect(r.links.self.uri).toBe(`${h.pc.server.url}${REFERRALS}/${r.id}`);
    expect(decodeURIComponent(r.links.relatedReferrals.uri)).toContain(`$filter=engagementId eq '${r.engagementId}'`);
  });

  it('gives concurrent creates distinct stamps and eTags', async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => h.api('POST', REFERRALS, { body: referralBody() })));
    const stamps = answers.map((a) => a.json.createdDateTime as string).sort();
    expect(new Set(stamps).size).toBe(5);
    const eTags = new Set(answers.map((a) => a.json.eTag));
    expect(eTags.size).toBe(5);
  });

  it.each([
    ['customerProfile.address.country', { customerProfile: { name: 'X', address: { city: 'Paris' } } }],
    ['customerProfile.address.country', { customerProfile: { name: 'X', address: { country: 'France' } } }],
    ['name', { name: '' }],
    ['type', { type: 'Private' }],
    ['consent', { consent: undefined }],
    ['details', { details: null }],
    ['substatus', { status: 'Active', substatus: 'Won' }],
  ])('answers 400 invalidRequest naming %s when it is missing or wrong', async (target, change) => {
    const answer = await h.api('POST', REFERRALS, { body: referralBody(change) });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toEqual(expect.objectContaining({ code: 'invalidRequest', target }));
  });

  it('answers unreadable JSON with 400 invalidRequest', async () => {
    const answer = await h.api('POST', REFERRALS, { body: '{"name": ' });
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe('invalidRequest');
  });

  it('gets a referral by id with the entity context, and 404 itemNotFound for an unknown id', async () => {
    const created = (await h.api('POST', REFERRALS, { body: referralBody() })).json;
    const got = await h.api('GET', `${REFERRALS}/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.json['@odata.context']).toMatch(/\$metadata#Referrals\/\$entity$/);
    expect(got.json.eTag).toBe(created.eTag);
    const missing = await h.api('GET', `${REFERRALS}/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('itemNotFound');
    // Partner Center docs, "Referrals API introduction": some doc samples misspell the path; the service has nothing there.
    const misspelled = await h.api('GET', '/v1.0/engagments/referrals');
    expect(misspelled.status).toBe(404);
    expect(misspelled.json.error.code).toBe('itemNotFound');
  });

  it('connects a Microsoft co-sell request to the partner referral by engagementId', async () => {
    const own = (await h.api('POST', REFERRALS, { body: referralBody({ type: 'Shared' }) })).json;
    const request = await h.api('POST', REFERRALS, {
      body: referralBody({
        type: 'Shared',
        engagementId: own.engagementId,
        target: [{ type: 'BusinessProfileLocation', id: 'msft' }],
        inviteContext: { notes: 'Please help', assistanceRequestCode: 'ProofOfConceptOrDemo' },
      }),
    });
    expect(request.status).toBe(201);
    expect(request.json.engagementId).toBe(own.engagementId);
    expect(request.json.status).toBe('New');
    expect(request.json.substatus).toBe('Pending');
    const unknown = await h.api('POST', REFERRALS, { body: referralBody({ engagementId: '11111111-1111-4111-8111-111111111111' }) });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.target).toBe('engagementId');
  });
});

describe('Partner Center emulator: injected faults answer in the Partner API shape', () => {
  it('answers 429 with Retry-After and the documented throttling body', async () => {
    const h = await startHarness();
    try {
      const set = await fetch(`${h.pc.server.url}/_control/faults`, {
        method: 'PUT',
        body: JSON.stringify([{ method: 'GET', path: '^/v1\\.0/engagements/referrals$', errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 }]),
      });
      expect(set.status).toBe(204);
      const throttled = await h.api('GET', REFERRALS);
      expect(throttled.status).toBe(429);
      expect(throttled.headers['retry-after']).toBe('7');
      expect(throttled.json).toEqual({ statusCode: 429, message: expect.stringContaining('Rate limit is exceeded') });
      expect((await h.api('POST', REFERRALS, { body: referralBody() })).status).toBe(201);
    } finally {
      await h.close();
    }
  });
});

describe('Partner Center emulator: roles and MS-RequestId', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ options: { referralUserUpns: ['quinn.rossi@partner.example'], honorMsRequestId: true } });
  });
  afterAll(() => h.close());

  it('lets a Referral User read only the deals whose team includes them, and write nothing', async () => {
    const theirs = (await h.api('POST', REFERRALS, { body: referralBody({ team: [{ firstName: 'Quinn', lastName: 'Rossi', email: 'Quinn.Rossi@partner.example' }] }) })).json;
    const other = (await h.api('POST', REFERRALS, { body: referralBody() })).json;
    const seller = { Authorization: `Bearer ${await h.tokenAs('quinn.rossi@partner.example')}` };
    const listed = await h.api('GET', REFERRALS, { headers: seller });
    expect(listed.json.value.map((r: { id: string }) => r.id)).toEqual([theirs.id]);
    expect(listed.json['@odata.count']).toBe(1);
    expect((await h.api('GET', `${REFERRALS}/${other.id}`, { headers: seller })).status).toBe(404);
    expect((await h.api('GET', `${REFERRALS}/${theirs.id}`, { headers: seller })).status).toBe(200);
    const write = await h.api('PATCH', `${REFERRALS}/${theirs.id}`, { headers: seller, body: [{ op: 'replace', path: '/name', value: 'x' }] });
    expect(write.status).toBe(403);
    expect(write.json.error.code).toBe('accessDenied');
    expect((await h.api('POST', REFERRALS, { headers: seller, body: referralBody() })).status).toBe(403);
  });

  it('answers a retried create carrying the same MS-RequestId with the first referral', async () => {
    const headers = { 'MS-RequestId': 'b9f1d7c2-0000-4000-8000-000000000001' };
    const first = await h.api('POST', REFERRALS, { headers, body: referralBody({ externalReferenceId: 'RETRY-1' }) });
    const retry = await h.api('POST', REFERRALS, { headers, body: referralBody({ externalReferenceId: 'RETRY-1' }) });
    expect(retry.json.id).toBe(first.json.id);
    expect(h.pc.control.countByExternalReferenceId('RETRY-1')).toBe(1);
    await h.api('POST', REFERRALS, { headers: { 'MS-RequestId': 'another' }, body: referralBody({ externalReferenceId: 'RETRY-1' }) });
    expect(h.pc.control.countByExternalReferenceId('RETRY-1')).toBe(2);
  });
});

describe('Partner Center emulator: create answers 200 when so configured', () => {
  it('uses createStatus', async () => {
    const h = await startHarness({ options: { createStatus: 200 } });
    try {
      expect((await h.api('POST', REFERRALS, { body: referralBody() })).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
