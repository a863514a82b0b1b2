/**
 * The daemon's retention loop: on `retention.schedule`, deletes runs, their outcomes and record
 * history beyond the configured age and counts. Runs under a lease, so scale-out prunes once.
 */
import type { Logger } from 'pino';
import type { RetentionConfig } from '../config/schema/retention.js';
import type { Clock } from '../core/clock.js';
import type { Loop } from '../daemon/index.js';
import type { Retention } from '../store/history-types.js';
import type { LoopLeases } from './leases.js';

const DAY_MS = 86_400_000;

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
          const pruned = await held.store.prune(retentionAt(config, clock.now()));
          if (pruned.runs + pruned.outcomes + pruned.history > 0) logger.info({ pruned }, 'run history pruned (retention)');
        },
      });
      if (outcome !== 'ran') logger.debug({ loop: 'retention', outcome }, 'not run here: the lease is held by another run');
    },
  };
}
