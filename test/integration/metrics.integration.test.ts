/**
 * /metrics after real cycles of the daemon's own loops against the sandbox: every number is
 * checked against what happened, as the sandbox counted it or the CLI lists it.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { composeRuntime } from '../../src/app/runtime.js';
import type { SyncRuntime } from '../../src/app/sync-runtime.js';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { runCycle } from '../../src/engine/cycle.js';
import { createLogger } from '../../src/logging/index.js';
import { systemClock } from '../../src/core/clock.js';
import { SessionStore } from '../../src/server/admin/index.js';
import { buildServer, createMetrics } from '../../src/server/index.js';
import { captureText, logSink } from '../app/helpers.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';

const TOKEN = 'metrics-test-admin-token-0123456789';

/** The samples of one metric in Prometheus text: labels (as written) -> value. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{.*\\})? (\\S+)$`).exec(line);
    if (match) found.set(match[1] ?? '', Number(match[2]));
  }
  return found;
}
const sum = (values: Map<string, number>, labelPart: string): number =>
  [...values].filter(([labels]) => labels.includes(labelPart)).reduce((total, [, value]) => total + value, 0);

describe('metrics that tell the truth', () => {
  let h: Harness;
  let runtime: SyncRuntime;
  let server: FastifyInstance;
  let base: string;
  const metrics = createMetrics();
  const abort = new AbortController();
  const runLoop = async (name: string): Promise<void> => {
    const loop = runtime.loops.find((l) => l.name === name);
    if (loop === undefined) throw new Error(`no loop ${name}`);
    await loop.run(abort.signal);
  };
  const scrape = async (): Promise<string> => (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  const cli = async (argv: string[]): Promise<string> => {
    const out = captureText();
    const ctx: CliContext = { stdout: out.write, stderr: captureText().write, env: h.env, cwd: repoRoot, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
    expect(await runCli([...argv, '--config', h.configFile], ctx)).toBe(0);
    return out.text();
  };

  beforeAll(async () => {
    const mapping = readFileSync(join(repoRoot, 'mappings/salesforce.yaml'), 'utf8').replace(/(- referral: details\.notes\n\s+crm: Description\n\s+policy:) newestWins/, '$1 hold');
    const file = join(repoRoot, 'test/.tmp-salesforce-metrics.yaml');
    writeFileSync(file, mapping);
    h = await startHarness({ size: 30, sandbox: { salesforce: { participatingRate: 1, dailyApiLimit: 50_000 } }, mappingFiles: { salesforce: file } });
    // The state before the daemon: referrals shared, one deal's notes edited on both sides.
    await runCycle(h.engine.deps, { direction: 'out' });
    const open = (await h.store.listLinks({ state: 'linked', limit: 100 })).find((l) => l.snapshot['status'] === 'Active/Accepted')!;
    h.sandbox.clock.advance(1000);
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: open.crmId!, fields: { Description: 'notes from the CRM' } });
    h.sandbox.partnerCenter.control.editAsUser({ id: open.referralId!, changes: [{ op: 'replace', path: '/details/notes', value: 'notes from Partner Center' }] });
    // Two flagged deals Partner Center will refuse (a blank name).
    const flagged = h.sandbox.salesforce!.control.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true' }) as { Id: string }[];
    const linked = new Set((await h.store.findLinksByCrmIds('salesforce', flagged.map((r) => r.Id))).map((l) => l.crmId));
    const unlinked = flagged.filter((r) => !linked.has(r.Id));
    for (const record of unlinked.slice(-2)) h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: record.Id, fields: { Name: '  ' } });

    const logger = createLogger({ level: 'info', pretty: false, destination: logSink().stream });
    // Counted from here, by the sandbox and by the daemon's metrics alike: the daemon's first
    // calls are the sign-ins and describes it makes as it starts.
    for (const emulator of [h.sandbox.partnerCenter.server, h.sandbox.salesforce!.server]) emulator.stats.reset();
    runtime = await composeRuntime({ config: h.config, logger, store: h.store, metrics, trigger: async () => undefined });
    const auth = { token: TOKEN, allowedHosts: new Set(['127.0.0.1']), sessions: new SessionStore({ clock: systemClock, ttlMs: 60_000 }), sessionTtlMs: 60_000, logger, entra: null };
    server = await buildServer({ logger, metrics, auth, health: () => ({ storeOpen: true, connectors: {} }) });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    abort.abort();
    await server.close();
    await runtime.close();
    await h.close();
  });

  it('counts every vendor call, and reads open failures, conflicts and the last cycles from the store', async () => {
    await runLoop('outbound:salesforce');
    await runLoop('inbound');
    await runLoop('outbound:salesforce');
    const text = await scrape();

    const calls = samples(text, 'cosell_api_calls_total');
    expect(sum(calls, 'system="partnerCenter"')).toBe(h.sandbox.partnerCenter.server.stats.total());
    const salesforceApiCalls = Object.entries(h.sandbox.salesforce!.server.stats.byRoute())
      .filter(([route]) => !/token/i.test(route))
      .reduce((total, [, n]) => total + n, 0);
    expect(sum(calls, 'system="salesforce"')).toBe(salesforceApiCalls);
    expect(sum(calls, 'system="partnerCenter"')).toBeGreaterThan(0);
    // One series per kind of call, never per record.
    expect(calls.get('{system="partnerCenter",operation="GET /v1.0/engagements/referrals/{id}",status="200"}')).toBeGreaterThan(0);

    const failures = JSON.parse(await cli(['failures', 'list', '--json'])) as unknown[];
    expect(failures.length).toBeGreaterThan(0);
    expect(samples(text, 'cosell_failures_open').get('')).toBe(failures.length);
    const conflicts = await h.store.listConflicts({ open: true });
    expect(conflicts.length).toBeGreaterThan(0);
    expect(samples(text, 'cosell_conflicts_open').get('')).toBe(conflicts.length);

    // Cycle durations: two outbound runs, one inbound.
    const counts = samples(text, 'cosell_cycle_seconds_count');
    expect(counts.get('{crm="salesforce",direction="outbound"}')).toBe(2);
    expect(counts.get('{crm="salesforce",direction="inbound"}')).toBe(1);

    // The last cycle of each loop, as the runs the CLI and status page show.
    const runs = await h.store.listRuns(10);
    const lastOutbound = runs.find((r) => r.kind === 'outbound:salesforce')!;
    const records = samples(text, 'cosell_last_cycle_records');
    for (const result of ['read', 'written', 'failed'] as const) {
      expect(records.get(`{crm="salesforce",direction="outbound",result="${result}"}`)).toBe(lastOutbound.summary[result]);
    }
    const since = samples(text, 'cosell_seconds_since_last_successful_cycle');
    for (const direction of ['outbound', 'inbound']) {
      const age = since.get(`{crm="salesforce",direction="${direction}"}`);
      expect(age).toBeGreaterThanOrEqual(0);
      expect(age).toBeLessThan(3600);
    }

    const expiry = samples(text, 'cosell_partner_center_token_expiry_timestamp_seconds').get('');
    expect(expiry).toBeGreaterThan(Date.now() / 1000);
    expect(samples(text, 'cosell_api_budget_limit').get('{system="salesforce"}')).toBe(50_000);
    const remaining = samples(text, 'cosell_api_budget_remaining').get('{system="salesforce"}')!;
    expect(remaining).toBeLessThanOrEqual(50_000 - sum(calls, 'system="salesforce"'));
    expect(remaining).toBeGreaterThan(0);
  });

  it('follows the store when someone else changes it: a conflict resolved from the CLI leaves the count', async () => {
    const before = samples(await scrape(), 'cosell_conflicts_open').get('')!;
    const [held] = await h.store.listConflicts({ open: true });
    await cli(['conflicts', 'resolve', held!.id, '--take', 'crm']);
    expect(samples(await scrape(), 'cosell_conflicts_open').get('')).toBe(before - 1);
  });
});
