import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import https from 'node:https';
import jsforce from 'jsforce';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert } from '../../../sandbox/shared/tls.js';
import { INTEGRATION_USERNAME, startSalesforceEmulator } from '../../../sandbox/salesforce/index.js';
import { startFixture, type Fixture } from './emulator-fixture.js';

let fx: Fixture;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

beforeAll(async () => {
  fx = await startFixture({ size: 5, options: { sessionTtlMs: 60_000, dailyApiLimit: 50 } });
  const res = await fetch(`${fx.server.url}/_control/salesforce/jwt-keys`, {
    method: 'POST',
    body: JSON.stringify({ publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }) }),
  });
  expect(res.status).toBe(204);
});
afterAll(async () => fx.close());

function jwt(claims: Record<string, unknown>, key: KeyObject = keys.privateKey, alg = 'RS256'): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const data = `${part({ alg })}.${part(claims)}`;
  return `${data}.${sign('RSA-SHA256', Buffer.from(data), key).toString('base64url')}`;
}

function claims(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss: 'cosell-sandbox', sub: INTEGRATION_USERNAME, aud: 'https://login.salesforce.com', exp: Math.floor(fx.clock.now().getTime() / 1000) + 180, ...over };
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('token endpoint', () => {
  it('grants a JWT bearer assertion signed with the registered key', async () => {
    const res = await fx.token({ grant_type: JWT_GRANT, assertion: jwt(claims()) });
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json;charset=UTF-8');
    expect(res.body).toMatchObject({
      access_token: expect.any(String),
      instance_url: fx.server.url,
      id: `${fx.server.url}/id/${fx.control.orgId}/${fx.control.integrationUser.id}`,
      token_type: 'Bearer',
      issued_at: expect.stringMatching(/^\d{13}$/),
      signature: expect.any(String),
    });
    expect(res.body['refresh_token']).toBeUndefined();
    const conn = new jsforce.Connection({ instanceUrl: String(res.body['instance_url']), accessToken: String(res.body['access_token']), version: '60.0' });
    expect((await conn.query('SELECT Id FROM User')).totalSize).toBeGreaterThan(1);
  });

  it.each([
    ['a foreign signature', () => jwt(claims(), otherKeys.privateKey), 'invalid_grant'],
    ['the My Domain audience', () => jwt(claims({ aud: 'https://cosell.my.salesforce.com' })), 'invalid_grant'],
    ['an expired exp', () => jwt(claims({ exp: Math.floor(fx.clock.now().getTime() / 1000) - 600 })), 'invalid_grant'],
    ['HS256', () => jwt(claims(), keys.privateKey, 'HS256'), 'invalid_grant'],
    ['an unknown user', () => jwt(claims({ sub: 'nobody@example.com' })), 'invalid_grant'],
    ['an unknown client', () => jwt(claims({ iss: 'someone-else' })), 'invalid_client_id'],
    ['garbage', () => 'not.a.jwt', 'invalid_grant'],
  ])('refuses %s with 400 %s', async (_what, assertion, error) => {
    const res = await fx.token({ grant_type: JWT_GRANT, assertion: assertion() });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error, error_description: expect.any(String) });
  });

  it('accepts the token URL as audience and a string exp', async () => {
    const exp = String(Math.floor(fx.clock.now().getTime() / 1000) + 120);
    const res = await fx.token({ grant_type: JWT_GRANT, assertion: jwt(claims({ aud: 'https://login.salesforce.com/services/oauth2/token', exp })) });
    expect(res.status).toBe(200);
  });

  it('grants client credentials in the body or as Basic auth, and refuses a wrong secret', async () => {
    const body = await fx.token({ grant_type: 'client_credentials', client_id: 'cosell-sandbox', client_secret: fx.control.clientSecret });
    expect(body.status).toBe(200);
    const basic = Buffer.from(`cosell-sandbox:${fx.control.clientSecret}`).toString('base64');
    const viaHeader = await fx.token({ grant_type: 'client_credentials' }, { Authorization: `Basic ${basic}` });
    expect(viaHeader.status).toBe(200);
    const wrong = await fx.token({ grant_type: 'client_credentials', client_id: 'cosell-sandbox', client_secret: 'nope' });
    expect([wrong.status, wrong.body['error']]).toEqual([400, 'invalid_client']);
    const unknown = await fx.token({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' });
    expect(unknown.body['error']).toBe('invalid_client_id');
    const unsupported = await fx.token({ grant_type: 'password', username: 'a', password: 'b' });
    expect(unsupported.body['error']).toBe('unsupported_grant_type');
  });

  it('redeems a refresh token', async () => {
    const refresh = fx.control.issueRefreshToken({});
    const res = await fx.token({ grant_type: 'refresh_token', refresh_token: refresh, client_id: 'cosell-sandbox', client_secret: fx.control.clientSecret });
    expect(res.status).toBe(200);
    const bad = await fx.token({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: 'cosell-sandbox' });
    expect([bad.status, bad.body['error']]).toEqual([400, 'invalid_grant']);
  });
});

describe('sessions and the API budget', () => {
  it('answers 401 INVALID_SESSION_ID once the session expires; jsforce refreshes through refreshFn and retries', async () => {
    let refreshes = 0;
    const conn = await fx.connect({
      refreshFn: (_conn, cb) => {
        refreshes += 1;
        fx.token({ grant_type: JWT_GRANT, assertion: jwt(claims()) }).then(
          (res) => cb(null, String(res.body['access_token'])),
          (error: Error) => cb(error),
        );
      },
    });
    await conn.query('SELECT Id FROM User LIMIT 1');
    fx.clock.advance(61_000);
    const res = await fetch(`${fx.server.url}/services/data/v60.0/limits`, { headers: { Authorization: `Bearer ${conn.accessToken ?? ''}` } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const result = await conn.query('SELECT Id FROM User LIMIT 1');
    expect(result.totalSize).toBe(1);
    expect(refreshes).toBe(1);
  });

  it('fails with INVALID_SESSION_ID without refreshFn after all sessions are expired', async () => {
    const conn = await fx.connect();
    fx.control.expireAllSessions();
    await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
  });

  it('refuses calls past the daily allocation with 403 REQUEST_LIMIT_EXCEEDED until the next day', async () => {
    const conn = await fx.connect();
    fx.control.setApiUsage(50);
    await expect(conn.query('SELECT Id FROM User')).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    const res = await fetch(`${fx.server.url}/services/data/v60.0/limits`, { headers: { Authorization: `Bearer ${conn.accessToken ?? ''}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=50/50');
    const now = fx.clock.now().getTime();
    fx.clock.advance(86_400_000 - (now % 86_400_000) + 1000);
    const fresh = await fx.connect();
    await fresh.query('SELECT Id FROM User LIMIT 1');
    expect(fresh.limitInfo.apiUsage).toEqual({ used: 1, limit: 50 });
  });

  it('puts the JSON content type and Sforce-Limit-Info on successes and errors alike', async () => {
    const conn = await fx.connect();
    const auth = { Authorization: `Bearer ${conn.accessToken ?? ''}` };
    for (const [path, status] of [
      ['/services/data/v60.0/sobjects', 200],
      ['/services/data/v60.0/query?q=SELECT+Nope+FROM+Account', 400],
      ['/services/data/v60.0/sobjects/Opportunity/006000000000000AAA', 404],
      ['/services/data/v99.0/sobjects', 404],
      ['/services/data/v60.0/nothing/here', 404],
    ] as const) {
      const res = await fetch(`${fx.server.url}${path}`, { headers: auth });
      expect([path, res.status, res.headers.get('content-type'), /^api-usage=\d+\/50$/.test(res.headers.get('sforce-limit-info') ?? '')]).toEqual([
        path,
        status,
        'application/json;charset=UTF-8',
        true,
      ]);
      const body: unknown = await res.json();
      if (status !== 200) expect(body).toEqual([expect.objectContaining({ errorCode: expect.any(String), message: expect.any(String) })]);
    }
  });
});

describe('TLS', () => {
  it('serves the same API over HTTPS with a sandbox CA', async () => {
    const ca = createSandboxCa();
    const tls = issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const clock = new SandboxClock(new Date('2024-03-10T12:00:00Z'));
    const { server, control } = await startSalesforceEmulator({ clock, seed: 1, size: 1, tls });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const body = await new Promise<string>((resolve, reject) => {
        const req = https.request(
          `${server.url}/services/oauth2/token`,
          { method: 'POST', ca: ca.cert, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end(new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cosell-sandbox', client_secret: control.clientSecret }).toString());
      });
      expect(JSON.parse(body)).toMatchObject({ instance_url: server.url, token_type: 'Bearer' });
    } finally {
      await server.close();
    }
  });
});
