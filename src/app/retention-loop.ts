/**
 * The daemon's retention loop: on `retention.schedule`, deletes runs, their outcomes and record
 * history beyond the configured age and counts. Runs under a lease, so scale-out prunes once.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { RetentionConfig } from '../config/schema/retention.js';
import type { Clock } from '../core/clock.js';
import type { Loop } from '../daemon/index.js';
import type { Pruned, Retention } from '../store/history-types.js';
import type { LoopLeases } from './leases.js';

const DAY_MS = 86_400_000;

/**
 * Runs (with their outcomes) and history entries deleted per transaction: on SQLite, a backlog of
 * 8,000 runs and 160,000 entries went in calls of at most about 0.2 s (bench/store-retention.ts).
 */
export const PRUNE_BATCH = 500;

/** Pure: what the store keeps at `now` under `config`. */
export function retentionAt(config: RetentionConfig, now: Date): Retention {
  return {
    olderThan: config.maxAgeDays === null ? null : new Date(now.getTime() - config.maxAgeDays * DAY_MS).toISOString(),
    keepRuns: config.maxRuns,
    keepHistoryRows: config.maxHistoryEntries,
  };
}

export function retentionLoop(args: { config: RetentionConfig; clock: Clock; logger: Logger; leases: LoopLeases }): Loop {
  const { config, clock, logger, leases } = args;
  return {
    name: 'retention',
    schedule: { kind: 'cron', expression: config.schedule },
    run: async (signal) => {
      const outcome = await leases.run({
        name: 'loop:retention',
        signal,
        wait: 'watch',
        body: async (held) => {
          const retention = { ...retentionAt(config, clock.now()), batch: PRUNE_BATCH };
          const pruned: Pruned = { runs: 0, outcomes: 0, history: 0 };
          // Short transactions with a turn of the event loop between: a large backlog never holds
          // the store's write lock (or, on SQLite, the whole process) for long.
          while (!held.signal.aborted) {
            const step = await held.store.prune(retention);
            pruned.runs += step.runs;
            pruned.outcomes += step.outcomes;
            pruned.history += step.history;
            if (step.runs + step.outcomes + step.history === 0) break;
            await nextTurn();
          }
          if (pruned.runs + pruned.outcomes + pruned.history > 0) logger.info({ pruned }, 'run history pruned (retention)');
        },
      });
      if (outcome !== 'ran') logger.debug({ loop: 'retention', outcome }, 'not run here: the lease is held by another run');
    },
  };
}
