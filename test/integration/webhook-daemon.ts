/**
 * The daemon as a user runs it for webhooks: the sandbox emulators (Salesforce, no referrals),
 * `cosell-sync auth login`, then the real daemon (`cosell-sync run`, in this process) with its
 * polls set to once a year, so only webhooks move referrals, and its webhook URL registered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from '@jest/globals';

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

export interface WebhookDaemon {
  sandbox: Sandbox;
  /** The scratch directory: the config, the CA and the store (`state.sqlite`). */
  dir: string;
  log: ReturnType<typeof logSink>;
  /** The daemon's exit code, once it stopped. */
  exited: Promise<number>;
  /** Asks the daemon to stop, as SIGTERM does. */
  stop(): void;
  /** Stops the daemon if it runs, then the sandbox, and removes the scratch directory. */
  close(): Promise<void>;
}

/**
 * Signs in, runs `beforeRun` (a test resets counters there), starts the daemon, runs `started`
 * once it logged "daemon started", then registers the webhook URL.
 */
export async function startWebhookDaemon(args: { seed: number; beforeRun?: (sandbox: Sandbox) => void; started?: (sandbox: Sandbox) => void }): Promise<WebhookDaemon> {
  const sandbox = await startSandbox({ seed: args.seed, size: 10, referrals: 0, crms: ['salesforce'], ca: trustedSandboxCa(), salesforce: { participatingRate: 0 } });
  const dir = mkdtempSync(join(tmpdir(), 'cosell-webhooks-'));
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.ca.cert);
  const webhookPort = await freePort();
  const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath: join(dir, 'state.sqlite'), caFile, crms: ['salesforce'], mappingsDir: join(repoRoot, 'mappings'), serverPort: 0, webhookPort });
  const configFile = join(dir, 'cosell-sync.yaml');
  writeFileSync(configFile, yaml.replace(/(outbound|inbound|reconcile): "[^"]*"/g, `$1: ${ONCE_A_YEAR}`));
  const log = logSink();
  let stop: () => void = () => undefined;
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
  args.beforeRun?.(sandbox);
  const exited = runCli(['run', '--config', configFile], ctx);
  await eventually(() => log.events().includes('daemon started'), 30_000);
  args.started?.(sandbox);
  const url = `http://127.0.0.1:${webhookPort}/webhooks/partner-center`;
  expect(await runCli(['webhooks', 'register', '--url', url, '--config', configFile], ctx)).toBe(0);
  return {
    sandbox,
    dir,
    log,
    exited,
    stop: () => stop(),
    close: async () => {
      stop();
      await exited;
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
