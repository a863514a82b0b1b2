/**
 * Sign-in against the sandbox Entra emulator over TLS: one token serves many requests (the
 * token is cached, not fetched per request), an untrusted server certificate names the fix, and
 * a 401 is answered with exactly one token refresh before the request is repeated.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createDynamicsConnector } from '../../../connectors/dynamics/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { startDataverseEmulator } from '../../../sandbox/dataverse/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert } from '../../../sandbox/shared/tls.js';
import { SANDBOX_DV_CLIENT, SANDBOX_TENANT, startSandbox } from '../../../sandbox/start-sandbox.js';
import { startDvSandbox, type DvSandbox } from './support/sandbox.js';

let dv: DvSandbox;
beforeAll(async () => {
  dv = await startDvSandbox({ size: 30 });
});
afterAll(() => dv.sandbox.close());

const dataverseTokens = (): number => dv.sandbox.entra.control.issuedTokens().filter((t) => t.clientId === SANDBOX_DV_CLIENT.clientId).length;

describe('Dataverse sign-in through msal-node', () => {
  it('asks Entra once for many requests', async () => {
    const before = dataverseTokens();
    const connector = dv.connect();
    for (let i = 0; i < 5; i++) await connector.getRecords({ kind: 'opportunity', ids: ['00000000-0000-0000-0000-000000000001'], fields: ['name'] });
    expect(dataverseTokens() - before).toBe(1);
    await connector.close();
  });

  it('signs in with a certificate (client assertion) as well', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const before = dataverseTokens();
    const connector = dv.connect({
      auth: {
        kind: 'certificate',
        tenantId: SANDBOX_TENANT,
        clientId: SANDBOX_DV_CLIENT.clientId,
        authority: dv.sandbox.entra.server.url,
        thumbprintSha256: randomBytes(32).toString('hex'),
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    });
    await connector.getRecords({ kind: 'opportunity', ids: ['00000000-0000-0000-0000-000000000001'], fields: ['name'] });
    expect(dataverseTokens() - before).toBe(1);
    await connector.close();
  });

  it('refuses a server whose CA the process does not trust with an error that names NODE_EXTRA_CA_CERTS, without retrying', async () => {
    const stranger = createSandboxCa({ commonName: 'a CA nobody trusts' });
    const emulator = await startDataverseEmulator({ clock: new SandboxClock(), seed: 1, size: 5, tls: issueServerCert(stranger, { hosts: ['127.0.0.1'] }), options: { staticTokens: ['t'] } });
    const connector = createDynamicsConnector({ auth: { kind: 'staticToken', accessToken: 't' }, url: emulator.server.url }, { logger: pino({ level: 'silent' }), clock: systemClock });
    try {
      const error = await connector.describe('opportunity').catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'invalid', system: 'dynamics' });
      expect((error as Error).message).toContain('NODE_EXTRA_CA_CERTS');
      expect(connector.requestCount()).toBe(1);
    } finally {
      await connector.close();
      await emulator.server.close();
    }
  });

  it('says how to trust a private CA when the Entra authority itself is behind it', async () => {
    const untrusted = await startSandbox({ seed: 1, size: 5, referrals: 1, crms: ['dynamics'] });
    const connector = createDynamicsConnector(
      {
        auth: { kind: 'clientSecret', tenantId: SANDBOX_TENANT, clientId: SANDBOX_DV_CLIENT.clientId, clientSecret: SANDBOX_DV_CLIENT.clientSecret, authority: untrusted.entra.server.url },
        url: untrusted.dynamics?.server.url ?? '',
      },
      { logger: pino({ level: 'silent' }), clock: systemClock },
    );
    try {
      const error = await connector.describe('opportunity').catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'invalid', system: 'dynamics' });
      expect((error as Error).message).toContain(`could not sign in to Entra at ${untrusted.entra.server.url}`);
      expect((error as Error).message).toContain('NODE_EXTRA_CA_CERTS');
      expect(connector.requestCount()).toBe(0);
    } finally {
      await connector.close();
      await untrusted.close();
    }
  });

  it('refreshes the token once on a 401 and fails as auth when the new one is refused too', async () => {
    const connector = dv.connect({ auth: { kind: 'staticToken', accessToken: 'revoked-token' } });
    const error = await connector.getRecords({ kind: 'opportunity', ids: ['00000000-0000-0000-0000-000000000001'], fields: ['name'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect(connector.requestCount()).toBe(2);
    expect(connector.health().state).toBe('authFailed');
    await connector.close();
  });
});
