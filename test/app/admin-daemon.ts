/**
 * The daemon as `cosell-sync run` starts it, in this process, with the real runtime (status page,
 * JSON API, webhook receiver) and a SQLite store in a scratch directory. Schedules lie far in the
 * future: nothing reaches for the network unless a test asks.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { composeRuntime } from '../../src/app/runtime.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { openStore } from '../../src/store/open-store.js';
import type { LinkInput, StateStore } from '../../src/store/types.js';
import { captureText, eventually, logSink, MINIMAL_ENV, scratchDir } from './helpers.js';

const MAPPING = fileURLToPath(new URL('../../mappings/salesforce.yaml', import.meta.url));

/** The admin token the helper sets in COSELL_ADMIN_TOKEN unless a test passes its own env. */
export const ADMIN_TOKEN = 'test-admin-token-5f1c0e9a7b3d';
export const BEARER = { authorization: `Bearer ${ADMIN_TOKEN}` };

export interface AdminDaemon {
  /** `http://127.0.0.1:port` of the admin listener. */
  admin: string;
  /** `http://127.0.0.1:port` of the webhook listener. */
  webhooks: string;
  dir: string;
  storePath: string;
  log: ReturnType<typeof logSink>;
  stop(): Promise<number>;
  /** Stops the daemon and leaves the scratch directory; `cleanup()` removes it. */
  stopKeepingFiles(): Promise<number>;
  cleanup(): void;
}

export function adminYaml(args: { adminHost?: string; serverExtra?: string } = {}): string {
  return `store: { kind: sqlite, path: state/cosell.sqlite }
partnerCenter:
  auth: { mode: staticToken }
  solutionId: SOL-15974-MQF
  webhooks: { enabled: true }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
  mapping: ${JSON.stringify(MAPPING)}
server:
  host: ${args.adminHost ?? '127.0.0.1'}
  port: 0
  webhooks: { host: 127.0.0.1, port: 0 }
${args.serverExtra ?? ''}sync:
  shutdownGraceMs: 2000
  schedule: { outbound: "0 0 1 1 *", inbound: "0 0 1 1 *", reconcile: "0 0 1 1 *" }
`;
}

/** Starts the daemon; `prepare` runs on the scratch directory first (to seed the store). */
export async function startAdminDaemon(args: { yaml?: string; env?: Record<string, string>; prepare?: (dir: string) => Promise<void> } = {}): Promise<AdminDaemon> {
  const scratch = scratchDir({ 'cosell.yaml': args.yaml ?? adminYaml() });
  await args.prepare?.(scratch.dir);
  const log = logSink();
  let stopSignal: (signal: string) => void = () => undefined;
  const ctx: CliContext = {
    stdout: captureText().write,
    stderr: captureText().write,
    env: args.env ?? { ...MINIMAL_ENV, COSELL_ADMIN_TOKEN: ADMIN_TOKEN },
    cwd: scratch.dir,
    stderrIsTty: false,
    version: '0.0.0-test',
    onShutdownSignal: (handler) => {
      stopSignal = handler;
      return () => undefined;
    },
    logDestination: log.stream,
    composeRuntime,
  };
  const running = runCli(['run', '--config', 'cosell.yaml'], ctx);
  try {
    await eventually(() => log.events().includes('daemon started') || log.events().includes('daemon failed to start'), 30_000);
  } catch (error) {
    scratch.cleanup();
    throw error;
  }
  const started = log.lines().find((line) => line['msg'] === 'daemon started');
  if (started === undefined) {
    scratch.cleanup();
    throw new Error(`the daemon did not start: ${JSON.stringify(log.lines().at(-1))}`);
  }
  return {
    admin: String(started['server']),
    webhooks: String(started['webhooks']),
    dir: scratch.dir,
    storePath: `${scratch.dir}/state/cosell.sqlite`,
    log,
    stop: async () => {
      stopSignal('SIGTERM');
      const code = await running;
      scratch.cleanup();
      return code;
    },
    stopKeepingFiles: async () => {
      stopSignal('SIGTERM');
      return running;
    },
    cleanup: scratch.cleanup,
  };
}

/** Opens the store a daemon of `startAdminDaemon` will use (under `dir`), for `prepare` to seed it, and closes it. */
export async function seedStore(dir: string, seed: (store: StateStore) => Promise<void>): Promise<void> {
  mkdirSync(join(dir, 'state'), { recursive: true });
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'state/cosell.sqlite') });
  try {
    await seed(store);
  } finally {
    await store.close();
  }
}

/** A Salesforce opportunity's link held for a person, as conflicts need one. */
export const heldLink = (crmId: string | null): LinkInput => ({
  crmSystem: 'salesforce',
  crmKind: 'opportunity',
  crmId,
  referralId: null,
  engagementId: null,
  origin: 'crm',
  state: 'held',
  snapshot: { 'details.notes': 'base' },
  crmVersion: null,
  referralETag: null,
  respondBy: null,
});
