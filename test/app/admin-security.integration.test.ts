import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { openStore } from '../../src/store/open-store.js';
import { ADMIN_TOKEN, BEARER, startAdminDaemon, type AdminDaemon } from './admin-daemon.js';
import { raw, setCookies, signIn } from './admin-http.js';
import { MINIMAL_ENV } from './helpers.js';

const FAILURE_KEY = 'salesforce:opportunity:006FAIL';

/** A held conflict on a link with no record on either side yet (resolving it writes to the store only) and a failed record. */
async function seed(dir: string): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(dir, 'state'), { recursive: true });
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'state/cosell.sqlite') });
  try {
    for (const note of ['first', 'second', 'third']) {
      const link = await store.saveLink({
        crmSystem: 'salesforce',
        crmKind: 'opportunity',
        crmId: null,
        referralId: null,
        engagementId: null,
        origin: 'crm',
        state: 'held',
        snapshot: { 'details.notes': 'base notes' },
        crmVersion: null,
        referralETag: null,
        respondBy: null,
      });
      await store.holdConflict({ linkId: link.id, path: 'details.notes', base: 'base notes', crmValue: `crm ${note}`, partnerCenterValue: `pc ${note}`, createdAt: '2026-12-06T10:00:00.000Z' });
    }
    await store.recordFailure({
      key: FAILURE_KEY,
      operation: 'outbound',
      reason: 'invalid: the referral refused the change',
      errorKind: 'invalid',
      payload: null,
      nextAttemptAt: '2027-12-08T00:00:00.000Z',
      lastFailedAt: '2026-12-06T00:00:00.000Z',
      failedAt: '2026-12-06T00:00:00.000Z',
    });
  } finally {
    await store.close();
  }
}

interface StatusJson {
  conflicts: { id: string; crmValue: string }[];
  failures: { key: string; nextAttemptAt: string }[];
}

describe('the admin surface is guarded', () => {
  let daemon: AdminDaemon;
  const status = async (): Promise<StatusJson> => (await (await fetch(`${daemon.admin}/status`, { headers: BEARER })).json()) as StatusJson;
  const openConflicts = async (): Promise<string[]> => (await status()).conflicts.map((c) => c.id);

  beforeAll(async () => {
    daemon = await startAdminDaemon({ prepare: seed });
  }, 60_000);
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
  });

  it('refuses an unauthenticated resolve and retry with 401, and changes nothing', async () => {
    const [id] = await openConflicts();
    const resolve = await fetch(`${daemon.admin}/conflicts/${id}/resolve`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ take: 'crm' }) });
    expect(resolve.status).toBe(401);
    expect(resolve.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const retry = await fetch(`${daemon.admin}/failures/${encodeURIComponent(FAILURE_KEY)}/retry`, { method: 'POST' });
    expect(retry.status).toBe(401);
    const wrongToken = await fetch(`${daemon.admin}/conflicts/${id}/resolve`, { method: 'POST', headers: { authorization: 'Bearer not-the-token', 'content-type': 'application/json' }, body: '{"take":"crm"}' });
    expect(wrongToken.status).toBe(401);
    for (const path of ['/status', '/metrics', '/']) expect({ path, status: (await fetch(`${daemon.admin}${path}`)).status }).toEqual({ path, status: 401 });
    const after = await status();
    expect(after.conflicts.map((c) => c.id)).toContain(id);
    expect(after.failures.find((f) => f.key === FAILURE_KEY)?.nextAttemptAt).toBe('2027-12-08T00:00:00.000Z');
  });

  it('sends a browser without a session to the sign-in page, and leaves /healthz and /readyz open', async () => {
    const page = await raw({ url: `${daemon.admin}/`, headers: { accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers['location']).toBe('/signin');
    expect((await fetch(`${daemon.admin}/healthz`)).status).toBe(200);
    expect((await fetch(`${daemon.admin}/readyz`)).status).toBe(200);
  });

  it('resolves through the JSON API with the bearer token', async () => {
    const [id] = await openConflicts();
    const resolved = await fetch(`${daemon.admin}/conflicts/${id}/resolve`, { method: 'POST', headers: { ...BEARER, 'content-type': 'application/json' }, body: JSON.stringify({ take: 'partnerCenter' }) });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({ id, resolution: 'partnerCenter' });
    expect(await openConflicts()).not.toContain(id);
  });

  it('refuses a cross-site form post even with a valid session cookie (403), and one without the CSRF token', async () => {
    const { cookie, csrf } = await signIn(daemon.admin, ADMIN_TOKEN);
    expect(csrf).not.toBe('');
    const [id] = await openConflicts();
    const form = (fields: Record<string, string>, headers: Record<string, string>) =>
      raw({ url: `${daemon.admin}/conflicts/${id}/resolve`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers }, body: new URLSearchParams(fields).toString() });
    // evil.example's page posting a form at the daemon: the browser sends the cookie (were it not SameSite) and an Origin.
    expect((await form({ take: 'crm', _csrf: csrf }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await form({ take: 'crm', _csrf: csrf }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await form({ take: 'crm' }, { origin: daemon.admin })).status).toBe(403);
    expect((await form({ take: 'crm', _csrf: 'a-token-of-another-session' }, { origin: daemon.admin })).status).toBe(403);
    // The bearer token does not make a form post acceptable either.
    expect((await form({ take: 'crm' }, { ...BEARER })).status).toBe(403);
    expect(await openConflicts()).toContain(id);
    // The page's own post: same origin, the session's token.
    const own = await form({ take: 'crm', _csrf: csrf }, { origin: daemon.admin });
    expect(own.status).toBe(303);
    expect(await openConflicts()).not.toContain(id);
  });

  it('retries a failure from the page session, with its CSRF token only', async () => {
    const { cookie, csrf } = await signIn(daemon.admin, ADMIN_TOKEN);
    const url = `${daemon.admin}/failures/${encodeURIComponent(FAILURE_KEY)}/retry`;
    const headers = { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: daemon.admin };
    expect((await raw({ url, method: 'POST', headers, body: '' })).status).toBe(403);
    expect((await raw({ url, method: 'POST', headers, body: new URLSearchParams({ _csrf: csrf }).toString() })).status).toBe(303);
    expect((await status()).failures.find((f) => f.key === FAILURE_KEY)?.nextAttemptAt).not.toBe('2027-12-08T00:00:00.000Z');
  });

  it('refuses a Host it does not answer to (DNS rebinding), even with the token', async () => {
    const port = new URL(daemon.admin).port;
    const rebound = await raw({ url: `${daemon.admin}/status`, headers: { ...BEARER, host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('server.allowedHosts');
    expect((await raw({ url: `${daemon.admin}/status`, headers: { ...BEARER, host: `localhost:${port}` } })).status).toBe(200);
  });

  it('sends the anti-framing, CSP, no-sniff and referrer headers on pages and refusals alike', async () => {
    const { cookie } = await signIn(daemon.admin, ADMIN_TOKEN);
    for (const response of [await raw({ url: `${daemon.admin}/`, headers: { cookie } }), await raw({ url: `${daemon.admin}/status` }), await raw({ url: `${daemon.admin}/signin` })]) {
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('sets the session cookie HttpOnly and SameSite=Strict, and refuses a sign-in post without the form token', async () => {
    const form = await raw({ url: `${daemon.admin}/signin` });
    expect(String(form.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const forged = await raw({ url: `${daemon.admin}/signin`, method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${ADMIN_TOKEN}` });
    expect(forged.status).toBe(403);
    expect(setCookies(forged.headers)['cosell_session']).toBeUndefined();
    const wrong = await raw({
      url: `${daemon.admin}/signin`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cosell_signin=${setCookies(form.headers)['cosell_signin'] ?? ''}` },
      body: new URLSearchParams({ _csrf: setCookies(form.headers)['cosell_signin'] ?? '', token: 'guess' }).toString(),
    });
    expect(wrong.status).toBe(401);
  });
});

describe('the admin token when none is configured', () => {
  it('is generated once, kept 0600 beside the store, and named in the log by its path only', async () => {
    const first = await startAdminDaemon({ env: MINIMAL_ENV });
    try {
      const file = join(first.dir, 'state/admin-token');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const kept = readFileSync(file, 'utf8').trim();
      expect(kept.length).toBeGreaterThanOrEqual(32);
      const said = first.log.lines().find((line) => String(line['msg']).includes('admin token was generated'));
      expect(said?.['tokenFile']).toBe(file);
      expect(JSON.stringify(first.log.lines())).not.toContain(kept);
      expect((await fetch(`${first.admin}/status`, { headers: { authorization: `Bearer ${kept}` } })).status).toBe(200);
      expect((await fetch(`${first.admin}/status`)).status).toBe(401);
    } finally {
      await first.stop();
    }
  });
});
