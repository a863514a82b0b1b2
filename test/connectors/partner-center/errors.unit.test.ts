import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { isConnectorError } from '../../../connectors/errors.js';
import type { ConnectorError } from '../../../connectors/errors.js';
import { BASE, PATH, makeConnector } from './support/harness.js';
import { wireReferral } from './support/fixtures.js';

const ID = '7f1c2b9e-3d4a-4e5f-9a1b-2c3d4e5f6a7b';

async function caught(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    if (isConnectorError(e)) return e;
    throw e;
  }
  throw new Error('expected a ConnectorError');
}

beforeAll(() => nock.disableNetConnect());
// nock patches the shared http module: undo it so later test files in this worker start clean.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('Partner Center error classification', () => {
  it('turns a 400 into invalid with the server message, cut to 1024 characters', async () => {
    const { connector } = makeConnector();
    const long = `customerProfile.address.country is required. ${'x'.repeat(2000)}`;
    nock(BASE).patch(`${PATH}/${ID}`).reply(400, { error: { code: 'invalidRequest', message: long, target: 'referral' } });
    const e = await caught(connector.updateReferral({ id: ID, eTag: '"1"', patch: [{ op: 'replace', path: '/name', value: 'n' }] }));
    expect(e.kind).toBe('invalid');
    expect(e.vendorCode).toBe('invalidRequest');
    expect(e.message.startsWith('customerProfile.address.country is required.')).toBe(true);
    expect(e.message).toHaveLength(1024);
  });

  it('answers null for a referral that does not exist (404)', async () => {
    const { connector } = makeConnector();
    nock(BASE).get(`${PATH}/${ID}`).reply(404, { error: { code: 'itemNotFound', message: 'Referral not found' } });
    await expect(connector.getReferral(ID)).resolves.toBeNull();
  });

  it('turns a 412 on update into a conflict and sends If-Match and Prefer', async () => {
    const { connector } = makeConnector();
    nock(BASE)
      .patch(`${PATH}/${ID}`)
      .matchHeader('if-match', '"84001c9d-0000-0100-0000-6225a63e0000"')
      .matchHeader('prefer', 'return=representation')
      .reply(412, { error: { code: 'preconditionFailed', message: 'The resource has been modified' } });
    const e = await caught(
      connector.updateReferral({ id: ID, eTag: '"84001c9d-0000-0100-0000-6225a63e0000"', patch: [{ op: 'replace', path: '/details/dealValue', value: 10 }] }),
    );
    expect(e.kind).toBe('conflict');
    expect(e.status).toBe(412);
    expect(e.vendorCode).toBe('preconditionFailed');
  });

  it('turns a 409 into a conflict', async () => {
    const { connector } = makeConnector();
    nock(BASE).patch(`${PATH}/${ID}`).reply(409, { error: { code: 'resourceModified', message: 'conflict' } });
    const e = await caught(connector.updateReferral({ id: ID, eTag: '"1"', patch: [{ op: 'replace', path: '/name', value: 'n' }] }));
    expect(e.kind).toBe('conflict');
  });

  it('waits exactly the Retry-After of a 429, then succeeds', async () => {
    const { connector, clock } = makeConnector();
    nock(BASE)
      .get(`${PATH}/${ID}`)
      .reply(429, { statusCode: 429, message: 'Rate limit is exceeded. Try again in 57 seconds.' }, { 'Retry-After': '57' })
      .get(`${PATH}/${ID}`)
      .reply(200, wireReferral());
    const r = await connector.getReferral(ID);
    expect(r?.id).toBe(ID);
    expect(clock.sleeps).toContain(57_000);
  });

  it('pauses every caller after a 429 and reports it in health', async () => {
    const { connector } = makeConnector({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, retryUnknownOutcome: true } });
    nock(BASE).get(`${PATH}/${ID}`).reply(429, { statusCode: 429, message: 'Rate limit is exceeded. Try again in 30 seconds.' }, { 'Retry-After': '30' });
    const e = await caught(connector.getReferral(ID));
    expect(e.kind).toBe('rateLimited');
    expect(e.retryAfterMs).toBe(30_000);
    const health = connector.health();
    expect(health.state).toBe('paused');
    expect(health.pausedUntil).toBe('2024-03-07T07:00:30.000Z');
  });

  it('holds back the next caller until the shared pause of a 429 is over', async () => {
    const { connector, clock } = makeConnector({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, retryUnknownOutcome: true } });
    nock(BASE)
      .get(`${PATH}/${ID}`)
      .reply(429, { statusCode: 429, message: 'Rate limit is exceeded. Try again in 30 seconds.' }, { 'Retry-After': '30' })
      .get(`${PATH}/other`)
      .reply(200, wireReferral({ id: 'other' }));
    await expect(connector.getReferral(ID)).rejects.toMatchObject({ kind: 'rateLimited' });
    const before = clock.now().getTime();
    expect((await connector.getReferral('other'))?.id).toBe('other');
    expect(clock.now().getTime() - before).toBe(30_000);
  });

  it('treats 503 as rate limited and 500 as transient, both retried', async () => {
    const { connector, clock } = makeConnector();
    nock(BASE)
      .get(`${PATH}/${ID}`)
      .reply(503, { error: { code: 'serviceNotAvailable', message: 'busy' } }, { 'Retry-After': '5' })
      .get(`${PATH}/${ID}`)
      .reply(500, { error: { code: 'generalException', message: 'oops' } })
      .get(`${PATH}/${ID}`)
      .reply(200, wireReferral());
    expect((await connector.getReferral(ID))?.id).toBe(ID);
    expect(clock.sleeps[0]).toBe(5000);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('gives up on a persistent 5xx with a transient error', async () => {
    const { connector } = makeConnector({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, retryUnknownOutcome: true } });
    nock(BASE).get(`${PATH}/${ID}`).times(2).reply(502, 'Bad Gateway');
    const e = await caught(connector.getReferral(ID));
    expect(e.kind).toBe('transient');
    expect(e.message).toBe('Bad Gateway');
  });

  it('refreshes the token once on a 401 and retries with the new token', async () => {
    const { connector, tokens } = makeConnector();
    nock(BASE)
      .get(`${PATH}/${ID}`)
      .matchHeader('authorization', 'Bearer token-0')
      .reply(401, { error: { code: 'unauthenticated', message: 'token expired' } })
      .get(`${PATH}/${ID}`)
      .matchHeader('authorization', 'Bearer token-1')
      .reply(200, wireReferral());
    expect((await connector.getReferral(ID))?.id).toBe(ID);
    expect(tokens.refreshes).toBe(1);
  });

  it('reports auth after the one refresh still gets a 401', async () => {
    const { connector, tokens } = makeConnector();
    nock(BASE).get(`${PATH}/${ID}`).times(2).reply(401, { error: { code: 'unauthenticated', message: 'no' } });
    const e = await caught(connector.getReferral(ID));
    expect(e.kind).toBe('auth');
    expect(tokens.refreshes).toBe(1);
  });

  it('sends a correlation id on every call and a new client-request-id per request', async () => {
    const { connector } = makeConnector();
    const seen: { corr: string; client: string }[] = [];
    const scope = nock(BASE).get(`${PATH}/${ID}`).reply(500, '').get(`${PATH}/${ID}`).reply(200, wireReferral());
    scope.on('request', (req: Request) => {
      seen.push({ corr: String(req.headers.get('ms-correlationid')), client: String(req.headers.get('client-request-id')) });
    });
    await connector.getReferral(ID);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.corr).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen[1]?.corr).toBe(seen[0]?.corr);
    expect(seen[1]?.client).not.toBe(seen[0]?.client);
  });

  it('uses the run id the engine gives as MS-CorrelationId', async () => {
    const { connector } = makeConnector({}, { correlationId: () => 'run-2024-03-07-0700' });
    nock(BASE).get(`${PATH}/${ID}`).matchHeader('ms-correlationid', 'run-2024-03-07-0700').reply(200, wireReferral());
    expect((await connector.getReferral(ID))?.id).toBe(ID);
  });

  it('keeps MS-RequestId across the retries of one write', async () => {
    const { connector } = makeConnector();
    const ids: string[] = [];
    const scope = nock(BASE).patch(`${PATH}/${ID}`).reply(503, '', { 'Retry-After': '1' }).patch(`${PATH}/${ID}`).reply(200, wireReferral());
    scope.on('request', (req: Request) => ids.push(String(req.headers.get('ms-requestid'))));
    await connector.updateReferral({ id: ID, eTag: '"1"', patch: [{ op: 'replace', path: '/name', value: 'n' }] });
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).toBe(ids[0]);
  });

  it('turns a timeout on a read into a transient error after the retries', async () => {
    const { connector } = makeConnector({ timeoutMs: 50, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, retryUnknownOutcome: true } });
    nock(BASE).get(`${PATH}/${ID}`).delay(500).reply(200, wireReferral());
    const e = await caught(connector.getReferral(ID));
    expect(e.kind).toBe('transient');
    expect(e.vendorCode).toBe('timeout');
    expect(e.outcomeUnknown).toBe(false);
  });
});
