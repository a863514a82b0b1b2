/**
 * Scale-out as operators run it: two and three `cosell-sync run` processes on one PostgreSQL
 * store, against the sandbox, every loop scheduled each second on every instance. Midway the
 * instance holding the outbound lease is killed with SIGKILL. Afterwards each flagged deal has
 * exactly one referral, each inbound referral one CRM record, and no loop ever ran on two
 * instances at once (runs of one loop never overlap, except a dead holder's, marked abandoned).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { composeEngine } from '../../src/app/compose.js';
import { parseConfigText } from '../../src/config/index.js';
import { createLogger } from '../../src/logging/index.js';
import { openStore } from '../../src/store/open-store.js';
import type { RunRecord, StateStore } from '../../src/store/types.js';
import { sandboxDaemonConfig } from '../../sandbox/daemon-config.js';
import { startSandbox, type Sandbox } from '../../sandbox/start-sandbox.js';
import { repoRoot } from '../support/sandbox-harness.js';
import { trustedSandboxCa } from '../support/trusted-ca.js';
import { PG_URL, pgReachable } from '../support/postgres.js';

const TSX_LOADER = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
const TTL_MS = 3_000;


interface Instance {
  dir: string;
  child: ChildProcess;
  stderr: string;
  exited: Promise<number | null>;
  /** The id the instance persisted (leases.identityFile). */
  identity: () => string | null;
}

function startInstance(args: { root: string; name: string; yaml: string; env: Record<string, string> }): Instance {
  const dir = join(args.root, args.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cosell.yaml'), args.yaml);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, join(repoRoot, 'src/cli/bin.ts'), 'run', '--config', 'cosell.yaml'], {
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', ...args.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const instance: Instance = {
    dir,
    child,
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    identity: () => {
      try {
        return readFileSync(join(dir, 'var/cosell-sync.instance'), 'utf8').trim();
      } catch {
        return null;
      }
    },
  };
  child.stderr?.on('data', (chunk: Buffer) => (instance.stderr += chunk.toString()));
  return instance;
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Runs of one loop that overlap in time, neither of them left by a dead holder. */
function overlapping(runs: readonly RunRecord[]): string[] {
  const found: string[] = [];
  const byKind = new Map<string, RunRecord[]>();
  for (const run of runs) byKind.set(run.kind, [...(byKind.get(run.kind) ?? []), run]);
  for (const [kind, list] of byKind) {
    const sorted = list.filter((r) => r.status !== 'abandoned').sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1]!;
      const after = sorted[i]!;
      if (before.finishedAt === null || before.finishedAt > after.startedAt) found.push(`${kind}: ${before.id} (${before.startedAt}–${before.finishedAt}) and ${after.id} (from ${after.startedAt})`);
    }
  }
  return found;
}

async function scenario(instances: number): Promise<void> {
  const sandbox: Sandbox = await startSandbox({ seed: 40 + instances, size: 40, referrals: 12, crms: ['salesforce'], ca: trustedSandboxCa(), salesforce: { participatingRate: 1 } });
  const root = mkdtempSync(join(tmpdir(), 'cosell-instances-'));
  const schema = `cosell_instances_${instances}_${randomUUID().slice(0, 8)}`;
  const caFile = join(root, 'sandbox-ca.pem');
  writeFileSync(caFile, sandbox.ca.cert);
  const base = sandboxDaemonConfig({ sandbox, storePath: 'unused', caFile, crms: ['salesforce'], mappingsDir: join(repoRoot, 'mappings'), serverPort: 0, everySeconds: 1 });
  const yaml = base.yaml
    .replace(/store:\n {2}kind: sqlite\n {2}path: .*\n/, `store:\n  kind: postgres\n  schema: ${schema}\n`)
    .replace(/reconcile: ".*"/, 'reconcile: "*/2 * * * * *"')
    .concat(`leases:\n  ttlMs: ${TTL_MS}\n`);
  const env = { ...base.env, COSELL_PG_URL: PG_URL };
  const parsed = parseConfigText({ text: yaml, env, cwd: root });
  if (!parsed.ok) throw new Error(`config invalid: ${JSON.stringify(parsed.error)}`);

  // The operator signs in once (`cosell-sync auth login`): the token cache is in the shared store.
  const store: StateStore = await openStore({ kind: 'postgres', url: PG_URL, schema });
  const engine = composeEngine({ config: parsed.value, logger: createLogger({ level: 'silent', pretty: false }), store });
  await engine.partnerCenter.login?.loginWithDeviceCode({ onCode: () => undefined });
  await engine.close();

  const sf = sandbox.salesforce!.control;
  const pc = sandbox.partnerCenter.control;
  const flagged = (sf.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true' }) as { Id: string }[]).map((r) => r.Id);
  const inbound = pc.list().filter((r) => r.direction === 'Incoming');
  const running = Array.from({ length: instances }, (_, i) => startInstance({ root, name: `instance-${i + 1}`, yaml, env }));
  try {
    // Kill whoever holds the outbound loop once it has shared part of the deals.
    const flaggedSet = new Set(flagged);
    await until('the first referrals', async () => pc.list().filter((r) => flaggedSet.has(r.externalReferenceId ?? '')).length >= 5, 90_000);
    // Kill it while it holds the lease (a run going on), so the lease is left to expire.
    await until('the outbound lease held', async () => (await store.getLease('loop:outbound:salesforce'))?.heldUntil != null, 60_000);
    const holder = (await store.getLease('loop:outbound:salesforce'))?.owner;
    const victim = running.find((x) => x.identity() === holder);
    expect({ holder, victim: victim?.identity() }).toEqual({ holder: expect.any(String), victim: holder });
    victim!.child.kill('SIGKILL');
    await victim!.exited;
    // The run may have ended and released the lease in the moment before the kill: then there is nothing to take over.
    const leftHeld = (await store.getLease('loop:outbound:salesforce'))?.owner === holder && (await store.getLease('loop:outbound:salesforce'))?.heldUntil != null;

    const survivors = running.filter((x) => x !== victim);
    const shared = (): Set<string> => new Set(pc.list().filter((r) => r.direction === 'Outgoing').map((r) => r.externalReferenceId ?? ''));
    const settled = async (): Promise<boolean> => {
      const failed = new Set((await store.listFailures()).map((f) => f.key.split(':').at(-1)));
      const outDone = flagged.every((id) => shared().has(id) || failed.has(id));
      const landed = new Set((sf.query({ soql: 'SELECT Referral_Id__c FROM Opportunity WHERE Referral_Id__c != null' }) as { Referral_Id__c: string }[]).map((r) => r.Referral_Id__c));
      const leads = new Set((sf.query({ soql: 'SELECT Referral_Id__c FROM Lead WHERE Referral_Id__c != null' }) as { Referral_Id__c: string }[]).map((r) => r.Referral_Id__c));
      const inDone = inbound.every((r) => landed.has(r.id) || leads.has(r.id) || failed.has(r.id) || r.status === 'Closed');
      return outDone && inDone;
    };
    await until('every deal shared or failed and every inbound referral landed', settled, 120_000);
    // The dead holder's loop goes on elsewhere once its lease expires; then two more rounds of
    // every loop, so a late duplicate would show.
    const takenOver = `"lease":"loop:outbound:salesforce","from":"${holder}"`;
    const outboundOnSurvivor = (): boolean => survivors.some((x) => x.stderr.includes(takenOver) || (!leftHeld && x.stderr.includes('"loop":"outbound:salesforce","dryRun":false,"msg":"cycle started"')));
    await until('the outbound loop going on elsewhere', async () => outboundOnSurvivor(), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    for (const x of survivors) x.child.kill('SIGTERM');
    for (const x of survivors) expect(await x.exited).toBe(0);

    const outgoing = pc.list().filter((r) => flaggedSet.has(r.externalReferenceId ?? '') && r.direction === 'Outgoing' && !r.target.some((t) => t.id === 'msft'));
    const perDeal = new Map<string, number>();
    for (const r of outgoing) perDeal.set(r.externalReferenceId ?? '', (perDeal.get(r.externalReferenceId ?? '') ?? 0) + 1);
    expect([...perDeal].filter(([, n]) => n > 1)).toEqual([]);
    expect(outgoing.length).toBeGreaterThanOrEqual(5);
    for (const type of ['Opportunity', 'Lead']) {
      const rows = sf.query({ soql: `SELECT Id, Referral_Id__c FROM ${type} WHERE Referral_Id__c != null` }) as { Referral_Id__c: string }[];
      const perReferral = new Map<string, number>();
      for (const row of rows) perReferral.set(row.Referral_Id__c, (perReferral.get(row.Referral_Id__c) ?? 0) + 1);
      expect([...perReferral].filter(([, n]) => n > 1)).toEqual([]);
    }
    const runs = await store.listRuns(10_000);
    expect(overlapping(runs)).toEqual([]);
    // The dead holder's loop went on elsewhere within a few TTLs, and its unfinished run was marked.
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    const logs = survivors.map((x) => x.stderr).join('\n');
    expect(logs).not.toContain('DuplicateLinkError');
    if (leftHeld) expect(logs).toContain(takenOver);
    expect(outboundOnSurvivor()).toBe(true);
  } finally {
    for (const x of running) if (x.child.exitCode === null && x.child.signalCode === null) x.child.kill('SIGKILL');
    await Promise.all(running.map((x) => x.exited));
    await store.close();
    await sandbox.close();
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(root, { recursive: true, force: true });
  }
}

describe('several daemon instances on one PostgreSQL store', () => {
  it.each([2, 3])('%i instances: one referral per deal, one CRM record per inbound referral, each loop on one instance at a time, a killed holder taken over', async (n) => {
    if (!(await pgReachable())) {
      if (process.env['COSELL_REQUIRE_SERVICES'] === '1') throw new Error(`PostgreSQL is not reachable at ${new URL(PG_URL).host}`);
      console.warn(`skipped: no PostgreSQL at ${new URL(PG_URL).host} (set COSELL_TEST_PG_URL)`);
      return;
    }
    await scenario(n);
  }, 300_000);
});
