import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { resolveHeldConflict } from '../../src/engine/conflicts.js';
import { runCycle } from '../../src/engine/cycle.js';
import type { RecordHistory } from '../../src/store/record-history.js';
import { statusRoutes } from '../../src/app/status-routes.js';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/logging/index.js';
import { SessionStore } from '../../src/server/admin/index.js';
import { buildServer, createMetrics } from '../../src/server/index.js';
import { captureText, logSink } from '../app/helpers.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';

async function cli(h: Harness, argv: string[]) {
  const stdout = captureText();
  const stderr = captureText();
  const ctx: CliContext = { stdout: stdout.write, stderr: stderr.write, env: h.env, cwd: repoRoot, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
  const code = await runCli([...argv, '--config', h.configFile], ctx);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('cosell-sync history: what happened to this deal', () => {
  let h: Harness;
  let oppId: string;
  let referralId: string;

  beforeAll(async () => {
    // Notes edited on both sides wait for a person, so a conflict and its resolution show.
    const mapping = readFileSync(join(repoRoot, 'mappings/salesforce.yaml'), 'utf8').replace(
      /(- referral: details\.notes\n\s+crm: Description\n\s+policy:) newestWins/,
      '$1 hold',
    );
    const file = join(repoRoot, 'test/.tmp-salesforce-history.yaml');
    writeFileSync(file, mapping);
    h = await startHarness({ size: 30, sandbox: { salesforce: { participatingRate: 1 } }, mappingFiles: { salesforce: file } });
    await runCycle(h.engine.deps, { direction: 'out' });
    const open = (await h.store.listLinks({ state: 'linked', limit: 100 })).find((l) => l.snapshot['status'] === 'Active/Accepted');
    oppId = open!.crmId!;
    referralId = open!.referralId!;
  });
  afterAll(() => h.close());

  it('lists reads, writes with values before and after, a held conflict, its resolution and a failure, newest first, by either id', async () => {
    const sf = h.sandbox.salesforce!.control;
    const before = (await h.store.findLinksByCrmIds('salesforce', [oppId]))[0]!.snapshot['details.dealValue'];
    h.sandbox.clock.advance(1000);
    sf.editRecord({ type: 'Opportunity', id: oppId, fields: { Amount: 123_456 } });
    await runCycle(h.engine.deps, { direction: 'out' });

    h.sandbox.clock.advance(1000);
    sf.editRecord({ type: 'Opportunity', id: oppId, fields: { Description: 'call jane.doe@acme-private.example on +49 30 1234567' } });
    h.sandbox.partnerCenter.control.editAsUser({ id: referralId, changes: [{ op: 'replace', path: '/details/notes', value: 'notes from Partner Center' }] });
    await runCycle(h.engine.deps);
    const [held] = await h.store.listConflicts({ open: true });
    // Resolved in process, so its time is the sandbox's time like the cycles' (the CLI's resolve is tested elsewhere).
    await resolveHeldConflict(h.engine.deps, { conflictId: held!.id, choice: { take: 'partnerCenter' } });

    h.sandbox.clock.advance(1000);
    sf.editRecord({ type: 'Opportunity', id: oppId, fields: { Name: '  ' } });
    await runCycle(h.engine.deps, { direction: 'out' });

    const byCrm = await cli(h, ['history', '--crm-id', oppId, '--json']);
    expect(byCrm.code).toBe(0);
    const history = JSON.parse(byCrm.stdout) as RecordHistory;
    const events = history.entries.map((e) => e.event);
    // Newest first: the failure, then the resolution, the conflict, the amount written, the create.
    expect(events[0]).toBe('failed');
    expect(history.entries[0]?.detail).toMatch(/name/i);
    expect(events.indexOf('resolved')).toBeLessThan(events.indexOf('held'));
    const written = history.entries.filter((e) => e.event === 'written');
    const amount = written.flatMap((e) => e.changes).find((c) => c.field === 'details.dealValue' && c.after === 123_456);
    expect(amount).toEqual({ field: 'details.dealValue', target: 'partnerCenter', before, after: 123_456 });
    const create = written.at(-1)!;
    expect(create.action).toBe('createReferral');
    expect(create.changes.some((c) => c.field === 'name' && !('before' in c))).toBe(true);
    expect(events.at(-1)).toBe('read');
    const resolved = history.entries.find((e) => e.event === 'resolved')!;
    expect(resolved).toMatchObject({ runId: null, changes: [{ field: 'details.notes', after: 'notes from Partner Center' }] });
    expect(history.entries.filter((e) => e.runId !== null).every((e) => typeof e.runId === 'string' && e.runId.length > 0)).toBe(true);
    // The conflict's CRM value held an e-mail address and a phone number: neither is kept.
    expect(byCrm.stdout).not.toContain('jane.doe');
    expect(byCrm.stdout).not.toContain('1234567');
    expect(JSON.stringify(history.entries.find((e) => e.event === 'held')?.changes)).toContain('[email]');

    const byReferral = JSON.parse((await cli(h, ['history', '--referral-id', referralId, '--json'])).stdout) as RecordHistory;
    expect(byReferral.entries).toEqual(history.entries);
    expect(byReferral.entries).toContainEqual(expect.objectContaining({ recordKey: `referral:${referralId}`, event: 'skipped', detail: 'unchanged since last sync' }));

    const text = await cli(h, ['history', '--crm-id', oppId]);
    expect(text.stdout).toContain(`history of CRM record ${oppId}, newest first`);
    expect(text.stdout).toMatch(new RegExp(`details\\.dealValue: ${before} -> 123456`));
    expect(text.stdout).toContain(`run ${history.entries[0]!.runId}`);
  });

  it('records what a write did after Partner Center moved meanwhile, not what it first meant to do', async () => {
    const other = (await h.store.listLinks({ state: 'linked', limit: 100 })).find((l) => l.crmId !== oppId && l.snapshot['status'] === 'Active/Accepted')!;
    // A person renames the opportunity; seconds later another renames the referral. The outbound
    // cycle reads only the CRM, so its write meets a changed referral (412), merges again and the
    // later Partner Center name goes to the CRM instead.
    h.sandbox.clock.advance(1000);
    h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id: other.crmId!, fields: { Name: 'Renamed in Salesforce' } });
    h.sandbox.clock.advance(3000);
    h.sandbox.partnerCenter.control.editAsUser({ id: other.referralId!, changes: [{ op: 'replace', path: '/name', value: 'Renamed in Partner Center' }] });
    await runCycle(h.engine.deps, { direction: 'out' });

    expect(h.sandbox.salesforce!.control.getRecord({ type: 'Opportunity', id: other.crmId! })?.['Name']).toBe('Renamed in Partner Center');
    const history = JSON.parse((await cli(h, ['history', '--crm-id', other.crmId!, '--json'])).stdout) as RecordHistory;
    const last = history.entries.find((e) => e.event === 'written')!;
    expect(last.changes).toContainEqual(expect.objectContaining({ target: 'salesforce', field: 'name', after: 'Renamed in Partner Center' }));
    expect(last.changes.filter((c) => c.target === 'partnerCenter')).toEqual([]);
  });

  it('the status page tells the same story: per record, newest first, run ids, values redacted, reached from the failed record', async () => {
    const token = 'history-page-test-token-0123456789';
    const bearer = { authorization: `Bearer ${token}` };
    const logger = createLogger({ level: 'silent', pretty: false, destination: logSink().stream });
    const metrics = createMetrics();
    const auth = { token, allowedHosts: new Set(['127.0.0.1']), sessions: new SessionStore({ clock: systemClock, ttlMs: 60_000 }), sessionTtlMs: 60_000, logger, entra: null };
    const server = await buildServer({ logger, metrics, auth, health: () => ({ storeOpen: true, connectors: {} }), routes: (app) => statusRoutes({ app, deps: h.engine.deps, metrics }) });
    const base = await server.listen({ host: '127.0.0.1', port: 0 });
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers: bearer });
      return { status: response.status, text: await response.text() };
    };
    try {
      const fromCli = JSON.parse((await cli(h, ['history', '--crm-id', oppId, '--json'])).stdout) as RecordHistory;
      expect(fromCli.entries.length).toBeGreaterThan(5);
      expect(JSON.parse((await get(`/history.json?crmId=${encodeURIComponent(oppId)}`)).text)).toEqual(fromCli);

      const page = await get(`/history?crmId=${encodeURIComponent(oppId)}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(`History of CRM record ${oppId}`);
      const rows = page.text.split('<table aria-label="history">')[1]!.split('<tr>').slice(2);
      expect(rows).toHaveLength(fromCli.entries.length);
      for (const [i, entry] of fromCli.entries.entries()) {
        expect(rows[i]).toContain(`<td>${entry.event}</td><td>${entry.action}</td>`);
        expect(rows[i]).toContain(entry.runId === null ? 'by a person' : `<code>${entry.runId}</code>`);
      }
      expect(page.text).toContain('details.dealValue</code>: ');
      expect(page.text).toContain(' → 123456');
      expect(page.text).not.toContain('jane.doe');
      expect(page.text).not.toContain('1234567');
      expect(page.text).toContain('[email]');
      expect((await get(`/history?referralId=${encodeURIComponent(referralId)}`)).text.split('<tr>')).toHaveLength(rows.length + 2);

      const status = await get('/');
      expect(status.text).toContain(`<a href="/history?crmId=${encodeURIComponent(oppId)}">salesforce:opportunity:${oppId}</a>`);
      expect(status.text).toContain('<form method="get" action="/history">');
      expect((await get(`/history?crmId=${oppId}&referralId=${referralId}`)).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it('says so when the record has no history, and refuses a command line naming no record', async () => {
    expect((await cli(h, ['history', '--crm-id', '006NOSUCHRECORD'])).stdout).toBe('no history for CRM record 006NOSUCHRECORD\n');
    expect((await cli(h, ['history'])).code).toBe(2);
    expect((await cli(h, ['history', '--crm-id', 'a', '--referral-id', 'b'])).code).toBe(2);
  });
});
