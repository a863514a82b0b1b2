/**
 * The other way around msal's refusal of http authorities (`authority_uri_insecure`): keep the
 * real authority URL and let the custom network client send its requests to the local token
 * service over plain http.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDeviceCodeTokenProvider } from '../../../connectors/partner-center/auth/device-code.js';
import { parseCacheKey } from '../../../connectors/partner-center/auth/encrypted-cache.js';
import { createMsalNetworkClient, rewriteUrl } from '../../../connectors/partner-center/auth/network-client.js';
import { DEFAULT_TENANT_ID, startEntraEmulator } from '../../../sandbox/entra/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { openStore } from '../../../src/store/open-store.js';
import type { StateStore } from '../../../src/store/types.js';
import { logSink } from './support/harness.js';

let entra: Awaited<ReturnType<typeof startEntraEmulator>>;
let store: StateStore;

beforeAll(async () => {
  entra = await startEntraEmulator({ clock: new SandboxClock(), deviceCodeIntervalSeconds: 0, autoApproveDeviceCodesAs: 'referral.admin@partner.example' });
  store = await openStore({ kind: 'sqlite', path: ':memory:' });
});
afterAll(async () => {
  await entra.server.close();
  await store.close();
});

describe('msal network client with a rewrite to a local http token service', () => {
  it('rewrites only the configured origin, keeping path and query', () => {
    const rewrite = { from: 'https://login.microsoftonline.com', to: 'http://127.0.0.1:4000' };
    expect(rewriteUrl('https://login.microsoftonline.com/t/oauth2/v2.0/token?client-request-id=1', rewrite).toString()).toBe('http://127.0.0.1:4000/t/oauth2/v2.0/token?client-request-id=1');
    expect(rewriteUrl('https://graph.microsoft.com/v1.0/me', rewrite).toString()).toBe('https://graph.microsoft.com/v1.0/me');
  });

  it('signs in and refreshes with the real authority URL', async () => {
    const network = createMsalNetworkClient({ rewrite: { from: 'https://login.microsoftonline.com', to: entra.server.url } });
    const tokens = createDeviceCodeTokenProvider(
      { clientId: 'cosell-sync', authority: `https://login.microsoftonline.com/${DEFAULT_TENANT_ID}` },
      { store, cacheKey: parseCacheKey('b'.repeat(64)), logger: logSink().logger, networkClient: network },
    );
    await tokens.loginWithDeviceCode({ onCode: () => undefined });
    const token = await tokens.getToken('referrals', { forceRefresh: true });
    expect(entra.tokenValidator(token, 'https://api.partner.microsoft.com')).not.toBeNull();
    network.close();
  });
});
