/**
 * The acceptance path of delegated sign-in: a device-code login against the sandbox token service (TLS, with
 * the sandbox CA through msal's custom network client), a restart of the daemon (store closed
 * and reopened), a silent refresh, a revoked sign-in that shouts, and recovery after a new login.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeviceCodeTokenProvider } from '../../../connectors/partner-center/auth/device-code.js';
import { parseCacheKey, TOKEN_CACHE_BLOB } from '../../../connectors/partner-center/auth/encrypted-cache.js';
import { createMsalNetworkClient } from '../../../connectors/partner-center/auth/network-client.js';
import { startEntraEmulator } from '../../../sandbox/entra/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert } from '../../../sandbox/shared/tls.js';
import { openStore } from '../../../src/store/open-store.js';
import type { StateStore } from '../../../src/store/types.js';
import { logSink } from './support/harness.js';

const KEY = parseCacheKey(Buffer.alloc(32, 3).toString('base64'));
const UPN = 'referral.admin@partner.example';

let entra: Awaited<ReturnType<typeof startEntraEmulator>>;
let ca: { cert: string; key: string };
let dir: string;
let clock: SandboxClock;

beforeAll(async () => {
  ca = createSandboxCa();
  clock = new SandboxClock(new Date('2026-03-02T09:00:00.000Z'));
  entra = await startEntraEmulator({ clock, tls: issueServerCert(ca, { hosts: ['127.0.0.1'] }), deviceCodeIntervalSeconds: 0, users: [{ upn: UPN }] });
  dir = mkdtempSync(join(tmpdir(), 'pc-auth-'));
});
afterAll(async () => {
  await entra.server.close();
  rmSync(dir, { recursive: true, force: true });
});

function daemon(store: StateStore, logger = logSink().logger) {
  const networkClient = createMsalNetworkClient({ ca: ca.cert });
  const tokens = createDeviceCodeTokenProvider(
    { clientId: 'cosell-sync', authority: entra.control.authority() },
    { store, cacheKey: KEY, logger, networkClient },
  );
  return { tokens, close: () => networkClient.close() };
}

/** What a person does with the code: enter it and sign in (through the emulator's control API). */
function approveWhenShown(messages: string[], upn = UPN) {
  return (message: string): void => {
    messages.push(message);
    const pending = entra.control.pendingDeviceCodes();
    for (const p of pending) entra.control.approveDeviceCode({ userCode: p.userCode, upn });
  };
}

describe('device-code login, restart and silent refresh against the sandbox token service', () => {
  it('keeps working across a restart and refreshes silently', async () => {
    const path = join(dir, 'state.sqlite');
    let store = await openStore({ kind: 'sqlite', path });
    const login = daemon(store);
    const messages: string[] = [];
    const who = await login.tokens.loginWithDeviceCode({ onCode: approveWhenShown(messages) });
    login.close();
    expect(who.username).toBe(UPN);
    expect(messages[0]).toMatch(/devicelogin/);
    const blob = await store.getBlob(TOKEN_CACHE_BLOB);
    expect(blob?.toString('latin1')).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
    await store.close();

    // Restart: a new process opens the same store file.
    store = await openStore({ kind: 'sqlite', path });
    const run = daemon(store);
    const first = await run.tokens.getToken('referrals');
    expect(entra.tokenValidator(first, 'https://api.partner.microsoft.com')).not.toBeNull();
    const refreshed = await run.tokens.getToken('referrals', { forceRefresh: true });
    expect(refreshed).not.toBe(first);
    expect(entra.tokenValidator(refreshed, 'https://api.partner.microsoft.com')).not.toBeNull();
    // The other audience comes from the same sign-in.
    const csp = await run.tokens.getToken('webhooks');
    expect(entra.tokenValidator(csp, 'https://api.partnercenter.microsoft.com')).not.toBeNull();
    run.close();
    await store.close();
  });

  it('turns authFailed with a plain log line when the sign-in is revoked, and recovers after a new login as another user', async () => {
    const store = await openStore({ kind: 'sqlite', path: join(dir, 'revoke.sqlite') });
    const login = daemon(store);
    await login.tokens.loginWithDeviceCode({ onCode: approveWhenShown([]) });
    const sink = logSink();
    const run = daemon(store, sink.logger);
    await run.tokens.getToken('referrals');

    entra.control.revokeUser({ upn: UPN });
    await expect(run.tokens.getToken('referrals', { forceRefresh: true })).rejects.toMatchObject({ kind: 'auth' });
    await expect(run.tokens.getToken('referrals', { forceRefresh: true })).rejects.toMatchObject({ kind: 'auth' });
    expect(run.tokens.health()).toMatchObject({ state: 'authFailed' });
    const errors = sink.lines().filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(String(errors[0]?.msg)).toContain('cosell-sync auth login');

    // The admin signs in again, this time as the new dedicated Referral Admin user.
    await login.tokens.loginWithDeviceCode({ onCode: approveWhenShown([], 'second.admin@partner.example') });
    const token = await run.tokens.getToken('referrals');
    expect(entra.tokenValidator(token, 'https://api.partner.microsoft.com')).not.toBeNull();
    expect(run.tokens.health().state).toBe('ok');
    login.close();
    run.close();
    await store.close();
  });
});
