/**
 * `npm run demo`, as a newcomer runs it (the real program in its own process): one seed tells one
 * story, which shows an expiry reminder and a hygiene finding, and `--keep` leaves a held conflict and a failed record that the user resolves and
 * retries with the CLI commands the demo prints, through the env file it writes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { captureText } from './helpers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface Demo {
  output: () => string;
  /** Resolves once the output holds `text`. */
  waitFor: (text: string, timeoutMs?: number) => Promise<void>;
  interrupt: () => void;
  /** Stops it at once if it still runs. */
  kill: () => void;
  exited: Promise<number | null>;
}

function startDemo(args: string[]): Demo {
  // One process (tsx as a loader, not its CLI's parent process), so a signal reaches the demo itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts', ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => out,
    waitFor: async (text, timeoutMs = 150_000) => {
      const end = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (Date.now() > end || child.exitCode !== null) throw new Error(`the demo never said "${text}":\n${out}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    interrupt: () => void child.kill('SIGINT'),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    exited,
  };
}

/** What differs between two runs of one story: ports, generated ids, times, the scratch directory, call counts. */
function story(text: string, dir: string): string[] {
  return text
    .split(dir)
    .join('<dir>')
    .replace(/https?:\/\/127\.0\.0\.1:\d+/g, '<url>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>')
    .replace(/enter the code \w+/, 'enter the code <code>')
    .replace(/\d+(\.\d+)? s later/, '<n> s later')
    .split('\n')
    .map((line) => (line.includes('API calls:') ? line.replace(/\d+/g, '<n>') : line));
}

function envFileOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(join(dir, 'cosell-sync.env'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

async function cli(env: Record<string, string>, argv: string[]) {
  const stdout = captureText();
  const stderr = captureText();
  const ctx: CliContext = { stdout: stdout.write, stderr: stderr.write, env, cwd: REPO, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
  const code = await runCli(argv, ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('npm run demo', () => {
  it('tells the same story for one seed, with a reminder and a hygiene finding, and with --keep leaves a conflict and a failed record the printed commands resolve and retry', async () => {
    const once = mkdtempSync(join(tmpdir(), 'cosell-demo-a-'));
    const kept = mkdtempSync(join(tmpdir(), 'cosell-demo-b-'));
    const started: Demo[] = [];
    try {
      const first = startDemo(['--seed', '7', '--dir', once]);
      started.push(first);
      expect(await first.exited).toBe(0);
      // Co-sell health: the reminder the daemon mailed (through the Graph stand-in) and the finding the report names.
      expect(first.output()).toMatch(/✔ reminder mailed to the opportunity's owner: "Co-sell referral ".+" expires in 6 days"/);
      expect(first.output()).toMatch(/✔ finding: close date passed, referral still open \(salesforce opportunity 006\w+ \(referral [0-9a-f-]{36}\)\)\n\s+why: its close date \d{4}-\d\d-\d\d has passed and the referral is still Active\/Accepted\n\s+fix: move the close date in the CRM/);

      const second = startDemo(['--seed', '7', '--dir', kept, '--keep']);
      started.push(second);
      await second.waitFor('Ctrl-C stops it');
      const [told, left] = second.output().split('\n11. ');
      expect(story(told!, kept)).toEqual(story(first.output(), once));

      // The secrets the printed commands need, written beside the config, readable by the user only.
      expect(statSync(join(kept, 'cosell-sync.env')).mode & 0o777).toBe(0o600);
      const config = join(kept, 'cosell-sync.yaml');
      const env: Record<string, string> = { ...envFileOf(kept), PATH: process.env['PATH'] ?? '' };
      expect(left).toContain(`set -a; . ${join(kept, 'cosell-sync.env')}; set +a`);
      const conflictId = /npx cosell-sync conflicts resolve (\S+) --take partner-center/.exec(left!)?.[1];
      const failureKey = /npx cosell-sync failures retry (\S+) --config/.exec(left!)?.[1];
      expect(conflictId).toBeDefined();
      expect(failureKey).toBeDefined();

      // The page shows both, to the admin token from the env file.
      const status = /status page (http:\/\/127\.0\.0\.1:\d+)\/ \(sign in/.exec(left!)?.[1];
      const snapshot = (await (await fetch(`${status}/status`, { headers: { authorization: `Bearer ${env['COSELL_ADMIN_TOKEN']}` } })).json()) as {
        conflicts: { id: string }[];
        failures: { key: string }[];
      };
      expect(snapshot.conflicts.map((c) => c.id)).toContain(conflictId);
      expect(snapshot.failures.map((f) => f.key)).toContain(failureKey);

      expect((await cli(env, ['conflicts', 'list', '--config', config])).stdout).toContain(conflictId);
      const resolved = await cli(env, ['conflicts', 'resolve', conflictId!, '--take', 'partner-center', '--config', config]);
      expect(resolved).toMatchObject({ code: 0, stdout: expect.stringContaining(`resolved ${conflictId}`) });
      const retried = await cli(env, ['failures', 'retry', failureKey!, '--config', config]);
      expect(retried).toMatchObject({ code: 0, stdout: '1 record(s) due now; run `cosell-sync sync --once` or wait for the next cycle\n' });

      second.interrupt();
      expect(await second.exited).toBe(0);
    } finally {
      // A demo left running by a failed assertion is stopped, never left behind.
      for (const demo of started) demo.kill();
      rmSync(once, { recursive: true, force: true });
      rmSync(kept, { recursive: true, force: true });
    }
  }, 400_000);

  it('refuses a --dir that holds anything but an earlier demo, and deletes nothing in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosell-demo-c-'));
    let demo: Demo | null = null;
    try {
      writeFileSync(join(dir, 'notes.txt'), 'mine');
      demo = startDemo(['--dir', dir]);
      expect(await demo.exited).toBe(1);
      expect(demo.output()).toContain(`demo failed: ${dir} is not empty and not a demo's directory`);
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    } finally {
      demo?.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
