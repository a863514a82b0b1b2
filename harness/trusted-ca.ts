/**
 * The sandbox CA the test processes trust. dynamics-web-api, the Dataverse client, trusts only
 * the process's CAs, and Node reads NODE_EXTRA_CA_CERTS once at start-up; so Jest's global setup
 * (test/support/global-setup.mjs) keeps one CA in var/test-ca and names it in NODE_EXTRA_CA_CERTS
 * before the workers start (jest.config.js always uses workers), and every sandbox a test starts
 * against Dataverse issues its certificates from it. `jest --runInBand` runs the tests in the
 * process that was started without it: Dataverse over TLS then fails with a trust error.
 */
import { resolve } from 'node:path';
import { loadOrCreateSandboxCa } from '../sandbox/shared/ca-files.js';
import type { Pem } from '../sandbox/shared/tls.js';

export const TEST_CA_DIR = resolve(import.meta.dirname, '../var/test-ca');

export function trustedSandboxCa(): Pem {
  return loadOrCreateSandboxCa(TEST_CA_DIR).ca;
}
