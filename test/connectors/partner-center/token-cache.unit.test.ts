import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createDeviceCodeTokenProvider } from '../../../connectors/partner-center/auth/device-code.js';
import { decryptCache, encryptCache, parseCacheKey, TOKEN_CACHE_BLOB } from '../../../connectors/partner-center/auth/encrypted-cache.js';
import { openStore } from '../../../src/store/open-store.js';
import type { StateStore } from '../../../src/store/types.js';
import { logSink } from './support/harness.js';

const AUTHORITY = 'https://login.microsoftonline.com';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = '4990cffe-04e8-4e8b-808a-1175604b879f';
const KEY = parseCacheKey('a'.repeat(64));

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const idToken = (): string =>
  [b64url({ alg: 'none', typ: 'JWT' }), b64url({ aud: CLIENT_ID, iss: `${AUTHORITY}/${TENANT}/v2.0`, tid: TENANT, oid: 'u-1', sub: 's-1', preferred_username: 'referral.admin@contoso.example', name: 'Referral Admin', iat: 1, nbf: 1, exp: 4102444800 }), ''].join('.');
const tokenBody = (access: string, refresh: string): Record<string, unknown> => ({
  token_type: 'Bearer',
  scope: 'https://api.partner.microsoft.com/.default',
  expires_in: 3600,
  ext_expires_in: 3600,
  access_token: access,
  refresh_token: refresh,
  id_token: idToken(),
  client_info: b64url({ uid: 'u-1', utid: TENANT }),
});

function deviceCodeLogin(access: string, refresh: string): void {
  nock(AUTHORITY)
    .post(`/${TENANT}/oauth2/v2.0/devicecode`)
    .query(true)
    .reply(200, { user_code: 'ABCD-EFGH', device_code: 'dc-1', verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 0, message: 'To sign in, open https://microsoft.com/devicelogin and enter the code ABCD-EFGH.' })
    .post(`/${TENANT}/oauth2/v2.0/token`, (body: Record<string, string>) => body.device_code === 'dc-1')
    .query(true)
    .reply(200, tokenBody(access, refresh));
}

const provider = (store: StateStore, logger = logSink().logger) =>
  createDeviceCodeTokenProvider({ clientId: CLIENT_ID, authority: `${AUTHORITY}/${TENANT}` }, { store, cacheKey: KEY, logger });

let store: StateStore;
beforeAll(() => nock.disableNetConnect());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
beforeEach(async () => {
  store = await openStore({ kind: 'sqlite', path: ':memory:' });
});
afterEach(async () => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
  await store.close();
});

describe('encrypted token cache', () => {
  it('round-trips, and refuses another key', () => {
    const blob = encryptCache('{"secret":"x"}', KEY);
    expect(decryptCache(blob, KEY)).toBe('{"secret":"x"}');
    expect(() => decryptCache(blob, parseCacheKey(Buffer.alloc(32, 7).toString('base64')))).toThrow();
    expect(() => parseCacheKey('too-short')).toThrow(/32 bytes/);
  });

  it('logs in by device code, stores the cache encrypted, and serves tokens after a restart', async () => {
    deviceCodeLogin('access-token-1', 'refresh-token-1');
    const messages: string[] = [];
    const first = provider(store);
    const who = await first.loginWithDeviceCode({ onCode: (m) => messages.push(m) });
    expect(who.username).toBe('referral.admin@contoso.example');
    expect(messages[0]).toContain('ABCD-EFGH');

    const blob = await store.getBlob(TOKEN_CACHE_BLOB);
    expect(blob).not.toBeNull();
    const raw = blob?.toString('latin1') ?? '';
    expect(raw).not.toContain('access-token-1');
    expect(raw).not.toContain('refresh-token-1');
    expect(decryptCache(blob ?? Buffer.alloc(0), KEY)).toContain('refresh-token-1');

    // A restart: a new provider over the same store answers from the cache, no network.
    const second = provider(store);
    await expect(second.getToken('referrals')).resolves.toBe('access-token-1');

    // A forced refresh redeems the refresh token.
    nock(AUTHORITY)
      .post(`/${TENANT}/oauth2/v2.0/token`, (body: Record<string, string>) => body.grant_type === 'refresh_token' && body.refresh_token === 'refresh-token-1')
      .query(true)
      .reply(200, tokenBody('access-token-2', 'refresh-token-2'));
    await expect(second.getToken('referrals', { forceRefresh: true })).resolves.toBe('access-token-2');
    expect(second.health().state).toBe('ok');
  });

  it('says plainly when the refresh token is dead, logs it once, and recovers after a new login', async () => {
    deviceCodeLogin('access-token-1', 'refresh-token-1');
    await provider(store).loginWithDeviceCode({ onCode: () => undefined });
    const sink = logSink();
    const daemon = provider(store, sink.logger);
    nock(AUTHORITY)
      .post(`/${TENANT}/oauth2/v2.0/token`)
      .query(true)
      .times(2)
      .reply(400, { error: 'invalid_grant', error_description: 'AADSTS50173: The provided grant has expired due to it being revoked.', error_codes: [50173], suberror: 'bad_token' });
    await expect(daemon.getToken('referrals', { forceRefresh: true })).rejects.toMatchObject({ kind: 'auth' });
    await expect(daemon.getToken('referrals', { forceRefresh: true })).rejects.toMatchObject({ kind: 'auth' });
    expect(daemon.health()).toMatchObject({ state: 'authFailed' });
    expect(daemon.health().detail).toContain('cosell-sync auth login');
    const errors = sink.lines().filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.msg)).toContain('cosell-sync auth login');
    expect(sink.text()).not.toContain('refresh-token-1');

    // Someone runs `cosell-sync auth login` (another process, same store).
    deviceCodeLogin('access-token-9', 'refresh-token-9');
    await provider(store).loginWithDeviceCode({ onCode: () => undefined });
    await expect(daemon.getToken('referrals')).resolves.toBe('access-token-9');
    expect(daemon.health().state).toBe('ok');
  });

  it('is authFailed, not crashed, when nobody has signed in', async () => {
    const daemon = provider(store);
    await expect(daemon.getToken('webhooks')).rejects.toMatchObject({ kind: 'auth' });
    expect(daemon.health().detail).toContain('nobody is signed in');
  });
});
