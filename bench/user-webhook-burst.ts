/**
 * Webhook bursts, as a user runs it: the sandbox in one process, `cosell-sync auth login`, then
 * `cosell-sync run` in another with its webhook URL registered at the sandbox Partner Center
 * (`cosell-sync webhooks register`) and its schedule set to once a year, so only webhooks move
 * referrals. N inbound co-sell invitations are created at once through Partner Center's control
 * API; for each, the time from its creation answering to its opportunity existing in Salesforce
 * (polled every 20 ms through the Salesforce control query on Referral_Id__c). Prints p50, p95 and
 * max, how many landed, duplicates (opportunities beyond one per referral), the calls each
 * emulator served during the burst and the CPU time the daemon and the sandbox (all emulators in
 * one process) used from the burst's start until its last opportunity was found. The first burst also pays the daemon's first Salesforce
 * sign-in and describe. Numbers, no verdicts.
 *
 * Usage: npm run bench -- user-webhook-burst [--bursts 1,100,1] [--timeout-s 60] [--no-build]
 *        BURST_PROF=DIR writes the daemon's CPU profile (node --cpu-prof) and its log (daemon.log) to DIR
 *        when it stops.
 */
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { bin, build, calls, cli, control, daemonNodeFlags, procCpuS, resetCalls, root, startSandbox, table, type RunningSandbox } from './user-kit.js';

const { values } = parseArgs({
  strict: false,
  options: {
    bursts: { type: 'string', default: '1,100,1' },
    'timeout-s': { type: 'string', default: '60' },
    'no-build': { type: 'boolean', default: false },
  },
});
const bursts = String(values.bursts).split(',').map(Number);
const timeoutMs = Number(values['timeout-s']) * 1000;
if (values['no-build'] !== true) build();

const ONCE_A_YEAR = '"0 0 0 1 1 *"';
const POLL_MS = 20;

interface Presented {
  id: string;
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** Opportunities per Referral_Id__c among `ids`, read through the Salesforce control query. */
async function landed(sandbox: RunningSandbox, ids: readonly string[]): Promise<Map<string, number>> {
  const list = ids.map((id) => `'${id}'`).join(', ');
  const answer = await control<{ records: { Referral_Id__c: string }[] }>(sandbox, sandbox.urls.crm, 'POST', '/_control/salesforce/query', {
    soql: `SELECT Id, Referral_Id__c FROM Opportunity WHERE Referral_Id__c IN (${list})`,
  });
  const counts = new Map<string, number>();
  for (const row of answer.records) counts.set(row.Referral_Id__c, (counts.get(row.Referral_Id__c) ?? 0) + 1);
  return counts;
}

async function burst(sandbox: RunningSandbox, daemonPid: number, size: number): Promise<string[]> {
  await resetCalls(sandbox);
  const cpuBefore = { daemon: procCpuS(daemonPid), sandbox: procCpuS(sandbox.pid) };
  const created = new Map<string, number>();
  await Promise.all(
    Array.from({ length: size }, async () => {
      const referral = await control<Presented>(sandbox, sandbox.urls.partnerCenter, 'POST', '/_control/partner-center/inbound', { category: 'coSellInvite' });
      created.set(referral.id, performance.now());
    }),
  );
  const ids = [...created.keys()];
  const arrived = new Map<string, number>();
  const deadline = performance.now() + timeoutMs;
  while (arrived.size < ids.length && performance.now() < deadline) {
    const counts = await landed(sandbox, ids);
    const now = performance.now();
    for (const id of counts.keys()) if (!arrived.has(id)) arrived.set(id, now);
    if (arrived.size < ids.length) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const cpu = { daemon: procCpuS(daemonPid) - cpuBefore.daemon, sandbox: procCpuS(sandbox.pid) - cpuBefore.sandbox };
  // Late duplicates: one more look after the event queue had time to settle.
  await new Promise((r) => setTimeout(r, 1000));
  const counts = await landed(sandbox, ids);
  const latencies = [...arrived].map(([id, at]) => at - (created.get(id) as number)).sort((a, b) => a - b);
  const duplicates = [...counts.values()].reduce((sum, n) => sum + (n - 1), 0);
  const pc = await calls(sandbox, sandbox.urls.partnerCenter);
  const sf = await calls(sandbox, sandbox.urls.crm);
  process.stdout.write(`burst ${size}: partner center ${JSON.stringify(pc.byRoute)}; salesforce ${JSON.stringify(sf.byRoute)}\n`);
  return [
    `${size}`,
    `${percentile(latencies, 50).toFixed(0)} ms`,
    `${percentile(latencies, 95).toFixed(0)} ms`,
    `${(latencies.at(-1) ?? NaN).toFixed(0)} ms`,
    `${arrived.size} / ${size}`,
    `${duplicates}`,
    `${pc.total} / ${sf.total}`,
    `${cpu.daemon.toFixed(2)} / ${cpu.sandbox.toFixed(2)} s`,
    (loadavg()[0] ?? NaN).toFixed(2),
  ];
}

process.stdout.write('starting the sandbox\n');
const sandbox = await startSandbox({ crm: 'salesforce', size: 100, latencyMs: 0 });
const rows: string[][] = [];
try {
  const config = readFileSync(sandbox.config, 'utf8');
  writeFileSync(sandbox.config, config.replace(/(outbound|inbound|reconcile): "[^"]*"/g, `$1: ${ONCE_A_YEAR}`));
  const port = /webhooks: \{ host: 127\.0\.0\.1, port: (\d+) \}/.exec(config)?.[1];
  if (port === undefined) throw new Error('the sandbox configuration names no webhook port');
  const login = await cli(['auth', 'login', '--config', sandbox.config], sandbox.env);
  if (login.code !== 0) throw new Error(`auth login failed:\n${login.stderr}`);

  // The daemon logs to a file, as under a service manager that reads promptly: through a pipe this
  // process drains between its polls, a burst's log lines filled the pipe and held the daemon's
  // writes (and so its event loop) until the bench read them.
  const logFile = join(sandbox.dir, 'daemon.log');
  const logFd = openSync(logFile, 'a');
  const log = (): string => readFileSync(logFile, 'utf8').slice(-4000);
  const daemon = spawn(process.execPath, [...(process.env['BURST_PROF'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BURST_PROF']}`] : []), ...daemonNodeFlags(), bin, 'run', '--config', sandbox.config], { cwd: root, env: sandbox.env, stdio: ['ignore', 'ignore', logFd] });
  try {
    daemon.on('exit', (code) => process.stderr.write(`the daemon exited (${code}):\n${log()}\n`));
    // Ready once its webhook listener answers /readyz.
    const readyBy = performance.now() + 60_000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      if (performance.now() > readyBy || daemon.exitCode !== null) throw new Error(`the daemon did not become ready:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write('daemon ready; registering its webhook URL\n');
    const registered = await cli(['webhooks', 'register', '--url', `http://127.0.0.1:${port}/webhooks/partner-center`, '--config', sandbox.config], sandbox.env);
    if (registered.code !== 0) throw new Error(`webhooks register failed:\n${registered.stderr}`);
    for (const size of bursts) rows.push(await burst(sandbox, daemon.pid as number, size));
  } finally {
    daemon.removeAllListeners('exit');
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('close', r));
    closeSync(logFd);
    if (process.env['BURST_PROF']) copyFileSync(logFile, join(process.env['BURST_PROF'], 'daemon.log'));
  }
} finally {
  await sandbox.stop();
}
process.stdout.write(
  `\nMachine: shared, 2 cores, load average ${loadavg()[0]?.toFixed(2)}; latency from each creation answering to its opportunity found (polled every ${POLL_MS} ms); CPU includes the bench's own control and poll calls the sandbox served.\n\n`,
);
process.stdout.write(`${table(['burst (co-sell invitations)', 'p50', 'p95', 'max', 'landed', 'duplicates', 'calls (PC / SF)', 'CPU (daemon / sandbox)', 'load (1 min)'], rows)}\n`);
