/**
 * Running the product as a user does, for the user-run benchmarks: the built CLI (`dist/`) in its
 * own processes, the sandbox in another, resources read from the operating system (GNU time for
 * one-shot commands, /proc/<pid>/status for a running daemon), calls counted by the emulators'
 * `/_control/stats`. Imports nothing of the product or its tests.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bin = join(root, 'dist', 'cli', 'cosell-sync.js');
const GNU_TIME = '/usr/bin/time';

export type Crm = 'salesforce' | 'dynamics';

/**
 * The Node flags the daemon is shipped to run with, read from `npm start` (the Dockerfile and the
 * systemd unit in docs/operations.md carry the same, which test/repo checks).
 */
export function daemonNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
  const match = /^node((?: --[^ ]+)*) dist\/cli\/cosell-sync\.js run$/.exec(start);
  if (!match) throw new Error(`package.json "start" is not "node [--flag ...] dist/cli/cosell-sync.js run": ${start}`);
  return match[1]!.trim().split(' ').filter((flag) => flag.length > 0);
}

/** Builds the CLI into dist/ (the benchmark measures what `npm install` builds). */
export function build(): void {
  const result = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

export interface Measured {
  wallS: number;
  cpuS: number;
  maxRssMb: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** One CLI command in its own process under GNU time: wall, CPU and peak RSS from the kernel. */
export async function cli(args: readonly string[], env: NodeJS.ProcessEnv, nodeFlags: readonly string[] = []): Promise<Measured> {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} (GNU time) is needed to read the peak RSS of a command: apt-get install time`);
  const dir = mkdtempSync(join(tmpdir(), 'cosell-time-'));
  const out = join(dir, 'time');
  const started = performance.now();
  const child = spawn(GNU_TIME, ['-f', '%U %S %M', '-o', out, process.execPath, ...nodeFlags, bin, ...args], { env, cwd: root });
  const [stdout, stderr, code] = await collect(child);
  const wallS = (performance.now() - started) / 1000;
  const [user, sys, kb] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  rmSync(dir, { recursive: true, force: true });
  return { wallS, cpuS: (user ?? 0) + (sys ?? 0), maxRssMb: (kb ?? 0) / 1024, code, stdout, stderr };
}

function collect(child: ChildProcess): Promise<[string, string, number]> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve([stdout, stderr, code ?? -1]));
  });
}

/** A field of /proc/<pid>/status in MB (VmRSS now, VmHWM the peak so far); null once it exited. */
export function procStatusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function procCpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export interface RunningSandbox {
  dir: string;
  config: string;
  env: NodeJS.ProcessEnv;
  urls: { partnerCenter: string; crm: string };
  ca: Buffer;
  /** The sandbox's process, for its CPU time. */
  pid: number;
  /**
   * Control calls share a few kept-alive connections, as one client would: a burst of a hundred
   * calls does not make the sandbox (and the machine it shares with the daemon) do a hundred TLS
   * handshakes for the bench.
   */
  agent: Agent;
  stop(): Promise<void>;
}

/** `cosell-sync sandbox` in its own process, up once it printed how to reach it. */
export async function startSandbox(args: { crm: Crm; size: number; latencyMs: number }): Promise<RunningSandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'cosell-bench-'));
  const cliArgs = ['sandbox', '--size', String(args.size), '--crm', args.crm, '--out', dir, ...(args.latencyMs > 0 ? ['--latency-ms', String(args.latencyMs)] : [])];
  const child = spawn(process.execPath, [bin, ...cliArgs], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('Ctrl-C stops the sandbox')) resolve();
    });
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('exit', (code) => reject(new Error(`the sandbox exited (${code}):\n${text}`)));
  });
  const url = (label: string): string => {
    const match = new RegExp(`${label}:\\s+(https://\\S+)`).exec(text);
    if (!match?.[1]) throw new Error(`the sandbox did not print the ${label} address:\n${text}`);
    return match[1];
  };
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const line of readFileSync(join(dir, 'sandbox.env'), 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const ca = readFileSync(join(dir, 'sandbox-ca.pem'));
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca });
  return {
    dir,
    config: join(dir, 'cosell-sync.yaml'),
    env,
    urls: { partnerCenter: url('Partner Center'), crm: url(args.crm === 'salesforce' ? 'Salesforce' : 'Dataverse') },
    ca,
    pid: child.pid as number,
    agent,
    stop: async () => {
      agent.destroy();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A control call to an emulator (`/_control/...`), trusting the sandbox CA. */
export function control<T>(sandbox: RunningSandbox, base: string, method: string, path: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, agent: sandbox.agent, headers: body === undefined ? {} : { 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.on('data', (d: Buffer) => (data += d.toString()));
      res.on('end', () => resolve((data ? JSON.parse(data) : null) as T));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

export interface Calls {
  total: number;
  byRoute: Record<string, number>;
}

export async function calls(sandbox: RunningSandbox, base: string): Promise<Calls> {
  const stats = await control<Calls>(sandbox, base, 'GET', '/_control/stats');
  return { total: stats.total, byRoute: stats.byRoute };
}

export async function resetCalls(sandbox: RunningSandbox): Promise<void> {
  for (const base of Object.values(sandbox.urls)) await control(sandbox, base, 'POST', '/_control/stats/reset');
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Prints rows as an aligned text table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
