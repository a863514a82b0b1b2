/**
 * Memory growth and the idle cycle of the running daemon, as a user runs it: the sandbox in one
 * process, `cosell-sync run` in another with a tight schedule (every 2 s), after a backfill by
 * `sync --once` and more of them until one reads nothing (the idle state the daemon starts in).
 * The RSS of the daemon is read from /proc/<pid>/status after each cycle; CPU per cycle from
 * /proc/<pid>/stat (each cycle's, with the records it read: a cycle that read nothing is idle);
 * calls per cycle from the emulators over the second half of the cycles. Numbers, no verdicts.
 *
 * Usage: npm run bench -- user-daemon-growth [--sizes 2000] [--crm salesforce,dynamics] [--cycles 50] [--no-build]
 * (only the first of --sizes is used; the user-run options are accepted so one filter runs both).
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { bin, build, calls, cli, daemonNodeFlags, median, procCpuS, procStatusMb, resetCalls, root, startSandbox, table, type Crm } from './user-kit.js';

const { values } = parseArgs({
  strict: false,
  options: {
    sizes: { type: 'string', default: '2000' },
    crm: { type: 'string', default: 'salesforce,dynamics' },
    cycles: { type: 'string', default: '50' },
    'no-build': { type: 'boolean', default: false },
  },
});
const size = Number(String(values.sizes).split(',')[0]);
const crms = String(values.crm).split(',') as Crm[];
const cycles = Number(values.cycles);
if (values['no-build'] !== true) build();

/** `sync --once` runs before the daemon starts, 10 s apart, until one reads nothing. */
const SETTLE_ATTEMPTS = 20;

interface Sample {
  rssMb: number;
  cpuS: number;
}

const rows: string[][] = [];
for (const crm of crms) {
  process.stdout.write(`${crm} ${size}: sandbox, sign-in and backfill\n`);
  const sandbox = await startSandbox({ crm, size, latencyMs: 0 });
  try {
    await cli(['auth', 'login', '--config', sandbox.config], sandbox.env);
    await cli(['sync', '--once', '--config', sandbox.config], sandbox.env);
    // Until a cycle reads nothing: the backfill's write-backs are read back, and rows stamped
    // within the read overlap (60 s) of the last ones are read again until it has passed.
    for (let attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
      const settle = await cli(['sync', '--once', '--config', sandbox.config], sandbox.env);
      const reads = [...settle.stdout.matchAll(/read (\d+)/g)].map((m) => Number(m[1]));
      process.stdout.write(`${crm} ${size}: settling, the cycle read ${reads.join(' + ')}\n`);
      if (reads.every((n) => n === 0)) break;
      await new Promise((r) => setTimeout(r, 10_000));
    }
    const config = readFileSync(sandbox.config, 'utf8').replace(/(outbound|inbound): "[^"]*"/g, '$1: "*/2 * * * * *"');
    writeFileSync(sandbox.config, config);
    await resetCalls(sandbox);

    const daemon = spawn(process.execPath, [...daemonNodeFlags(), bin, 'run', '--config', sandbox.config], { cwd: root, env: sandbox.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const pid = daemon.pid as number;
    const samples: Sample[] = [];
    const half = Math.ceil(cycles / 2);
    /** Records both loops read in each full cycle: a cycle that read nothing is an idle one. */
    const reads: number[] = [];
    let cycleRead = 0;
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      daemon.on('exit', (code) => reject(new Error(`the daemon exited (${code}) after ${samples.length} cycles`)));
      daemon.stderr.on('data', (d: Buffer) => {
        buffered += d.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          // One sample per full cycle: when the inbound pass (which runs after outbound) finished.
          if (line.includes('"cycle finished"')) cycleRead += Number(/"read":(\d+)/.exec(line)?.[1] ?? 0);
          if (!line.includes('"cycle finished"') || !line.includes('"loop":"inbound"')) continue;
          reads.push(cycleRead);
          cycleRead = 0;
          const rssMb = procStatusMb(pid, 'VmRSS');
          if (rssMb !== null) samples.push({ rssMb, cpuS: procCpuS(pid) });
          // The second half's calls alone: the first ones include the daemon's start.
          if (samples.length === half) void resetCalls(sandbox);
          if (samples.length > cycles) resolve();
        }
      });
    });
    const peakMb = procStatusMb(pid, 'VmHWM') ?? 0;
    daemon.removeAllListeners('exit');
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('close', r));
    const pc = await calls(sandbox, sandbox.urls.partnerCenter);
    const crmCalls = await calls(sandbox, sandbox.urls.crm);

    // The first sample includes start-up; cycles are measured from the second on.
    const steady = samples.slice(1);
    const cpuPerCycle = steady.slice(1).map((sample, i) => (sample.cpuS - (steady[i] as Sample).cpuS) * 1000);
    const rss = steady.map((x) => x.rssMb);
    const firstTen = median(rss.slice(0, 10));
    const lastTen = median(rss.slice(-10));
    rows.push([
      `${crm} ${size.toLocaleString('en')}`,
      `${steady.length}`,
      `${firstTen.toFixed(0)} MB`,
      `${lastTen.toFixed(0)} MB`,
      `${(lastTen - firstTen).toFixed(1)} MB`,
      `${peakMb.toFixed(0)} MB`,
      `${median(cpuPerCycle).toFixed(0)} ms`,
      `${(pc.total / (samples.length - half)).toFixed(1)} / ${(crmCalls.total / (samples.length - half)).toFixed(1)}`,
    ]);
    process.stdout.write(`${crm}: RSS per cycle (MB): ${rss.map((r) => r.toFixed(0)).join(' ')}\n`);
    process.stdout.write(`${crm}: CPU per cycle (ms): ${cpuPerCycle.map((c) => c.toFixed(0)).join(' ')}\n`);
    process.stdout.write(`${crm}: records read per cycle (outbound + inbound): ${reads.slice(2).join(' ')}\n`);
    process.stdout.write(`${crm}: calls in the last ${samples.length - half} cycles: partner center ${JSON.stringify(pc.byRoute)}; ${crm} ${JSON.stringify(crmCalls.byRoute)}\n`);
  } finally {
    await sandbox.stop();
  }
}
process.stdout.write(`\nMachine: shared, 2 cores; CPU per cycle is the median over the cycles (both loops, the status server included).\n\n`);
process.stdout.write(
  `${table(['cosell-sync run, cycle every 2 s', 'cycles', 'RSS first 10 (median)', 'RSS last 10 (median)', 'growth', 'peak RSS', 'CPU per cycle', 'calls per cycle, second half (PC / CRM)'], rows)}\n`,
);
