/**
 * Retention of runs, outcomes and record history: configured in the file, applied by the running
 * daemon to its real store (SQLite on disk), so the tables stop growing for ever.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { openStore } from '../../src/store/open-store.js';
import { adminYaml, startAdminDaemon } from './admin-daemon.js';
import { eventually } from './helpers.js';

const DAY = 86_400_000;
const ago = (days: number): string => new Date(Date.now() - days * DAY).toISOString();
const storeAt = (dir: string) => openStore({ kind: 'sqlite', path: join(dir, 'state/cosell.sqlite') });

/** Eight finished runs (four from 100 days ago, four from the last days), one outcome and one history entry each. */
async function seed(dir: string): Promise<void> {
  mkdirSync(join(dir, 'state'), { recursive: true });
  const store = await storeAt(dir);
  try {
    for (const days of [104, 103, 102, 101, 4, 3, 2, 1]) {
      const run = await store.startRun({ kind: 'outbound:salesforce', startedAt: ago(days) });
      await store.finishRun({ id: run.id, finishedAt: ago(days), status: 'succeeded', summary: { read: 1, written: 1 } });
      await store.recordOutcomes([{ runId: run.id, recordKey: `salesforce:opportunity:006D${days}`, action: 'outbound', result: 'written', detail: null }]);
      await store.appendHistory([
        { at: ago(days), runId: run.id, recordKey: `salesforce:opportunity:006D${days}`, crmId: `006D${days}`, referralId: null, event: 'written', action: 'outbound', detail: null, changes: [] },
      ]);
    }
  } finally {
    await store.close();
  }
}

describe('retention of the run history', () => {
  it('the daemon deletes runs, their outcomes and history beyond retention.maxAgeDays, maxRuns and maxHistoryEntries', async () => {
    const yaml = `${adminYaml()}retention: { maxAgeDays: 30, maxRuns: 3, maxHistoryEntries: 2, schedule: "* * * * * *" }\n`;
    const daemon = await startAdminDaemon({ yaml, prepare: seed });
    try {
      await eventually(() => daemon.log.events().includes('run history pruned (retention)'), 10_000);
    } finally {
      expect(await daemon.stopKeepingFiles()).toBe(0);
    }
    const store = await storeAt(daemon.dir);
    try {
      const runs = await store.listRuns(100);
      // The newest three: 1, 2 and 3 days old.
      expect(runs.map((r) => Math.round((Date.now() - Date.parse(r.startedAt)) / DAY))).toEqual([1, 2, 3]);
      expect(await Promise.all(runs.map(async (r) => (await store.listOutcomes(r.id)).length))).toEqual([1, 1, 1]);
      const history = await store.listHistory({ crmIds: ['006D104', '006D4', '006D3', '006D2', '006D1'], referralIds: [], limit: 100 });
      expect(history.map((e) => e.crmId)).toEqual(['006D1', '006D2']);
      const pruned = daemon.log.lines().find((l) => l['msg'] === 'run history pruned (retention)');
      expect(pruned?.['pruned']).toEqual({ runs: 5, outcomes: 5, history: 6 });
    } finally {
      await store.close();
      daemon.cleanup();
    }
  }, 60_000);
});
