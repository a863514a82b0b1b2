/**
 * Readiness of the sync loops (`/readyz`): not ready when a loop has not completed a cycle in
 * `sync.notReadyAfterIntervals` of its schedule's intervals (since its last successful cycle, or
 * since the daemon started), or when every record of its last cycle failed. Judged from the
 * store's runs, so a loop another instance runs counts as running.
 */
import type { LeaseRecord } from '../store/lease-types.js';
import type { RunRecord, StateStore } from '../store/types.js';
import { nextRuns } from './cron-runs.js';

export interface ScheduledLoop {
  kind: string;
  crm: string;
  direction: 'outbound' | 'inbound';
  /** The longest gap between two scheduled runs. */
  intervalMs: number;
  /** The lease a run of it must hold. */
  lease: string;
}

export interface LoopSeen {
  loop: ScheduledLoop;
  lastSucceeded: RunRecord | null;
  lastFinished: RunRecord | null;
  /** Its lease as the store has it (null when never taken). */
  lease: LeaseRecord | null;
}

/** The longest gap between the next `count + 1` runs of a cron schedule (irregular ones included). */
export function cronIntervalMs(expression: string, timeZone: string, count = 4): number {
  const runs = nextRuns(expression, timeZone, count + 1).map((d) => d.getTime());
  return Math.max(...runs.slice(1).map((t, i) => t - (runs[i] as number)));
}

const minutes = (ms: number): string => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);

/** Who holds the lease of a stalled loop: the instance whose cycle does not finish. */
const heldBy = (lease: LeaseRecord | null): string =>
  lease === null || lease.heldUntil === null ? '' : `; its lease ${lease.name} is held by ${lease.owner} until ${lease.heldUntil}`;

/** Pure: one reason per loop that is not healthy; empty when all are. */
export function judgeLoops(args: { seen: readonly LoopSeen[]; now: number; since: number; intervals: number }): string[] {
  const reasons: string[] = [];
  for (const { loop, lastSucceeded, lastFinished, lease } of args.seen) {
    const name = `${loop.direction} ${loop.crm}`;
    const from = lastSucceeded?.finishedAt ? Math.max(Date.parse(lastSucceeded.finishedAt), args.since) : args.since;
    const limit = args.intervals * loop.intervalMs;
    if (args.now - from > limit) {
      reasons.push(
        `${name}: no cycle completed for ${minutes(args.now - from)} (${args.intervals} intervals of ${minutes(loop.intervalMs)}${lastSucceeded ? '' : ' since the daemon started'})${heldBy(lease)}`,
      );
    }
    const s = lastFinished?.summary ?? {};
    const failed = s['failed'] ?? 0;
    if (failed > 0 && (s['written'] ?? 0) + (s['skipped'] ?? 0) + (s['held'] ?? 0) === 0) {
      reasons.push(`${name}: every record of the last cycle failed (${failed}); see \`cosell-sync failures list\``);
    }
  }
  return reasons;
}

/** Reads what `judgeLoops` needs from the store. */
export async function loopReadiness(args: {
  store: StateStore;
  loops: readonly ScheduledLoop[];
  now: number;
  since: number;
  intervals: number;
}): Promise<string[]> {
  const seen = await Promise.all(
    args.loops.map(async (loop) => ({
      loop,
      lease: await args.store.getLease(loop.lease),
      lastSucceeded: await args.store.lastRun({ kind: loop.kind, status: 'succeeded' }),
      lastFinished: await args.store.lastRun({ kind: loop.kind }),
    })),
  );
  return judgeLoops({ seen, now: args.now, since: args.since, intervals: args.intervals });
}
