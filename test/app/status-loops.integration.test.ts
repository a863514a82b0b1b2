/** The status page's sync loops: each loop's last cycle and last success (from the store, any instance) and its next run. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { openStore } from '../../src/store/open-store.js';
import { BEARER, startAdminDaemon } from './admin-daemon.js';

async function seed(dir: string): Promise<void> {
  mkdirSync(join(dir, 'state'), { recursive: true });
  const store = await openStore({ kind: 'sqlite', path: join(dir, 'state/cosell.sqlite') });
  try {
    const ok = await store.startRun({ kind: 'outbound:salesforce', startedAt: '2026-12-07T09:00:00.000Z' });
    await store.finishRun({ id: ok.id, finishedAt: '2026-12-07T09:00:03.000Z', status: 'succeeded', summary: { read: 4, written: 2, skipped: 2, failed: 0, held: 0 } });
    const stopped = await store.startRun({ kind: 'outbound:salesforce', startedAt: '2026-12-07T09:02:00.000Z' });
    await store.finishRun({ id: stopped.id, finishedAt: '2026-12-07T09:02:01.000Z', status: 'failed', summary: { read: 0, written: 0, skipped: 0, failed: 0, held: 0 } });
  } finally {
    await store.close();
  }
}

describe('the status page: sync loops', () => {
  it("shows each loop's last cycle, its last success and its next run", async () => {
    const daemon = await startAdminDaemon({ prepare: seed });
    try {
      // The test configuration schedules every loop on 1 January at 00:00 UTC.
      const nextJanuary = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1)).toISOString();
      const status = (await (await fetch(`${daemon.admin}/status`, { headers: BEARER })).json()) as { loops: unknown[] };
      expect(status.loops).toEqual([
        {
          loop: 'outbound salesforce',
          schedule: '0 0 1 1 *',
          lastCycle: { id: expect.any(String), startedAt: '2026-12-07T09:02:00.000Z', finishedAt: '2026-12-07T09:02:01.000Z', status: 'failed', summary: { read: 0, written: 0, skipped: 0, failed: 0, held: 0 } },
          lastSucceededAt: '2026-12-07T09:00:03.000Z',
          nextRunAt: nextJanuary,
        },
        { loop: 'inbound salesforce', schedule: '0 0 1 1 *', lastCycle: null, lastSucceededAt: null, nextRunAt: nextJanuary },
      ]);
      const page = await (await fetch(`${daemon.admin}/`, { headers: BEARER })).text();
      const table = page.split('<table aria-label="sync loops">')[1]?.split('</table>')[0] ?? '';
      expect(table).toContain('<td>outbound salesforce</td><td>2026-12-07T09:02:01.000Z failed<br>read 0, written 0, skipped 0, failed 0, held 0</td><td>2026-12-07T09:00:03.000Z</td>');
      expect(table).toContain(`<td>inbound salesforce</td><td><em>none yet</em></td><td></td><td>${nextJanuary} <span class="muted">(0 0 1 1 *)</span></td>`);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  }, 60_000);
});
