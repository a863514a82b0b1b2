/**
 * A refused sign-in keeps the vendor's own words (Entra's AADSTS code and text, Salesforce's
 * error_description) and names the variable or key to change: the CLI against the sandbox.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterEach, describe, expect, it } from '@jest/globals';

import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { sandboxDaemonConfig } from '../../sandbox/daemon-config.js';
import { SANDBOX_DV_CLIENT, SANDBOX_PC_CLIENT_ID, startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/start-sandbox.js';
import { captureText } from './helpers.js';
import { trustedSandboxCa } from '../support/trusted-ca.js';

const repoRoot = resolve(import.meta.dirname, '../..');
let sandbox: Sandbox | null = null;
let dir: string | null = null;
afterEach(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cliAgainstSandbox(args: { crms: ('salesforce' | 'dynamics')[]; argv: string[]; env: Record<string, string>; sandbox?: Partial<SandboxOptions> }) {
  // The CA this process trusts: Dataverse sign-in and calls go by the process's CAs (trusted-ca.ts).
  sandbox = await startSandbox({ seed: 3, size: 3, referrals: 0, crms: args.crms, ca: trustedSandboxCa(), ...args.sandbox });
  dir = mkdtempSync(join(tmpdir(), 'cosell-signin-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sandbox.ca.cert);
  const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath: join(dir, 'state.sqlite'), caFile, crms: args.crms, mappingsDir: join(repoRoot, 'mappings'), serverPort: 0 });
  writeFileSync(join(dir, 'cosell-sync.yaml'), yaml);
  const stdout = captureText();
  const stderr = captureText();
  const ctx: CliContext = { stdout: stdout.write, stderr: stderr.write, env: { ...env, ...args.env }, cwd: repoRoot, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
  const code = await runCli([...args.argv, '--config', join(dir, 'cosell-sync.yaml')], ctx);
  return { code, out: `${stdout.text()}${stderr.text()}` };
}

describe('a refused sign-in says what the vendor said and what to change', () => {
  it('Dataverse: Entra\'s AADSTS code and text, and the variable holding the client secret', async () => {
    const { code, out } = await cliAgainstSandbox({ crms: ['dynamics'], argv: ['mappings', 'validate', '--live'], env: { DYNAMICS_CLIENT_SECRET: 'the-secret-id-not-its-value' } });
    expect(code).not.toBe(0);
    expect(out).toContain(`AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${SANDBOX_DV_CLIENT.clientId}'.`);
    expect(out).toContain("set DYNAMICS_CLIENT_SECRET (or DYNAMICS_CLIENT_SECRET_FILE) to the client secret's Value");
    expect(out).not.toContain('the-secret-id-not-its-value');
    expect(out).not.toContain('Trace ID');
  });

  it('Salesforce: the error and error_description, and the variable holding the consumer secret', async () => {
    const { code, out } = await cliAgainstSandbox({ crms: ['salesforce'], argv: ['mappings', 'validate', '--live'], env: { SALESFORCE_CLIENT_SECRET: 'wrong-consumer-secret' } });
    expect(code).not.toBe(0);
    expect(out).toContain('Salesforce refused the sign-in: invalid_client: invalid client credentials');
    expect(out).toContain('set SALESFORCE_CLIENT_SECRET (or SALESFORCE_CLIENT_SECRET_FILE) to the consumer secret of the app');
    expect(out).not.toContain('wrong-consumer-secret');
  });

  it('Partner Center: an app registration without public client flows is named with the switch to turn on', async () => {
    const { code, out } = await cliAgainstSandbox({
      crms: ['salesforce'],
      argv: ['auth', 'login', '--timeout', '30'],
      env: {},
      sandbox: { entraClients: [{ clientId: SANDBOX_PC_CLIENT_ID, publicClientFlows: false }] },
    });
    expect(code).not.toBe(0);
    expect(out).toContain('To sign in, use a web browser to open the page');
    expect(out).toContain("AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    expect(out).toContain('turn on "Allow public client flows" in the app registration named by partnerCenter.auth.clientId');
  });
});
