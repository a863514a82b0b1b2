import { describe, expect, it } from '@jest/globals';
import { cronIntervalMs, judgeLoops, type LoopSeen, type ScheduledLoop } from '../../src/app/loop-readiness.js';
import type { RunRecord } from '../../src/store/types.js';

const MIN = 60_000;
const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const loop: ScheduledLoop = { kind: 'outbound:salesforce', crm: 'salesforce', direction: 'outbound', intervalMs: 2 * MIN, lease: 'loop:outbound:salesforce' };
const run = (finishedAtMs: number, summary: Record<string, number>, status: RunRecord['status'] = 'succeeded'): RunRecord => ({
  id: `run-${finishedAtMs}`,
  kind: loop.kind,
  startedAt: new Date(finishedAtMs - 1000).toISOString(),
  finishedAt: new Date(finishedAtMs).toISOString(),
  status,
  summary,
});
const seen = (lastSucceeded: RunRecord | null, lastFinished: RunRecord | null = lastSucceeded): LoopSeen[] => [{ loop, lastSucceeded, lastFinished, lease: null }];

describe('loop readiness', () => {
  it('is ready while the last successful cycle is within N intervals, and not once N intervals passed without one', () => {
    const ok = run(T0, { read: 3, written: 1, skipped: 2, failed: 0, held: 0 });
    expect(judgeLoops({ seen: seen(ok), now: T0 + 6 * MIN, since: T0 - 60 * MIN, intervals: 3 })).toEqual([]);
    expect(judgeLoops({ seen: seen(ok), now: T0 + 6 * MIN + 1000, since: T0 - 60 * MIN, intervals: 3 })).toEqual([
      'outbound salesforce: no cycle completed for 6 min (3 intervals of 2 min)',
    ]);
    // Failed cycles do not count as completed.
    const stopped = run(T0 + 5 * MIN, { read: 0, written: 0, skipped: 0, failed: 0, held: 0 }, 'failed');
    expect(judgeLoops({ seen: seen(ok, stopped), now: T0 + 7 * MIN, since: T0 - 60 * MIN, intervals: 3 })).toHaveLength(1);
  });

  it('counts from the daemon start when no cycle ever succeeded (a fresh start is ready)', () => {
    expect(judgeLoops({ seen: seen(null), now: T0 + MIN, since: T0, intervals: 3 })).toEqual([]);
    expect(judgeLoops({ seen: seen(null), now: T0 + 7 * MIN, since: T0, intervals: 3 })).toEqual([
      'outbound salesforce: no cycle completed for 7 min (3 intervals of 2 min since the daemon started)',
    ]);
    // A success long before this start does not make a restarted daemon unready at once.
    expect(judgeLoops({ seen: seen(run(T0 - 600 * MIN, {})), now: T0 + MIN, since: T0, intervals: 3 })).toEqual([]);
  });

  it('is not ready when every record of the last cycle failed, and is when some went through', () => {
    const allFailed = run(T0, { read: 4, written: 0, skipped: 0, failed: 4, held: 0 });
    expect(judgeLoops({ seen: seen(allFailed), now: T0 + MIN, since: T0 - MIN, intervals: 3 })).toEqual([
      'outbound salesforce: every record of the last cycle failed (4); see `cosell-sync failures list`',
    ]);
    const someFailed = run(T0, { read: 4, written: 1, skipped: 0, failed: 3, held: 0 });
    expect(judgeLoops({ seen: seen(someFailed), now: T0 + MIN, since: T0 - MIN, intervals: 3 })).toEqual([]);
    const idle = run(T0, { read: 0, written: 0, skipped: 0, failed: 0, held: 0 });
    expect(judgeLoops({ seen: seen(idle), now: T0 + MIN, since: T0 - MIN, intervals: 3 })).toEqual([]);
  });

  it('reads the interval from the cron schedule, the longest gap for irregular ones', () => {
    expect(cronIntervalMs('*/2 * * * *', 'UTC')).toBe(2 * MIN);
    expect(cronIntervalMs('17 * * * *', 'UTC')).toBe(60 * MIN);
    expect(cronIntervalMs('*/5 * * * * *', 'UTC')).toBe(5000);
    expect(cronIntervalMs('0 9,17 * * *', 'UTC')).toBe(16 * 60 * MIN);
  });
});
