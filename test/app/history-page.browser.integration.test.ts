/**
 * Record history on the status site in a real browser (headless Chromium through playwright-core),
 * served by the daemon as `cosell-sync run` starts it: from a failed record on the status page to
 * its history, newest first with run ids, and the look-up form by the other id of the pair.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';

import type { HistoryEntry } from '../../src/store/history-types.js';
import { openStore } from '../../src/store/open-store.js';
import { ADMIN_TOKEN, startAdminDaemon, type AdminDaemon } from './admin-daemon.js';
import { CHROMIUM, openPage } from '../support/browser.js';

// CI installs Chromium (.ci/run); elsewhere the test says why it did not run.
const haveBrowser = existsSync(CHROMIUM) || process.env['COSELL_REQUIRE_SERVICES'] === '1';
if (!haveBrowser) process.stderr.write(`history page browser test skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set COSELL_CHROMIUM)\n`);

const CRM_ID = '006HIST0000001AAA';
const REFERRAL_ID = 'b6f1c2de-0000-4000-8000-00000000h001';
const KEY = `salesforce:opportunity:${CRM_ID}`;

const entry = (e: Partial<HistoryEntry> & Pick<HistoryEntry, 'at' | 'runId' | 'event' | 'action'>): HistoryEntry => ({
  recordKey: KEY,
  crmId: CRM_ID,
  referralId: null,
  detail: null,
  changes: [],
  ...e,
});

/** One deal's story: read and shared, then its amount written, then a failed update. */
const STORY: HistoryEntry[] = [
  entry({ at: '2026-12-07T09:00:00.000Z', runId: 'run-a', event: 'read', action: 'outbound' }),
  entry({ at: '2026-12-07T09:00:01.000Z', runId: 'run-a', event: 'written', action: 'createReferral', changes: [{ field: 'details.dealValue', target: 'partnerCenter', after: 5000 }] }),
  entry({ at: '2026-12-07T10:00:00.000Z', runId: 'run-b', event: 'written', action: 'outbound', changes: [{ field: 'details.dealValue', target: 'partnerCenter', before: 5000, after: 7500 }] }),
  entry({ at: '2026-12-07T11:00:00.000Z', runId: 'run-c', event: 'failed', action: 'outbound', detail: "invalid: 'name' has no value" }),
];

async function seed(dir: string): Promise<void> {
  mkdirSync(join(dir, 'state'), { recursive: true });
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'state/cosell.sqlite') });
  try {
    await store.saveLink({
      crmSystem: 'salesforce',
      crmKind: 'opportunity',
      crmId: CRM_ID,
      referralId: REFERRAL_ID,
      engagementId: null,
      origin: 'crm',
      state: 'linked',
      snapshot: { 'details.dealValue': 7500 },
      crmVersion: null,
      referralETag: null,
      respondBy: null,
    });
    await store.appendHistory(STORY);
    await store.recordFailure({
      key: KEY,
      operation: 'outbound',
      reason: "invalid: 'name' has no value",
      errorKind: 'invalid',
      payload: null,
      nextAttemptAt: '2027-12-08T00:00:00.000Z',
      lastFailedAt: '2026-12-07T11:00:00.000Z',
      failedAt: '2026-12-07T11:00:00.000Z',
    });
  } finally {
    await store.close();
  }
}

(haveBrowser ? describe : describe.skip)('record history on the status site, in a headless browser', () => {
  let daemon: AdminDaemon;
  let browser: Browser;
  let page: Page;
  const rows = async (): Promise<string[]> =>
    page.locator('table[aria-label="history"] tr').evaluateAll((trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim()).join(' | ')));

  beforeAll(async () => {
    daemon = await startAdminDaemon({ prepare: seed });
    ({ browser, page } = await openPage({ headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await daemon?.stop();
  });

  it('goes from a failed record to its history, newest first with run ids, and looks the pair up by its referral id', async () => {
    await page.goto(`${daemon.admin}/`);
    await page.locator('table[aria-label="failed records"]').getByRole('link', { name: KEY }).click();
    await page.waitForURL(/\/history\?crmId=/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`History of CRM record ${CRM_ID}`);
    const expected = [
      `2026-12-07T11:00:00.000Z | failed | outbound | ${KEY} | run-c | invalid: 'name' has no value | `,
      `2026-12-07T10:00:00.000Z | written | outbound | ${KEY} | run-b |  | partnerCenter details.dealValue: 5000 → 7500`,
      `2026-12-07T09:00:01.000Z | written | createReferral | ${KEY} | run-a |  | partnerCenter details.dealValue: 5000`,
      `2026-12-07T09:00:00.000Z | read | outbound | ${KEY} | run-a |  | `,
    ];
    expect(await rows()).toEqual(expected);

    await page.getByLabel('referral id').fill(REFERRAL_ID);
    await page.getByRole('button', { name: 'show history' }).nth(1).click();
    await page.waitForURL(/\/history\?referralId=/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(`History of referral ${REFERRAL_ID}`);
    expect(await rows()).toEqual(expected);
  }, 60_000);
});
