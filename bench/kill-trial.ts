/**
 * `npm run bench -- kill-trial`: the crash trial of a backfill, as a user would run it. The
 * sandbox runs here; the daemon runs as the built CLI in its own process (`cosell-sync auth
 * login`, then `cosell-sync sync --direction out`), and is killed with SIGKILL in the middle of
 * its Partner Center writes, K times, each time after a random number of writes; then it runs to
 * the end twice. Prints how many referrals each flagged opportunity got (duplicates), how many
 * referrals no link knows, and the cost in calls.
 *
 *   KILL_TRIAL_SIZE=3000 KILL_TRIAL_KILLS=7 npm run bench -- kill-trial
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import { sandboxDaemonConfig } from '../sandbox/daemon-config.js';
import { startSandbox } from '../sandbox/start-sandbox.js';
import { createRandom } from '../sandbox/shared/random.js';

const size = Number(process.env['KILL_TRIAL_SIZE'] ?? 3000);
const kills = Number(process.env['KILL_TRIAL_KILLS'] ?? 7);
const seed = Number(process.env['KILL_TRIAL_SEED'] ?? 7);
const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'dist/cli/cosell-sync.js');
if (!existsSync(bin)) spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });

const sandbox = await startSandbox({ seed, size, crms: ['salesforce'], referrals: 0 });
const dir = mkdtempSync(join(tmpdir(), 'cosell-kill-trial-'));
const caFile = join(dir, 'sandbox-ca.pem');
writeFileSync(caFile, sandbox.ca.cert);
const storePath = join(dir, 'state.sqlite');
const { yaml, env } = sandboxDaemonConfig({ sandbox, storePath, caFile, crms: ['salesforce'], serverPort: 0, mappingsDir: join(root, 'mappings') });
const configFile = join(dir, 'cosell-sync.yaml');
writeFileSync(configFile, yaml);
const childEnv = { ...process.env, ...env, NODE_EXTRA_CA_CERTS: caFile };
const pc = sandbox.partnerCenter;
const writesToPc = (): number => pc.server.stats.log().filter((e) => e.method === 'POST' || e.method === 'PATCH').length;

function cli(args: string[]): ReturnType<typeof spawn> {
  return spawn(process.execPath, [bin, ...args, '--config', configFile], { env: childEnv, stdio: ['ignore', 'ignore', 'ignore'] });
}
const exited = (child: ReturnType<typeof spawn>): Promise<number | null> => new Promise((done) => child.once('exit', (code) => done(code)));

try {
  const login = await exited(cli(['auth', 'login']));
  if (login !== 0) throw new Error(`cosell-sync auth login exited ${login}`);
  const flagged = (sandbox.salesforce!.control.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true' }) as unknown[]).length;
  const random = createRandom(seed);
  const started = Date.now();
  let killed = 0;
  for (let k = 0; k < kills; k++) {
    const before = writesToPc();
    const after = 1 + Math.floor(random.next() * Math.max(1, flagged / (kills + 1)));
    const child = cli(['sync', '--direction', 'out']);
    const end = exited(child);
    let done = false;
    void end.then(() => (done = true));
    while (!done && writesToPc() - before < after) await new Promise((r) => setTimeout(r, 2));
    if (!done) {
      child.kill('SIGKILL');
      killed++;
    }
    await end;
  }
  const finals = [await exited(cli(['sync', '--direction', 'out'])), await exited(cli(['sync', '--direction', 'out']))];
  const wall = (Date.now() - started) / 1000;

  const referrals = pc.control.list().filter((r) => r.direction === 'Outgoing' && !r.target.some((t) => t.id === 'msft'));
  const perRecord = new Map<string, number>();
  for (const r of referrals) if (r.externalReferenceId) perRecord.set(r.externalReferenceId, (perRecord.get(r.externalReferenceId) ?? 0) + 1);
  const duplicates = [...perRecord.values()].reduce((n, c) => n + c - 1, 0);
  const store = await openStore({ kind: 'sqlite', path: storePath });
  const linked = new Set((await store.findLinksByReferralIds(referrals.map((r) => r.id))).map((l) => l.referralId));
  await store.close();
  const unlinked = referrals.filter((r) => !linked.has(r.id)).length;

  console.log(`opportunities in the org:         ${size} (${flagged} flagged for Partner Center)`);
  console.log(`daemon processes killed (SIGKILL): ${killed} of ${kills}, each during its Partner Center writes`);
  console.log(`runs to the end afterwards:        2 (exit codes ${finals.join(', ')})`);
  console.log(`own referrals in Partner Center:   ${referrals.length} for ${perRecord.size} opportunities`);
  console.log(`duplicate referrals:               ${duplicates}`);
  console.log(`referrals no link knows:           ${unlinked}`);
  console.log(`Partner Center writes (POST/PATCH): ${writesToPc()}`);
  console.log(`wall time of the trial:            ${wall.toFixed(1)} s`);
  if (duplicates > 0 || unlinked > 0) process.exitCode = 1;
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
