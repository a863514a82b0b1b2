/**
 * The product as a user runs it: `cosell-sync sandbox --size N --crm X [--latency-ms L]` in one
 * process; `cosell-sync auth login`, then `cosell-sync sync --once --direction out` (the backfill)
 * and later cycles in others, each under GNU time. Prints one table: wall, records/s, peak RSS of
 * the daemon process, calls per system against the floor, the idle cycle, and the start-up of the
 * commands that do not sync. Numbers, no verdicts. Runs the built CLI (built first).
 *
 * Usage: npm run bench -- user-run [--sizes 2000,20000,100000] [--crm salesforce,dynamics]
 *        [--latency 0,50] [--repeat 3] [--no-build] [--plain-node]
 *
 * The cycles run with the Node flags the daemon ships with (`npm start`, the Dockerfile, the
 * systemd unit); `--plain-node` runs them as bare `node dist/cli/cosell-sync.js` instead.
 */
import { parseArgs } from 'node:util';
import { build, calls, cli, daemonNodeFlags, median, resetCalls, startSandbox, table, type Crm, type Measured } from './user-kit.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2000' },
    crm: { type: 'string', default: 'salesforce,dynamics' },
    latency: { type: 'string', default: '0' },
    repeat: { type: 'string', default: '3' },
    'no-build': { type: 'boolean', default: false },
    'plain-node': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const crms = values.crm.split(',') as Crm[];
const latencies = values.latency.split(',').map(Number);
const repeat = Number(values.repeat);
/** The sandbox config's Partner Center concurrency (rateLimit.concurrency): writes in flight. */
const CONCURRENCY = 16;
/** Rows per read page and records per write-back batch, the connectors' defaults. */
const CRM_PAGING: Record<Crm, { page: number; batch: number }> = { salesforce: { page: 2000, batch: 200 }, dynamics: { page: 500, batch: 100 } };

if (!values['no-build']) build();
const syncFlags = values['plain-node'] ? [] : daemonNodeFlags();

const s = (seconds: number): string => `${seconds.toFixed(2)} s`;
const mb = (value: number): string => `${value.toFixed(0)} MB`;
const sum = (routes: Record<string, number>, test: (route: string) => boolean): number =>
  Object.entries(routes).reduce((n, [route, count]) => n + (test(route) ? count : 0), 0);

const backfillRows: string[][] = [];
const idleRows: string[][] = [];
const startRows: string[][] = [];
const details: string[] = [];

for (const crm of crms) {
  for (const size of sizes) {
    for (const latencyMs of latencies) {
      const label = `${crm} ${size.toLocaleString('en')}${latencyMs > 0 ? ` +${latencyMs}ms` : ''}`;
      process.stdout.write(`${label}: starting the sandbox\n`);
      const sandbox = await startSandbox({ crm, size, latencyMs });
      try {
        const run = async (args: string[]): Promise<Measured> => {
          const result = await cli([...args, '--config', sandbox.config], sandbox.env, args[0] === 'sync' ? syncFlags : []);
          // Exit 3: some records failed (invalid sandbox data, listed by `failures list`).
          if (result.code !== 0 && result.code !== 3) throw new Error(`cosell-sync ${args.join(' ')} exited ${result.code}:\n${result.stderr.slice(-2000)}`);
          return result;
        };
        await run(['auth', 'login']);
        await resetCalls(sandbox);
        process.stdout.write(`${label}: backfill\n`);
        const backfill = await run(['sync', '--once', '--direction', 'out']);
        const pc = await calls(sandbox, sandbox.urls.partnerCenter);
        const crmCalls = await calls(sandbox, sandbox.urls.crm);
        const summary = /read (\d+), written (\d+), skipped (\d+), failed (\d+)/.exec(backfill.stdout);
        const [read, written, , failed] = (summary?.slice(1) ?? []).map(Number);
        const pcWrites = sum(pc.byRoute, (r) => /create|patch|post|put/i.test(r));
        const creates = sum(pc.byRoute, (r) => /create/i.test(r));
        const paging = CRM_PAGING[crm];
        // Sign-in, one describe per object kind, the read pages, one write-back batch per `batch` creates.
        const crmFloor = 1 + 2 + Math.ceil(size / paging.page) + Math.ceil(creates / paging.batch);
        // Every Partner Center call waits its latency, reads as well as writes.
        const writeFloorS = latencyMs > 0 ? (pc.total / CONCURRENCY) * (latencyMs / 1000) : null;
        backfillRows.push([
          label,
          s(backfill.wallS),
          s(backfill.cpuS),
          `${((read ?? size) / backfill.wallS).toFixed(0)}`,
          mb(backfill.maxRssMb),
          `${pc.total} (writes ${pcWrites})`,
          `${crmCalls.total} (floor ${crmFloor})`,
          writeFloorS === null ? '-' : `${s(writeFloorS)} (${(backfill.wallS / writeFloorS).toFixed(2)}x)`,
          `${written ?? '?'} / ${failed ?? '?'}`,
        ]);
        details.push(`${label} backfill calls: partner center ${JSON.stringify(pc.byRoute)}; ${crm} ${JSON.stringify(crmCalls.byRoute)}`);

        // The first full cycle lists every referral once; the one after it is the idle cycle.
        await run(['sync', '--once']);
        await resetCalls(sandbox);
        const idle = await run(['sync', '--once']);
        const idlePc = await calls(sandbox, sandbox.urls.partnerCenter);
        const idleCrm = await calls(sandbox, sandbox.urls.crm);
        idleRows.push([label, s(idle.wallS), s(idle.cpuS), mb(idle.maxRssMb), `${idlePc.total}`, `${idleCrm.total}`]);
        details.push(`${label} idle calls: partner center ${JSON.stringify(idlePc.byRoute)}; ${crm} ${JSON.stringify(idleCrm.byRoute)}`);

        for (const command of [['version'], ['config', 'check'], ['mappings', 'validate'], ['links', 'show']]) {
          const runs: Measured[] = [];
          for (let i = 0; i < repeat; i++) runs.push(command[0] === 'version' ? await cli(command, sandbox.env) : await run(command));
          startRows.push([label, `cosell-sync ${command.join(' ')}`, s(median(runs.map((r) => r.wallS))), s(median(runs.map((r) => r.cpuS))), mb(median(runs.map((r) => r.maxRssMb)))]);
        }
      } finally {
        await sandbox.stop();
      }
    }
  }
}

process.stdout.write(`\nMachine: shared, 2 cores; wall and CPU vary between runs. Start-up rows are medians of ${repeat} runs. Cycles ran as node ${[...syncFlags, 'dist/cli/cosell-sync.js'].join(' ')}.\n\n`);
process.stdout.write(
  `${table(['backfill (sync --once --direction out)', 'wall', 'CPU', 'records/s', 'peak RSS', 'Partner Center calls', 'CRM calls', 'Partner Center floor at latency', 'written / failed'], backfillRows)}\n\n`,
);
process.stdout.write(`${table(['idle cycle (sync --once, fresh process)', 'wall', 'CPU', 'peak RSS', 'PC calls', 'CRM calls'], idleRows)}\n\n`);
process.stdout.write(`${table(['start-up', 'command', 'wall', 'CPU', 'peak RSS'], startRows)}\n\n`);
process.stdout.write(`${details.join('\n')}\n`);
