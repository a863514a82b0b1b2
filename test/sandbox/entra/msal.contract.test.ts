import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfidentialClientApplication, PublicClientApplication, type AccountInfo } from '@azure/msal-node';
import { startEntraEmulator } from '../../../sandbox/entra/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert, type Pem } from '../../../sandbox/shared/tls.js';
import { loopbackNetworkClient } from './msal-network.js';

const PC_SCOPE = 'https://api.partner.microsoft.com/.default';
const PC_AUDIENCE = 'https://api.partner.microsoft.com';
const HOUR = 3_600_000;

let ca: Pem;
let tls: Pem;
beforeAll(() => {
  ca = createSandboxCa();
  tls = issueServerCert(ca, { hosts: ['127.0.0.1'] });
});

async function startEntra(expiresInSeconds: number) {
  const clock = new SandboxClock();
  const entra = await startEntraEmulator({
    clock,
    tls,
    expiresInSeconds,
    deviceCodeIntervalSeconds: 0,
    clients: [{ clientId: 'cosell-sync' }, { clientId: 'cosell-daemon', clientSecret: 'daemon-secret' }],
  });
  const authority = entra.control.authority();
  const networkClient = loopbackNetworkClient({ ca: ca.cert, emulatorOrigin: entra.server.url });
  const publicApp = new PublicClientApplication({
    auth: { clientId: 'cosell-sync', authority, knownAuthorities: [new URL(authority).host] },
    system: { networkClient },
  });
  const signIn = async (): Promise<{ accessToken: string; account: AccountInfo }> => {
    const result = await publicApp.acquireTokenByDeviceCode({
      scopes: [PC_SCOPE],
      // The person reads the code and approves it, as they would at the verification page.
      deviceCodeCallback: (response) => setImmediate(() => entra.control.approveDeviceCode({ userCode: response.userCode })),
    });
    if (!result?.account) throw new Error('no account');
    return { accessToken: result.accessToken, account: result.account };
  };
  return { clock, entra, authority, networkClient, publicApp, signIn };
}

describe('Entra emulator with msal-node 7', () => {
  let env: Awaited<ReturnType<typeof startEntra>>;
  beforeAll(async () => {
    env = await startEntra(3600);
  });
  afterAll(() => env.entra.server.close());

  it('signs a user in with the device-code flow once the code is approved', async () => {
    const { accessToken, account } = await env.signIn();
    expect(account.username).toBe('referral.admin@partner.example');
    const claims = env.entra.tokenValidator(accessToken, PC_AUDIENCE);
    expect(claims).toEqual(expect.objectContaining({ upn: 'referral.admin@partner.example', aud: PC_AUDIENCE, scp: 'user_impersonation' }));
    expect(env.entra.tokenValidator(accessToken, 'https://api.partnercenter.microsoft.com')).toBeNull();
  });

  it('refreshes silently after the token expires on the sandbox clock (msal caches on the real clock)', async () => {
    const { accessToken, account } = await env.signIn();
    env.clock.advance(2 * HOUR);
    expect(env.entra.tokenValidator(accessToken, PC_AUDIENCE)).toBeNull();
    // msal still believes its cached token is fresh: its cache follows the real clock.
    const cached = await env.publicApp.acquireTokenSilent({ account, scopes: [PC_SCOPE] });
    expect(cached.fromCache).toBe(true);
    const refreshed = await env.publicApp.acquireTokenSilent({ account, scopes: [PC_SCOPE], forceRefresh: true });
    expect(refreshed.fromCache).toBe(false);
    expect(env.entra.tokenValidator(refreshed.accessToken, PC_AUDIENCE)).not.toBeNull();
  });

  it('fails a silent refresh with invalid_grant (AADSTS50173) once the user is revoked', async () => {
    const { account } = await env.signIn();
    expect(env.entra.control.revokeUser({ upn: 'referral.admin@partner.example' })).toBeGreaterThan(0);
    await expect(env.publicApp.acquireTokenSilent({ account, scopes: [PC_SCOPE], forceRefresh: true })).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringContaining('AADSTS50173'),
    });
  });

  it('gets and caches an app token with client credentials, and refuses a wrong secret', async () => {
    const make = (clientSecret: string) =>
      new ConfidentialClientApplication({
        auth: { clientId: 'cosell-daemon', clientSecret, authority: env.authority, knownAuthorities: [new URL(env.authority).host] },
        system: { networkClient: env.networkClient },
      });
    const app = make('daemon-secret');
    const first = await app.acquireTokenByClientCredential({ scopes: ['https://org.sandbox.crm.dynamics.com/.default'] });
    expect(env.entra.tokenValidator(first?.accessToken ?? '', 'https://org.sandbox.crm.dynamics.com/')).toEqual(
      expect.objectContaining({ appid: 'cosell-daemon', roles: [] }),
    );
    const second = await app.acquireTokenByClientCredential({ scopes: ['https://org.sandbox.crm.dynamics.com/.default'] });
    expect(second?.fromCache).toBe(true);
    await expect(make('wrong').acquireTokenByClientCredential({ scopes: [PC_SCOPE] })).rejects.toMatchObject({ errorCode: 'invalid_client' });
  });

  it('reports the device-code sign-in the person declined', async () => {
    await expect(
      env.publicApp.acquireTokenByDeviceCode({
        scopes: [PC_SCOPE],
        deviceCodeCallback: (response) => setImmediate(() => env.entra.control.declineDeviceCode({ userCode: response.userCode })),
      }),
    ).rejects.toMatchObject({ errorMessage: expect.stringContaining('authorization_declined') });
  });
});

describe('Entra emulator with msal-node 7: short-lived tokens and instance discovery', () => {
  it('refreshes by itself when expires_in is inside msal’s 5-minute renewal window', async () => {
    const env = await startEntra(120);
    try {
      const { account } = await env.signIn();
      const silent = await env.publicApp.acquireTokenSilent({ account, scopes: [PC_SCOPE] });
      expect(silent.fromCache).toBe(false);
    } finally {
      await env.entra.server.close();
    }
  });

  it('works without knownAuthorities when login.microsoftonline.com is routed to the emulator', async () => {
    const env = await startEntra(3600);
    const seen: string[] = [];
    try {
      const app = new ConfidentialClientApplication({
        auth: { clientId: 'cosell-daemon', clientSecret: 'daemon-secret', authority: env.authority },
        system: { networkClient: loopbackNetworkClient({ ca: ca.cert, emulatorOrigin: env.entra.server.url, rewriteCloud: true, seen }) },
      });
      const result = await app.acquireTokenByClientCredential({ scopes: [PC_SCOPE] });
      expect(env.entra.tokenValidator(result?.accessToken ?? '', PC_AUDIENCE)).not.toBeNull();
      expect(seen[0]).toBe('GET /common/discovery/instance');
      expect(seen).toContain(`GET /${new URL(env.authority).pathname.slice(1)}/v2.0/.well-known/openid-configuration`);
    } finally {
      await env.entra.server.close();
    }
  });
});
