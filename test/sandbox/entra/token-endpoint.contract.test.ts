import { createPublicKey, createVerify, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEntraEmulator } from '../../../sandbox/entra/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { form, httpRequest } from '../partner-center/harness.js';

const TENANT = '11111111-2222-4333-8444-555555555555';

describe('Entra emulator token endpoint over HTTP', () => {
  const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
  let entra: Awaited<ReturnType<typeof startEntraEmulator>>;
  const post = (path: string, values: Record<string, string>) =>
    httpRequest({ method: 'POST', url: `${entra.server.url}/${TENANT}/oauth2/v2.0/${path}`, ...form(values) });
  const startDeviceCode = async (scope = 'https://api.partner.microsoft.com/.default offline_access openid') =>
    (await post('devicecode', { client_id: 'cli', scope })).json as { device_code: string; user_code: string; interval: number };
  const redeem = (deviceCode: string) => post('token', { client_id: 'cli', grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode });

  beforeAll(async () => {
    entra = await startEntraEmulator({ clock, tenantId: TENANT, refreshLifetimeSeconds: 86_400, deviceCodeIntervalSeconds: 1 });
  });
  afterAll(() => entra.server.close());

  it('publishes OpenID metadata and keys that verify the tokens it issues', async () => {
    const config = (await httpRequest({ method: 'GET', url: `${entra.server.url}/${TENANT}/v2.0/.well-known/openid-configuration` })).json;
    expect(config.token_endpoint).toBe(`${entra.server.url}/${TENANT}/oauth2/v2.0/token`);
    expect(config.device_authorization_endpoint).toBe(`${entra.server.url}/${TENANT}/oauth2/v2.0/devicecode`);
    expect(config.issuer).toBe(`${entra.server.url}/${TENANT}/v2.0`);
    const token = (await post('token', { client_id: 'app', client_secret: 's', grant_type: 'client_credentials', scope: 'https://api.partner.microsoft.com/.default' })).json
      .access_token as string;
    const [header = '', payload = '', signature = ''] = token.split('.');
    const keys = (await httpRequest({ method: 'GET', url: config.jwks_uri })).json.keys as (JsonWebKey & { kid: string })[];
    const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { kid: string };
    const jwk = keys.find((k) => k.kid === kid);
    if (!jwk) throw new Error('signing key not published');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    expect(createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(key, Buffer.from(signature, 'base64url'))).toBe(true);
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    expect(claims).toEqual(expect.objectContaining({ aud: 'https://api.partner.microsoft.com', tid: TENANT, appid: 'app' }));
    expect(claims.exp - claims.iat).toBe(3600);
  });

  it('answers authorization_pending until the code is approved, then issues user, id and refresh tokens once', async () => {
    const code = await startDeviceCode();
    const pending = await redeem(code.device_code);
    expect(pending.status).toBe(400);
    expect(pending.json.error).toBe('authorization_pending');
    const approve = await httpRequest({
      method: 'POST',
      url: `${entra.server.url}/_control/entra/device-codes/approve`,
      body: { userCode: code.user_code, upn: 'seller@partner.example' },
    });
    expect(approve.json.approved).toBe(true);
    const tokens = await redeem(code.device_code);
    expect(tokens.status).toBe(200);
    expect(tokens.json).toEqual(expect.objectContaining({ token_type: 'Bearer', expires_in: 3600 }));
    expect(tokens.json.refresh_token).toBeTruthy();
    const claims = entra.tokenValidator(tokens.json.access_token, 'https://api.partner.microsoft.com');
    expect(claims).toEqual(expect.objectContaining({ upn: 'seller@partner.example', tid: TENANT }));
    expect(claims?.oid).toMatch(/^[0-9a-f-]{36}$/);
    const idToken = JSON.parse(Buffer.from(String(tokens.json.id_token).split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(idToken).toEqual(expect.objectContaining({ aud: 'cli', preferred_username: 'seller@partner.example', oid: claims?.oid }));
    expect((await redeem(code.device_code)).json.error).toBe('invalid_grant');
  });

  it('expires an unused device code on the sandbox clock', async () => {
    const code = await startDeviceCode();
    clock.advance(16 * 60_000);
    expect((await redeem(code.device_code)).json.error).toBe('expired_token');
  });

  it('expires access tokens on the sandbox clock, and refreshes them with the refresh token', async () => {
    const code = await startDeviceCode();
    entra.control.approveDeviceCode({ userCode: code.user_code });
    const first = (await redeem(code.device_code)).json;
    clock.advance(3601_000);
    expect(entra.tokenValidator(first.access_token, 'https://api.partner.microsoft.com')).toBeNull();
    const refreshed = await post('token', { client_id: 'cli', grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(entra.tokenValidator(refreshed.json.access_token, 'https://api.partner.microsoft.com')).not.toBeNull();
    // A refresh token can serve another resource, as Entra's multi-resource refresh tokens do.
    const dataverse = await post('token', {
      client_id: 'cli',
      grant_type: 'refresh_token',
      refresh_token: refreshed.json.refresh_token,
      scope: 'https://contoso.crm.dynamics.com//.default offline_access',
    });
    expect(entra.tokenValidator(dataverse.json.access_token, 'https://contoso.crm.dynamics.com')).not.toBeNull();
    clock.advance(86_401_000);
    const stale = await post('token', { client_id: 'cli', grant_type: 'refresh_token', refresh_token: dataverse.json.refresh_token });
    expect(stale.json.error_codes).toEqual([700082]);
  });

  it('answers invalid_grant with AADSTS50173 after the user is revoked (password change)', async () => {
    const code = await startDeviceCode();
    entra.control.approveDeviceCode({ userCode: code.user_code, upn: 'revoked@partner.example' });
    const first = (await redeem(code.device_code)).json;
    const revoke = await httpRequest({ method: 'POST', url: `${entra.server.url}/_control/entra/users/revoke`, body: { upn: 'revoked@partner.example' } });
    expect(revoke.json.revoked).toBe(1);
    const refused = await post('token', { client_id: 'cli', grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe('invalid_grant');
    expect(refused.json.error_codes).toEqual([50173]);
    expect(refused.json.error_description).toMatch(/^AADSTS50173: /);
  });

  it.each([
    [{ grant_type: 'implicit', client_id: 'app' }, 'unsupported_grant_type'],
    [{ grant_type: 'client_credentials', client_secret: 's', scope: 'https://api.partner.microsoft.com/.default' }, 'invalid_request'],
    [{ grant_type: 'client_credentials', client_id: 'app', scope: 'https://api.partner.microsoft.com/.default' }, 'invalid_client'],
    [{ grant_type: 'client_credentials', client_id: 'app', client_secret: 's', scope: 'https://api.partner.microsoft.com/user_impersonation' }, 'invalid_scope'],
    [{ grant_type: 'client_credentials', client_id: 'app', client_secret: 's', scope: 'https://a.example/.default https://b.example/.default' }, 'invalid_scope'],
    [{ grant_type: 'refresh_token', client_id: 'app', refresh_token: 'made-up' }, 'invalid_grant'],
  ])('refuses %o with %s', async (values, error) => {
    const answer = await post('token', values as Record<string, string>);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.json.error).toBe(error);
    expect(answer.json.error_description).toMatch(/^AADSTS\d+: /);
  });

  it('lists the tokens it issued without the tokens themselves', async () => {
    const list = (await httpRequest({ method: 'GET', url: `${entra.server.url}/_control/entra/tokens` })).json as Record<string, unknown>[];
    expect(list.length).toBeGreaterThan(3);
    expect(list[0]).toEqual(expect.objectContaining({ grant: 'client_credentials', clientId: 'app', audience: 'https://api.partner.microsoft.com' }));
    expect(JSON.stringify(list)).not.toMatch(/eyJ/);
  });
});

describe('Entra emulator with registered clients', () => {
  it('refuses unknown clients and wrong secrets', async () => {
    const entra = await startEntraEmulator({ clock: new SandboxClock(), clients: [{ clientId: 'daemon', clientSecret: 'right' }] });
    try {
      const ask = (values: Record<string, string>) =>
        httpRequest({ method: 'POST', url: `${entra.server.url}/common/oauth2/v2.0/token`, ...form({ grant_type: 'client_credentials', scope: 'https://x.example/.default', ...values }) });
      expect((await ask({ client_id: 'other', client_secret: 'right' })).json.error).toBe('unauthorized_client');
      const wrong = await ask({ client_id: 'daemon', client_secret: 'wrong' });
      expect(wrong.status).toBe(401);
      expect(wrong.json.error_codes).toEqual([7000215]);
      expect((await ask({ client_id: 'daemon', client_secret: 'right' })).status).toBe(200);
    } finally {
      await entra.server.close();
    }
  });
});

describe('Entra emulator: the password (ROPC) grant of the documented sample', () => {
  const ropc = (url: string, password: string) =>
    httpRequest({
      method: 'POST',
      url: `${url}/common/oauth2/token`,
      ...form({ grant_type: 'password', client_id: 'app', resource: 'https://api.partner.microsoft.com', scope: 'openid', username: 'admin@partner.example', password }),
    });

  it('refuses it for MFA by default (AADSTS50076), and checks the password', async () => {
    const entra = await startEntraEmulator({ clock: new SandboxClock(), users: [{ upn: 'admin@partner.example', password: 'pw' }] });
    try {
      const mfa = await ropc(entra.server.url, 'pw');
      expect(mfa.json.error).toBe('invalid_grant');
      expect(mfa.json.error_codes).toEqual([50076]);
      expect((await ropc(entra.server.url, 'wrong')).json.error_codes).toEqual([50126]);
    } finally {
      await entra.server.close();
    }
  });

  it('issues a token for the resource when the tenant allows it', async () => {
    const entra = await startEntraEmulator({ clock: new SandboxClock(), passwordGrant: 'allowed', users: [{ upn: 'admin@partner.example', password: 'pw' }] });
    try {
      const answer = await ropc(entra.server.url, 'pw');
      expect(answer.status).toBe(200);
      expect(entra.tokenValidator(answer.json.access_token, 'https://api.partner.microsoft.com')?.upn).toBe('admin@partner.example');
    } finally {
      await entra.server.close();
    }
  });
});
