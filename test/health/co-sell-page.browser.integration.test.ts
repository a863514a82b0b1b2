/**
 * The co-sell page of the status site in a real browser (headless Chromium through
 * playwright-core), served by the daemon as `cosell-sync run` starts it: reached from the status
 * page, its charts drawn with one mark per number, and every number the one `cosell-sync report`
 * prints for the same store.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CliContext } from '../../src/cli/context.js';
import { runCli } from '../../src/cli/program.js';
import { hours, rate } from '../../src/health/render-text.js';
import type { HealthReport } from '../../src/health/report.js';
import { openStore } from '../../src/store/open-store.js';
import { ADMIN_TOKEN, startAdminDaemon, type AdminDaemon } from '../app/admin-daemon.js';
import { captureText, MINIMAL_ENV } from '../app/helpers.js';
import { seedHistory } from './seeded-history.js';
import { CHROMIUM, openPage } from '../support/browser.js';

const SINCE = '2026-11-01';
// CI installs Chromium (.ci/run); elsewhere the test says why it did not run.
const haveBrowser = existsSync(CHROMIUM) || process.env['COSELL_REQUIRE_SERVICES'] === '1';
if (!haveBrowser) process.stderr.write(`co-sell page browser test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set COSELL_CHROMIUM)\n`);

(haveBrowser ? describe : describe.skip)('the co-sell page in a headless browser', () => {
  let daemon: AdminDaemon;
  let browser: Browser;
  let page: Page;
  let report: HealthReport;

  beforeAll(async () => {
    daemon = await startAdminDaemon({
      prepare: async (dir) => {
        mkdirSync(join(dir, 'state'));
        const store = await openStore({ kind: 'sqlite', path: join(dir, 'state/cosell.sqlite') });
        await seedHistory(store);
        await store.close();
      },
    });
    const stdout = captureText();
    const ctx: CliContext = { stdout: stdout.write, stderr: () => undefined, env: MINIMAL_ENV, cwd: daemon.dir, stderrIsTty: false, version: 'test', onShutdownSignal: () => () => undefined };
    expect(await runCli(['report', '--since', SINCE, '--json', '--config', 'cosell.yaml'], ctx)).toBe(0);
    report = JSON.parse(stdout.text()) as HealthReport;
    ({ browser, page } = await openPage({ headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
  });

  it('is reached from the status page, and its charts and tables show the report\'s numbers', async () => {
    await page.goto(`${daemon.admin}/`);
    await page.getByRole('link', { name: 'co-sell health' }).click();
    await page.waitForURL(/\/co-sell$/);
    // The same period as the report.
    await page.goto(`${daemon.admin}/co-sell?since=${SINCE}`);

    const summary = await page.locator('#co-sell-health > p').first().innerText();
    expect(summary).toContain(`${report.inbound.received} inbound referrals received, ${report.inbound.answered} answered, ${report.inbound.expired} expired unanswered, ${report.inbound.awaiting} awaiting`);
    expect(summary).toContain(`p50 ${hours(report.inbound.p50Hours)}, p90 ${hours(report.inbound.p90Hours)}`);

    // Response-time trend: drawn (it has a size on screen), one point per weekly p50 and p90.
    const trend = page.getByRole('img', { name: /Response time by week/ });
    const trendBox = await trend.boundingBox();
    expect(trendBox?.width).toBeGreaterThan(100);
    expect(trendBox?.height).toBeGreaterThan(50);
    const points = await trend.locator('circle title').allTextContents();
    const expectedPoints = report.responseTimes.week.flatMap((w) => [
      ...(w.p90Hours === null ? [] : [`${w.period} p90 ${hours(w.p90Hours)}`]),
      ...(w.p50Hours === null ? [] : [`${w.period} p50 ${hours(w.p50Hours)}`]),
    ]);
    expect(expectedPoints.length).toBeGreaterThan(1);
    expect(points.sort()).toEqual(expectedPoints.sort());
    expect(await trend.locator('polyline').count()).toBe(2);

    // Outcomes by source: one visible bar segment per non-zero count, and the accept rate beside it.
    const bySource = page.getByRole('img', { name: 'Accepted, declined and expired by source' });
    expect((await bySource.boundingBox())?.width).toBeGreaterThan(100);
    const segments = await bySource.locator('rect title').allTextContents();
    const sources = report.acceptance.filter((a) => a.dimension === 'source');
    expect(sources.length).toBeGreaterThan(0);
    const expectedSegments = sources.flatMap((s) => (['accepted', 'declined', 'expired', 'awaiting'] as const).filter((k) => s[k] > 0).map((k) => `${s.value}: ${s[k]} ${k}`));
    expect(segments.sort()).toEqual(expectedSegments.sort());
    for (const rect of await bySource.locator('rect:has(title)').all()) expect((await rect.boundingBox())?.width).toBeGreaterThan(0);
    const barText = await bySource.locator('text').allTextContents();
    for (const s of sources) expect(barText).toContain(rate(s.acceptRate));

    // Tables: every weekly row and every acceptance row as the report has it.
    const rows = await page.locator('#co-sell-health table tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '').join('|')));
    for (const w of report.responseTimes.week) expect(rows).toContain([w.period, w.received, w.answered, w.expired, w.awaiting, hours(w.p50Hours), hours(w.p90Hours)].join('|'));
    for (const a of report.acceptance) expect(rows).toContain([a.dimension, a.value, a.accepted, a.declined, a.expired, a.awaiting, rate(a.acceptRate)].join('|'));
    await expect(page.getByRole('heading', { name: `Findings (${report.findings.length})` }).count()).resolves.toBe(1);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) expect(rows.some((r) => r.includes(f.record) && r.includes(f.fix))).toBe(true);
  }, 60_000);
});
