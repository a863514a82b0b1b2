/**
 * The sandbox CA kept in a directory, so that it can be trusted by a process before it starts.
 * dynamics-web-api (the Dataverse client) keeps its https agents inside the module, so the only
 * way to trust a private CA there is Node's process-wide `NODE_EXTRA_CA_CERTS`, which Node reads
 * once at start-up: the CA must exist, in a file, before the daemon (or a test worker) starts,
 * and outlive one sandbox run. The key is readable by its owner only.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { createSandboxCa, type Pem } from './tls.js';

export const CA_CERT_FILE = 'sandbox-ca.pem';
export const CA_KEY_FILE = 'sandbox-ca-key.pem';

/** A CA valid for less than this is replaced (its server certificates live 30 days). */
const MIN_VALIDITY_MS = 31 * 86_400_000;

function usable(ca: Pem): boolean {
  try {
    const cert = forge.pki.certificateFromPem(ca.cert);
    forge.pki.privateKeyFromPem(ca.key);
    return cert.validity.notAfter.getTime() - Date.now() > MIN_VALIDITY_MS;
  } catch {
    return false;
  }
}

/** The CA in `dir` (`sandbox-ca.pem`, `sandbox-ca-key.pem`), made there first when missing or expiring. */
export function loadOrCreateSandboxCa(dir: string): { ca: Pem; certFile: string } {
  const certFile = join(dir, CA_CERT_FILE);
  const keyFile = join(dir, CA_KEY_FILE);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const found = { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
    if (usable(found)) return { ca: found, certFile };
  }
  const ca = createSandboxCa();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, ca.key, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, ca.cert, { mode: 0o644 });
  return { ca, certFile };
}
