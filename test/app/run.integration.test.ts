import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';

import type { ComposeRuntime } from '../../src/app/sync-runtime.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { captureText, eventually, logSink, MINIMAL_ENV, scratchDir } from './helpers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

// Schedules far in the future: the real runtime is wired in, and no cycle may reach for the network.
const RUN_YAML = `store: { kind: sqlite, path: state/cosell.sqlite }
partnerCenter:
  auth: { mode: staticToken }
  solutionId: SOL-15974-MQF
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
  mapping: ${join(REPO, 'mappings/salesforce.yaml')}
server: { host: 127.0.0.1, port: 0, webhooks: { host: 127.0.0.1, port: 0 } }
sync:
  shutdownGraceMs: 2000
  schedule: { outbound: "0 0 1 1 *", inbound: "0 0 1 1 *", reconcile: "0 0 1 1 *" }
`;

describe('cosell-sync run (real process)', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('starts, serves /healthz, logs to stderr, and on %s exits 0 leaving a consistent store', async (signal) => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'cosell.yaml': RUN_YAML });
    try {
      const child = spawn(process.execPath, ['--import', TSX_LOADER, join(REPO, 'src/cli/bin.ts'), 'run', '--config', 'cosell.yaml'], {
        cwd: scratch.dir,
        env: { PATH: process.env['PATH'] ?? '', ...MINIMAL_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

      await eventually(() => stderr.includes('"msg":"daemon started"') || child.exitCode !== null, 30_000);
      const started = stderr
        .split('\n')
        .filter((line) => line.includes('"msg":"daemon started"'))
        .map((line) => JSON.parse(line) as { server: string })[0];
      expect(started).toBeDefined();
      const health = await fetch(`${started?.server}/healthz`);
      expect(health.status).toBe(200);
      expect((await fetch(`${started?.server}/readyz`)).status).toBe(200);

      child.kill(signal);
      expect(await exited).toBe(0);
      expect(stderr).toContain('"msg":"daemon stopped"');
      expect(stderr).not.toMatch(/"level":"(error|fatal)"/);
      // The daemon prints nothing for a user: stdout stays empty, as for every command's logs.
      expect(stdout).toBe('');

      const file = join(scratch.dir, 'state/cosell.sqlite');
      // A clean close checkpoints the WAL into the main file.
      expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
      const db = new Database(file, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
    } finally {
      scratch.cleanup();
    }
  });
});

describe('cosell-sync run (in process)', () => {
  it('wires the runtime: its loops can be triggered, its routes served, its health judged', async () => {
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'cosell.yaml': RUN_YAML });
    const log = logSink();
    let stop: (signal: string) => void = () => undefined;
    let inboundRuns = 0;
    let released = false;
    const composeRuntime: ComposeRuntime = async ({ trigger, store }) => ({
      loops: [{ name: 'inbound', schedule: { kind: 'cron', expression: '0 0 1 1 *' }, run: async () => void (inboundRuns += 1) }],
      connectorHealth: () => ({ partnerCenter: { state: 'authFailed', detail: 'consent revoked', pausedUntil: null } }),
      webhookRoutes: (app) => {
        app.post('/webhooks/partner-center', async () => {
          await trigger('inbound');
          return { cursor: await store.getCursor('none') };
        });
      },
      close: async () => void (released = true),
    });
    const ctx: CliContext = {
      stdout: captureText().write,
      stderr: captureText().write,
      env: MINIMAL_ENV,
      cwd: scratch.dir,
      stderrIsTty: false,
      version: '0.0.0-test',
      onShutdownSignal: (handler) => {
        stop = handler;
        return () => undefined;
      },
      logDestination: log.stream,
      composeRuntime,
    };
    try {
      const running = runCli(['run', '--config', 'cosell.yaml'], ctx);
      await eventually(() => log.events().includes('daemon started'));
      const started = log.lines().find((line) => line['msg'] === 'daemon started');
      const server = String(started?.['server']);
      // Webhooks arrive on their own listener.
      const webhook = await fetch(`${String(started?.['webhooks'])}/webhooks/partner-center`, { method: 'POST' });
      expect(await webhook.json()).toEqual({ cursor: null });
      expect(inboundRuns).toBe(1);
      const ready = await fetch(`${server}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: 'notReady', reasons: ['partnerCenter: authentication failed (consent revoked)'] });
      stop('SIGTERM');
      expect(await running).toBe(0);
      expect(released).toBe(true);
    } finally {
      scratch.cleanup();
    }
  });

  it('fails at once, naming server.port, when the port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'cosell.yaml': RUN_YAML.replace('port: 0', `port: ${port}`) });
    const log = logSink();
    const stderr = captureText();
    let loopRuns = 0;
    try {
      const code = await runCli(['run', '--config', 'cosell.yaml'], {
        stdout: captureText().write,
        stderr: stderr.write,
        env: MINIMAL_ENV,
        cwd: scratch.dir,
        stderrIsTty: false,
        version: '0.0.0-test',
        onShutdownSignal: () => () => undefined,
        logDestination: log.stream,
        composeRuntime: async () => ({
          loops: [{ name: 'inbound', schedule: { kind: 'continuous' }, run: async () => void (loopRuns += 1) }],
          connectorHealth: () => ({}),
          close: async () => undefined,
        }),
      });
      expect(code).toBe(1);
      expect(stderr.text()).toBe(`cosell-sync: the daemon could not start: server.port: 127.0.0.1:${port} is already in use by another process; choose a free port (0 picks one)\n`);
      expect(log.events()).toEqual(['daemon starting', expect.stringContaining('an admin token was generated'), 'daemon failed to start']);
      expect(loopRuns).toBe(0);
    } finally {
      taken.close();
      scratch.cleanup();
    }
  });

  it('exits 2 without starting when the configuration has problems', async () => {
    const stderr = captureText();
    const code = await runCli(['run', '--config', '/nonexistent/cosell.yaml'], {
      stdout: captureText().write,
      stderr: stderr.write,
      env: {},
      cwd: '/',
      stderrIsTty: false,
      version: '0.0.0-test',
      onShutdownSignal: () => () => undefined,
    });
    expect(code).toBe(2);
    expect(stderr.text()).toContain('file not found: /nonexistent/cosell.yaml');
  });
});
