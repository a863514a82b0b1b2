/**
 * What pruning the run history costs the SQLite store (better-sqlite3 is synchronous: a long
 * transaction holds the whole process): a store with `runs` runs over 120 days, each with
 * `perRun` outcomes and history entries, pruned as the daemon's retention loop does it (90 days,
 * the count limits given, in batches of PRUNE_BATCH with a turn of the event loop between).
 * Prints the total and the longest single call; asserts nothing.
 *
 *   npx tsx bench/store-retention.ts [runs=10000] [perRun=20] [maxRuns=2000] [maxHistoryEntries=40000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PRUNE_BATCH, retentionAt } from '../src/app/retention-loop.js';
import type { Pruned } from '../src/store/history-types.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';

const [runs = 10_000, perRun = 20, maxRuns = 2_000, maxHistoryEntries = 40_000] = process.argv.slice(2).map(Number);
const DAY = 86_400_000;

const dir = await mkdtemp(join(tmpdir(), 'cosell-bench-'));
try {
  const store = openSqliteStore({ path: join(dir, 'state.db') });
  const now = Date.now();
  let started = performance.now();
  for (let i = 0; i < runs; i++) {
    const at = new Date(now - (runs - i) * ((120 * DAY) / runs)).toISOString();
    await store.transaction(async (tx) => {
      const run = await tx.startRun({ kind: 'outbound:salesforce', startedAt: at });
      await tx.finishRun({ id: run.id, finishedAt: at, status: 'succeeded', summary: { read: perRun } });
      const keys = Array.from({ length: perRun }, (_, k) => `salesforce:opportunity:006B${k}`);
      await tx.recordOutcomes(keys.map((recordKey) => ({ runId: run.id, recordKey, action: 'outbound', result: 'written' as const, detail: null })));
      await tx.appendHistory(keys.map((recordKey, k) => ({ at, runId: run.id, recordKey, crmId: `006B${k}`, referralId: null, event: 'read' as const, action: 'outbound', detail: null, changes: [] })));
    });
  }
  console.log(`seeded ${runs} runs with ${runs * perRun} outcomes and as many history entries over 120 days in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const retention = { ...retentionAt({ maxAgeDays: 90, maxRuns, maxHistoryEntries, schedule: '' }, new Date(now)), batch: PRUNE_BATCH };
  const total: Pruned = { runs: 0, outcomes: 0, history: 0 };
  let calls = 0;
  let longest = 0;
  started = performance.now();
  for (;;) {
    const call = performance.now();
    const step = await store.prune(retention);
    longest = Math.max(longest, performance.now() - call);
    calls++;
    total.runs += step.runs;
    total.outcomes += step.outcomes;
    total.history += step.history;
    if (step.runs + step.outcomes + step.history === 0) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  console.log(`pruned (90 days, maxRuns ${maxRuns}, maxHistoryEntries ${maxHistoryEntries}, batch ${PRUNE_BATCH}): ${JSON.stringify(total)}`);
  console.log(`in ${((performance.now() - started) / 1000).toFixed(2)} s over ${calls} calls; longest call ${longest.toFixed(0)} ms`);
  await store.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
