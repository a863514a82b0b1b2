/**
 * Each sync loop as the status page shows it: its last cycle (any instance, from the store's
 * runs), its last successful one, and when its schedule runs it next.
 */
import type { RunRecord, StateStore } from '../store/types.js';
import { nextRuns } from './cron-runs.js';

/** A sync loop: the run kind it records, its CRM and direction, its cron schedule. */
export interface LoopSchedule {
  kind: string;
  crm: string;
  direction: 'outbound' | 'inbound';
  expression: string;
}

export interface LoopStatus {
  /** `outbound salesforce`, `inbound salesforce`. */
  loop: string;
  schedule: string;
  lastCycle: Pick<RunRecord, 'id' | 'startedAt' | 'finishedAt' | 'status' | 'summary'> | null;
  lastSucceededAt: string | null;
  /** ISO-8601, or null when the schedule has no next run. */
  nextRunAt: string | null;
}

/** When `expression` next fires, in `timeZone`. */
export function nextRunAt(expression: string, timeZone: string): string | null {
  return nextRuns(expression, timeZone, 1)[0]?.toISOString() ?? null;
}

export async function loopStatus(args: { store: StateStore; loops: readonly LoopSchedule[]; timeZone: string }): Promise<LoopStatus[]> {
  return Promise.all(
    args.loops.map(async (loop) => {
      const [last, succeeded] = await Promise.all([args.store.lastRun({ kind: loop.kind }), args.store.lastRun({ kind: loop.kind, status: 'succeeded' })]);
      return {
        loop: `${loop.direction} ${loop.crm}`,
        schedule: loop.expression,
        lastCycle: last === null ? null : { id: last.id, startedAt: last.startedAt, finishedAt: last.finishedAt, status: last.status, summary: last.summary },
        lastSucceededAt: succeeded?.finishedAt ?? null,
        nextRunAt: nextRunAt(loop.expression, args.timeZone),
      };
    }),
  );
}
