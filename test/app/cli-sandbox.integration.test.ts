import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

import { runCli } from '../../src/cli/program.js';
import { captureText, eventually, scratchDir } from './helpers.js';

/** Listens on `port` (or finds it already taken by someone else, which serves as well). */
async function occupy(port: number): Promise<Server | null> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const canListen = async (port: number): Promise<boolean> => {
  const server = await occupy(port);
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  return server !== null;
};

describe('cosell-sync sandbox', () => {
  it('writes a daemon configuration on a free port even when the usual 8787 is taken, and its secrets 0600', async () => {
    const blocker = await occupy(8787);
    const scratch = scratchDir();
    const stdout = captureText();
    let stop: () => void = () => undefined;
    let running: Promise<number> = Promise.resolve(0);
    try {
      running = runCli(['sandbox', '--size', '5', '--crm', 'salesforce', '--out', scratch.dir], {
        stdout: stdout.write,
        stderr: captureText().write,
        env: {},
        cwd: scratch.dir,
        stderrIsTty: false,
        version: 'test',
        onShutdownSignal: (handler) => {
          stop = () => handler('SIGINT');
          return () => undefined;
        },
      });
      await eventually(() => stdout.text().includes('Ctrl-C stops the sandbox.'), 60_000);
      const config = parse(readFileSync(join(scratch.dir, 'cosell-sync.yaml'), 'utf8')) as { server: { port: number } };
      expect(config.server.port).toBeGreaterThan(0);
      expect(await canListen(config.server.port)).toBe(true);
      expect(stdout.text()).toContain(`http://127.0.0.1:${config.server.port}/`);
      expect(statSync(join(scratch.dir, 'sandbox.env')).mode & 0o777).toBe(0o600);
    } finally {
      stop();
      expect(await running).toBe(0);
      blocker?.close();
      scratch.cleanup();
    }
  });

  it('--latency-ms delays every emulator, and rules from --faults keep their effect with the latency added', async () => {
    const scratch = scratchDir();
    const faultsFile = scratch.write('faults.yaml', 'partnerCenter:\n  - { method: POST, errorRate: 1, errorStatus: 503 }\n');
    const stdout = captureText();
    let stop: () => void = () => undefined;
    let running: Promise<number> = Promise.resolve(0);
    try {
      running = runCli(['sandbox', '--size', '5', '--crm', 'salesforce', '--latency-ms', '40', '--faults', faultsFile, '--out', scratch.dir], {
        stdout: stdout.write,
        stderr: captureText().write,
        env: {},
        cwd: scratch.dir,
        stderrIsTty: false,
        version: 'test',
        onShutdownSignal: (handler) => {
          stop = () => handler('SIGINT');
          return () => undefined;
        },
      });
      await eventually(() => stdout.text().includes('Ctrl-C stops the sandbox.'), 60_000);
      const ca = readFileSync(join(scratch.dir, 'sandbox-ca.pem'));
      const rulesAt = (label: string): Promise<unknown> => {
        const url = new RegExp(`${label}:\\s+(https://\\S+)`).exec(stdout.text())?.[1] as string;
        return new Promise((resolve, reject) => {
          request(new URL('/_control/faults', url), { ca }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve(JSON.parse(body)));
          })
            .on('error', reject)
            .end();
        });
      };
      const latency = { latencyMs: { min: 40, max: 40 } };
      expect(await rulesAt('Salesforce')).toEqual([latency]);
      expect(await rulesAt('Partner Center')).toEqual([{ ...latency, method: 'POST', errorRate: 1, errorStatus: 503 }, latency]);
    } finally {
      stop();
      expect(await running).toBe(0);
      scratch.cleanup();
    }
  });

  it('refuses a --latency-ms that is not a whole number of milliseconds, saying so (exit 2)', async () => {
    const stderr = captureText();
    const code = await runCli(['sandbox', '--latency-ms', 'fast'], {
      stdout: captureText().write,
      stderr: stderr.write,
      env: {},
      cwd: process.cwd(),
      stderrIsTty: false,
      version: 'test',
      onShutdownSignal: () => () => undefined,
    });
    expect(code).toBe(2);
    expect(stderr.text()).toContain('--latency-ms takes a whole number of milliseconds, not "fast"');
  });
});

describe('cosell-sync sandbox --org-profile', () => {
  const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    const scratch = scratchDir();
    const stdout = captureText();
    const stderr = captureText();
    let stop: () => void = () => undefined;
    try {
      const running = runCli(['sandbox', '--size', '5', '--out', scratch.dir, ...args], {
        stdout: stdout.write,
        stderr: stderr.write,
        env: {},
        cwd: scratch.dir,
        stderrIsTty: false,
        version: 'test',
        onShutdownSignal: (handler) => {
          stop = () => handler('SIGINT');
          return () => undefined;
        },
      });
      await eventually(() => stdout.text().includes('Ctrl-C stops the sandbox.') || stderr.text() !== '', 60_000);
      stop();
      return { code: await running, stdout: stdout.text(), stderr: stderr.text() };
    } finally {
      scratch.cleanup();
    }
  };

  it('starts the emulators with the profile it names', async () => {
    const { code, stdout } = await run(['--org-profile', 'minimal']);
    expect(code).toBe(0);
    expect(stdout).toContain('org profile minimal');
  });

  it('refuses an unknown profile, naming the known ones', async () => {
    const { code, stderr } = await run(['--org-profile', 'no-dunz']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown org profile 'no-dunz': use standard, no-state-country-picklists");
  });
});
