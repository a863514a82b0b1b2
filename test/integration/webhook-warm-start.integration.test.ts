/**
 * The first webhook after a start, as a user meets it: the sandbox emulators, `cosell-sync auth
 * login`, then the real daemon (`cosell-sync run`, in this process) with its polls set to once a
 * year. The daemon signs in to Salesforce and reads the describes inbound referrals need while it
 * starts, so the first referral a webhook names lands with writes alone, as every later one does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { composeRuntime } from '../../src/app/runtime.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { sandboxDaemonConfig } from '../../sandbox/daemon-config.js';
import { freePort } from '../../sandbox/shared/free-port.js';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { captureText, eventually, logSink } from '../app/helpers.js';
import { repoRoot } from '../support/sandbox-harness.js';
import { trustedSandboxCa } from '../support/trusted-ca.js';

const ONCE_A_YEAR = '"0 0 0 1 1 *"';
const SIGN_IN = 'POST /services/oauth2/token';
const DESCRIBE = 'GET describe';

describe('the first webhook after the daemon starts (sandbox, real daemon)', () => {
  let sandbox: Sandbox;
  let dir: string;
  let stop: () => void = () => undefined;
  let daemon: Promise<number>;
  let atStart: Record<string, number> = {};
  const log = logSink();

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: 15, size: 10, referrals: 0, crms: ['salesforce'], ca: trustedSandboxCa(), salesforce: { participatingRate: 0 } });
    dir = mkdtempSync(join(tmpdir(), 'cosell-warm-'));
    const caFile = join(dir, 'sandbox-ca.pem');
    writeFileSync(caFile, sandbox.ca.cert);
    const webhookPort = await freePort();
    const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath: join(dir, 'state.sqlite'), caFile, crms: ['salesforce'], mappingsDir: join(repoRoot, 'mappings'), serverPort: 0, webhookPort });
    const configFile = join(dir, 'cosell-sync.yaml');
    writeFileSync(configFile, yaml.replace(/(outbound|inbound|reconcile): "[^"]*"/g, `$1: ${ONCE_A_YEAR}`));
    const ctx: CliContext = {
      stdout: captureText().write,
      stderr: captureText().write,
      env: { ...process.env, ...env },
      cwd: repoRoot,
      stderrIsTty: false,
      version: '0.0.0-test',
      logDestination: log.stream,
      composeRuntime,
      onShutdownSignal: (handler) => {
        stop = () => handler('SIGTERM');
        return () => undefined;
      },
    };
    expect(await runCli(['auth', 'login', '--config', configFile], ctx)).toBe(0);
    sandbox.salesforce!.server.stats.reset();
    daemon = runCli(['run', '--config', configFile], ctx);
    await eventually(() => log.events().includes('daemon started'), 30_000);
    atStart = sandbox.salesforce!.server.stats.byRoute();
    const url = `http://127.0.0.1:${webhookPort}/webhooks/partner-center`;
    expect(await runCli(['webhooks', 'register', '--url', url, '--config', configFile], ctx)).toBe(0);
  }, 120_000);

  afterAll(async () => {
    stop();
    await daemon;
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has signed in to Salesforce and described what inbound referrals become before it listens', () => {
    expect(atStart[SIGN_IN]).toBe(1);
    expect(atStart[DESCRIBE]).toBeGreaterThan(0);
  });

  it('lands the first referral a webhook names without signing in or describing', async () => {
    sandbox.salesforce!.server.stats.reset();
    const invite = sandbox.partnerCenter.control.createInbound({ category: 'coSellInvite' });
    const landed = (): boolean =>
      sandbox.salesforce!.control.query({ soql: `SELECT Id FROM Opportunity WHERE Referral_Id__c = '${invite.id}'` }).length === 1;
    await eventually(landed, 60_000);
    const calls = sandbox.salesforce!.server.stats.byRoute();
    expect(calls[SIGN_IN]).toBeUndefined();
    expect(calls[DESCRIBE]).toBeUndefined();
    expect(calls['POST composite/sobjects']).toBeGreaterThan(0);
    expect(log.lines().filter((l) => Number(l['level']) >= 40)).toEqual([]);
  }, 60_000);
});
