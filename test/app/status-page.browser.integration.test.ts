/**
 * The status page in a real browser (headless Chromium through playwright-core), served by the
 * daemon as `cosell-sync run` starts it against the sandbox: the operator signs in with the admin
 * token, sees the held conflict and the failed record, resolves the conflict with its button (the
 * page's CSRF token riding along) and the chosen value lands in Partner Center; retries the
 * failure. A page on another origin cannot do the same through the operator's browser, and a
 * browser that never signed in is refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

import { runCycle } from '../../src/engine/cycle.js';
import { repoRoot, startHarness, type Harness } from '../support/sandbox-harness.js';
import { startAdminDaemon, type AdminDaemon } from './admin-daemon.js';

const CHROMIUM = process.env['COSELL_CHROMIUM'] ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run); elsewhere the test says why it did not run.
const haveBrowser = existsSync(CHROMIUM) || process.env['COSELL_REQUIRE_SERVICES'] === '1';
if (!haveBrowser) process.stderr.write(`status page browser test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set COSELL_CHROMIUM)\n`);

const FAILURE_KEY = 'salesforce:opportunity:006FAILEDINTEST';
const FAR_AWAY = '2027-12-08T00:00:00.000Z';

/** A page on another origin that posts a form at the daemon as soon as it opens. */
async function hostileSite(target: string): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><form method="post" action="${target}"><input name="take" value="partnerCenter"></form><script>document.forms[0].submit()</script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/`, server };
}

(haveBrowser ? describe : describe.skip)('the status page in a headless browser', () => {
  let h: Harness;
  let daemon: AdminDaemon;
  let browser: Browser;
  let operator: BrowserContext;
  let page: Page;
  let referralId = '';
  let conflictId = '';
  const scratch = mkdtempSync(join(tmpdir(), 'cosell-page-'));
  const openConflicts = async (): Promise<string[]> => {
    const status = (await (await fetch(`${daemon.admin}/status`, { headers: { authorization: `Bearer ${h.env['COSELL_ADMIN_TOKEN'] ?? ''}` } })).json()) as { conflicts: { id: string }[] };
    return status.conflicts.map((c) => c.id);
  };

  beforeAll(async () => {
    // The admin's copy of the default mapping: notes edited on both sides wait for a person.
    const mapping = readFileSync(join(repoRoot, 'mappings/salesforce.yaml'), 'utf8').replace(/(- referral: details\.notes\n\s+crm: Description\n\s+policy:) newestWins/, '$1 hold');
    const mappingFile = join(scratch, 'salesforce-hold.yaml');
    writeFileSync(mappingFile, mapping);
    h = await startHarness({ size: 20, sandbox: { salesforce: { participatingRate: 1 } }, mappingFiles: { salesforce: mappingFile } });
    await runCycle(h.engine.deps, { direction: 'out' });
    const link = (await h.store.listLinks({ state: 'linked', limit: 100 })).find((l) => l.snapshot['status'] === 'Active/Accepted');
    if (link?.crmId == null || link.referralId === null) throw new Error('the sandbox shared no accepted deal');
    referralId = link.referralId;
    // A later second than the write-back above (Salesforce stamps are whole seconds).
    h.sandbox.clock.advance(1000);
    h.sandbox.salesforce?.control.editRecord({ type: 'Opportunity', id: link.crmId, fields: { Description: 'notes from the CRM' } });
    h.sandbox.partnerCenter.control.editAsUser({ id: referralId, changes: [{ op: 'replace', path: '/details/notes', value: 'notes from Partner Center' }] });
    await runCycle(h.engine.deps);
    const [held] = await h.store.listConflicts({ open: true });
    if (held === undefined) throw new Error('no conflict was held');
    conflictId = held.id;
    await h.store.recordFailure({
      key: FAILURE_KEY,
      operation: 'outbound',
      reason: 'invalid: the referral refused the change',
      errorKind: 'invalid',
      payload: null,
      nextAttemptAt: FAR_AWAY,
      lastFailedAt: '2026-12-06T00:00:00.000Z',
      failedAt: '2026-12-06T00:00:00.000Z',
    });
    // The daemon opens the store now: one store per file per process.
    await h.engine.close();
    await h.store.close();
    daemon = await startAdminDaemon({ yaml: readFileSync(h.configFile, 'utf8'), env: h.env });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    operator = await browser.newContext();
    page = await operator.newPage();
    page.setDefaultTimeout(15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
    await h?.sandbox.close();
    if (h !== undefined) rmSync(h.dir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('signs in with the admin token and shows the held conflict and the failed record', async () => {
    await page.goto(`${daemon.admin}/`);
    await page.waitForURL(/\/signin$/);
    await page.getByLabel('Admin token').fill(h.env['COSELL_ADMIN_TOKEN'] ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${daemon.admin}/`);
    await expect(page.getByRole('heading', { name: 'Held conflicts (1)' }).count()).resolves.toBe(1);
    const conflict = page.getByRole('row').filter({ hasText: 'details.notes' });
    await expect(conflict.innerText()).resolves.toMatch(/notes from the CRM[\s\S]*notes from Partner Center/);
    await expect(page.getByRole('row').filter({ hasText: FAILURE_KEY }).innerText()).resolves.toContain('the referral refused the change');
  }, 60_000);

  it('does not let a page on another origin resolve the conflict through the signed-in browser', async () => {
    const hostile = await hostileSite(`${daemon.admin}/conflicts/${encodeURIComponent(conflictId)}/resolve`);
    try {
      const tab = await operator.newPage();
      const answers: number[] = [];
      tab.on('response', (response) => {
        if (response.url().includes('/conflicts/')) answers.push(response.status());
      });
      await tab.goto(hostile.url);
      await tab.waitForURL(/\/conflicts\//);
      expect(answers).toEqual([403]);
      await tab.close();
    } finally {
      await new Promise((resolve) => hostile.server.close(resolve));
    }
    expect(await openConflicts()).toEqual([conflictId]);
    expect(h.sandbox.partnerCenter.control.get(referralId)?.details?.notes).toBe('notes from Partner Center');
  }, 60_000);

  it('resolves the conflict with its button: the CRM value lands in Partner Center and the page lists no conflict', async () => {
    await page.goto(`${daemon.admin}/`);
    await page.getByRole('row').filter({ hasText: 'details.notes' }).getByRole('button', { name: 'keep CRM' }).click();
    await page.waitForURL(`${daemon.admin}/`);
    await expect(page.getByRole('heading', { name: 'Held conflicts (0)' }).count()).resolves.toBe(1);
    expect(h.sandbox.partnerCenter.control.get(referralId)?.details?.notes).toBe('notes from the CRM');
    expect(await openConflicts()).toEqual([]);
  }, 60_000);

  it('retries the failed record with its button: it is due now', async () => {
    await page.goto(`${daemon.admin}/`);
    await page.getByRole('row').filter({ hasText: FAILURE_KEY }).getByRole('button', { name: 'retry now' }).click();
    await page.waitForURL(`${daemon.admin}/`);
    // Due now: listed with a next attempt that is no longer the far one (or already retried by a cycle).
    const rows = await page.getByRole('row').filter({ hasText: FAILURE_KEY }).allInnerTexts();
    expect(rows.filter((row) => row.includes(FAR_AWAY))).toEqual([]);
  }, 60_000);

  it('refuses a browser that never signed in: 401 on the JSON and on a resolve, the page sends it to sign in', async () => {
    const stranger = await browser.newContext();
    try {
      expect((await stranger.request.get(`${daemon.admin}/status`)).status()).toBe(401);
      const post = await stranger.request.post(`${daemon.admin}/failures/${encodeURIComponent(FAILURE_KEY)}/retry`, { headers: { origin: daemon.admin } });
      expect(post.status()).toBe(401);
      const tab = await stranger.newPage();
      await tab.goto(`${daemon.admin}/`);
      expect(new URL(tab.url()).pathname).toBe('/signin');
    } finally {
      await stranger.close();
    }
  }, 60_000);
});
