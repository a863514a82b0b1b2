/**
 * Jest global setup: the sandbox CA (harness/trusted-ca.ts) named in NODE_EXTRA_CA_CERTS
 * before Jest forks its workers, which read it when they start. A CA file the caller already
 * trusts through that variable is kept: both go into one bundle. Plain JavaScript because Jest
 * loads this file outside its transform; the TypeScript it needs comes in through tsx.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { loadOrCreateSandboxCa } = await tsImport('../../sandbox/shared/ca-files.ts', import.meta.url);
  const { TEST_CA_DIR } = await tsImport('../../harness/trusted-ca.ts', import.meta.url);
  const { certFile } = loadOrCreateSandboxCa(TEST_CA_DIR);
  const inherited = process.env.NODE_EXTRA_CA_CERTS;
  if (!inherited || inherited === certFile || !existsSync(inherited)) {
    process.env.NODE_EXTRA_CA_CERTS = certFile;
    return;
  }
  const bundle = join(TEST_CA_DIR, 'trusted-bundle.pem');
  if (inherited !== bundle) writeFileSync(bundle, `${readFileSync(inherited, 'utf8').trim()}\n${readFileSync(certFile, 'utf8')}`);
  process.env.NODE_EXTRA_CA_CERTS = bundle;
}
