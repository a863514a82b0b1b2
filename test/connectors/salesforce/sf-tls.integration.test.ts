/** The `ca` option: a sandbox org behind a private CA is reached over TLS only when trusted. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSalesforceConnector } from '../../../connectors/salesforce/index.js';
import { startSalesforceEmulator, type SalesforceControl } from '../../../sandbox/salesforce/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import type { EmulatorServer } from '../../../sandbox/shared/http.js';
import { createSandboxCa, issueServerCert, type Pem } from '../../../sandbox/shared/tls.js';
import { FakeClock, logSink } from './support/harness.js';

let server: EmulatorServer;
let sf: SalesforceControl;
let ca: Pem;

beforeAll(async () => {
  ca = createSandboxCa();
  const tls = issueServerCert(ca, { hosts: ['127.0.0.1'] });
  ({ server, control: sf } = await startSalesforceEmulator({ clock: new SandboxClock(), seed: 3, size: 10, tls }));
});
afterAll(() => server.close());

const connect = (trust: string | undefined) =>
  createSalesforceConnector(
    {
      auth: { kind: 'clientCredentials', clientId: sf.clientIds[0] ?? 'cosell-sandbox', clientSecret: sf.clientSecret },
      loginUrl: server.url,
      apiVersion: '60.0',
      ...(trust === undefined ? {} : { ca: trust }),
    },
    { logger: logSink().logger, clock: new FakeClock() },
  );

describe('Salesforce over TLS with a private CA', () => {
  it('reads when the CA is configured', async () => {
    expect(server.url.startsWith('https://')).toBe(true);
    const connector = connect(ca.cert);
    const description = await connector.describe('opportunity');
    expect(description.fields.length).toBeGreaterThan(10);
    await connector.close();
  });

  it('refuses an untrusted server certificate with an error that names the fix, without retrying', async () => {
    const connector = connect(undefined);
    const error = await connector.describe('opportunity').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid' });
    expect((error as Error).message).toContain('`ca` option');
    await connector.close();
  });
});
