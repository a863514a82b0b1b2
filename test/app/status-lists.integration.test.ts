/**
 * The status page and /status with thousands of failed records and conflicts: they show the first
 * hundred of each and say how many there are, instead of building every row in the daemon at each
 * refresh. A real daemon (`cosell-sync run`) on a seeded SQLite store.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { BEARER, heldLink, seedStore, startAdminDaemon, type AdminDaemon } from './admin-daemon.js';

const FAILURES = 1_234;
const CONFLICTS = 150;
const at = (minute: number): string => new Date(Date.UTC(2027, 0, 1, 0, minute)).toISOString();

function seed(dir: string): Promise<void> {
  return seedStore(dir, async (store) => {
    const link = await store.saveLink(heldLink('006000000000001AAA'));
    for (let i = 0; i < CONFLICTS; i++) {
      await store.holdConflict({ linkId: link.id, path: `field${i}`, base: 'base', crmValue: 'crm', partnerCenterValue: 'pc', createdAt: '2026-12-06T10:00:00.000Z' });
    }
    // Due in reverse order of their keys: the page shows those due soonest, not the first keys.
    for (let i = 0; i < FAILURES; i++) {
      const key = `salesforce:opportunity:006${String(i).padStart(12, '0')}AAA`;
      await store.recordFailure({ key, operation: 'outbound', reason: 'invalid', errorKind: 'invalid', payload: null, nextAttemptAt: at(FAILURES - i), lastFailedAt: at(0), failedAt: at(0) });
    }
  });
}

describe('the status page with more failed records and conflicts than fit', () => {
  let daemon: AdminDaemon;
  beforeAll(async () => {
    daemon = await startAdminDaemon({ prepare: seed });
  }, 60_000);
  afterAll(() => daemon?.stop());

  it('/status holds the 100 failures due soonest and the 100 oldest conflicts, and counts them all', async () => {
    const response = await fetch(`${daemon.admin}/status`, { headers: BEARER });
    const status = (await response.json()) as { open: { failures: number; conflicts: number }; failures: { key: string; nextAttemptAt: string }[]; conflicts: { path: string }[] };
    expect(status.open).toEqual({ failures: FAILURES, conflicts: CONFLICTS });
    expect(status.failures).toHaveLength(100);
    expect(status.failures.map((f) => f.nextAttemptAt)).toEqual(Array.from({ length: 100 }, (_, i) => at(i + 1)));
    expect(status.conflicts.map((c) => c.path)).toEqual(Array.from({ length: 100 }, (_, i) => `field${i}`));
  });

  it('the page says how many there are and where to see them all', async () => {
    const html = await (await fetch(`${daemon.admin}/`, { headers: BEARER })).text();
    expect(html).toContain('Held conflicts (150; the 100 oldest shown, <code>cosell-sync conflicts list</code> lists all)');
    expect(html).toContain('Failed records (1,234; the 100 due soonest shown, <code>cosell-sync failures list</code> lists all)');
    expect(html.match(/action="\/failures\/[^"]+\/retry"/g)).toHaveLength(100);
    expect(html.match(/action="\/conflicts\/[^"]+\/resolve"/g)).toHaveLength(200);
  });
});
