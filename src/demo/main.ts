/**
 * `npm run demo`: the whole product on one machine in about a minute. Starts the sandbox
 * (Partner Center, Salesforce, Entra over TLS), writes a configuration as an operator would,
 * signs in, starts the real daemon on SQLite, and plays a partner's day against it.
 * `npm run demo -- --keep` leaves everything running (status page, CLI) until Ctrl-C, with a held
 * conflict and a failed record to resolve and retry. `--seed N` (default 42) picks the sandbox's
 * data: one seed, one story. `--dir DIR` (default var/demo) is where its files go.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../cli/program.js';
import type { CliContext } from '../cli/context.js';
import { composeRuntime } from '../app/runtime.js';
import { sandboxDaemonConfig } from '../../sandbox/daemon-config.js';
import { freePort } from '../../sandbox/shared/free-port.js';
import { startMailCatcher } from '../../sandbox/graph/mail.js';
import { startSandbox } from '../../sandbox/start-sandbox.js';
import { say } from './narrate.js';
import { playScenes } from './scenes.js';
import { privateWriteStream } from '../core/private-file.js';

const root = resolve(import.meta.dirname, '../..');
const keep = process.argv.includes('--keep');
const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
};
const seed = Number(option('--seed') ?? 42);

async function main(): Promise<void> {
  if (!Number.isInteger(seed)) throw new Error('--seed takes a whole number');
  const dir = resolve(root, option('--dir') ?? 'var/demo');
  // Only a directory a demo wrote before is emptied: --dir never wipes anything else.
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, 'cosell-sync.yaml'))) {
    throw new Error(`${dir} is not empty and not a demo's directory: name an empty or new one`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  say.step(1, 'Starting the sandbox: Partner Center, Salesforce and Entra ID emulators over TLS');
  const sandbox = await startSandbox({ seed, size: 120, referrals: 0, crms: ['salesforce'], salesforce: { participatingRate: 0.25 } });
  // Mail goes to a local stand-in for Microsoft Graph, so reminders can be seen without a tenant.
  const mail = await startMailCatcher();
  const caFile = join(dir, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.ca.cert);
  // The admin's mapping: the default, except that notes edited on both sides wait for a person.
  const mappingsDir = join(dir, 'mappings');
  mkdirSync(mappingsDir);
  writeFileSync(
    join(mappingsDir, 'salesforce.yaml'),
    readFileSync(join(root, 'mappings/salesforce.yaml'), 'utf8').replace(/(- referral: details\.notes\n\s+crm: Description\n\s+policy:) newestWins/, '$1 hold'),
  );
  const port = await freePort();
  const webhookPort = await freePort();
  const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath: join(dir, 'state.sqlite'), caFile, crms: ['salesforce'], serverPort: port, webhookPort, everySeconds: 2, mappingsDir, graphUrl: mail.url });
  const configFile = join(dir, 'cosell-sync.yaml');
  writeFileSync(configFile, yaml);
  // The secrets, for the user's own CLI commands and a daemon started by hand.
  const envFile = join(dir, 'cosell-sync.env');
  writeFileSync(envFile, Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n') + '\n', { mode: 0o600 });
  say.done(`Partner Center ${sandbox.partnerCenter.server.url}, Salesforce ${sandbox.salesforce!.server.url}`);
  say.info(`daemon config: ${configFile}, its secrets: ${envFile}  (log: ${join(dir, 'daemon.log')})`);

  const log = privateWriteStream(join(dir, 'daemon.log'));
  let stopDaemon: (() => void) | null = null;
  const ctx: CliContext = {
    stdout: (t) => void process.stdout.write(t.replace(/^(?=.)/gm, '   ')),
    stderr: (t) => void log.write(t),
    env: { ...process.env, ...env },
    cwd: root,
    stderrIsTty: false,
    version: 'demo',
    logDestination: log,
    composeRuntime,
    onShutdownSignal: (handler) => {
      stopDaemon = () => handler('demo');
      return () => undefined;
    },
  };
  say.step(2, 'Signing in to Partner Center as the Referral Admin (device code; the sandbox approves it)');
  if ((await runCli(['auth', 'login', '--config', configFile], ctx)) !== 0) throw new Error('sign-in failed');

  say.step(3, 'Starting the daemon (SQLite store, cycles every 2 s, webhooks on)');
  const daemon = runCli(['run', '--config', configFile], ctx);
  const status = `http://127.0.0.1:${port}`;
  await waitForServer(status);
  await runCli(['webhooks', 'register', '--url', `http://127.0.0.1:${webhookPort}/webhooks/partner-center`, '--config', configFile], { ...ctx, stderr: () => undefined });
  say.done(`status page ${status}/  metrics ${status}/metrics`);

  await playScenes({ sandbox, mail, storePath: join(dir, 'state.sqlite'), configFile, envFile, ctx, status, keep });

  if (keep) {
    say.info('everything keeps running; Ctrl-C stops it');
    await new Promise<void>((r) => process.once('SIGINT', () => r()));
  }
  (stopDaemon as (() => void) | null)?.();
  await daemon;
  await sandbox.close();
  await mail.close();
  log.end();
}

async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the daemon's status server did not come up at ${url}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
