/**
 * The daemon's co-sell health loops: expiry reminders (on unless turned off, when Graph mail is
 * configured and `referralExpiring` is among its events), the weekly digest (opt-in) and the deal
 * registration of won deals (opt-in). Each runs under a lease, so scale-out works from one
 * instance; the store's reminder claims and registration records keep each to once regardless.
 */
import type { Logger } from 'pino';
import type { Notifier } from '../../connectors/types.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { Loop } from '../daemon/index.js';
import type { EngineDeps } from '../engine/types.js';
import { digestSince, sendWeeklyDigest } from '../health/digest.js';
import { registerWonDeals } from '../health/register.js';
import { sendDueReminders } from '../health/remind.js';
import type { StateStore } from '../store/types.js';
import { healthReportFrom } from './health-report.js';
import type { LoopLeases } from './leases.js';

export function healthLoops(args: { config: Config; deps: EngineDeps; mailer: Notifier | null; logger: Logger; clock: Clock; leases: LoopLeases }): Loop[] {
  const { config, deps, mailer, logger, clock } = args;
  const loops: Loop[] = [];
  /** Runs `run` under the loop's lease, writing through the lease's fenced store. */
  const leased = (name: string, run: (store: StateStore) => Promise<void>) => async (signal: AbortSignal): Promise<void> => {
    const outcome = await args.leases.run({ name: `loop:${name}`, signal, wait: 'watch', body: async (held) => run(held.store) });
    if (outcome !== 'ran') logger.debug({ loop: name, outcome }, 'not run here: the lease is held by another run');
  };
  if (remindersOn(config) && mailer !== null) {
    loops.push({
      name: 'health-reminders',
      schedule: { kind: 'cron', expression: config.health.reminders.schedule },
      run: leased('health-reminders', async (store) => {
        const result = await sendDueReminders({ store, clock, logger, mailer, crms: deps.crms, points: config.health.reminders.daysLeft });
        if (result.sent + result.failed > 0) logger.info(result, 'expiry reminders');
      }),
    });
  }
  if (config.health.digest.enabled && mailer !== null) {
    loops.push({
      name: 'health-digest',
      schedule: { kind: 'cron', expression: config.health.digest.schedule },
      run: leased('health-digest', async (store) => {
        const now = clock.now();
        const report = await healthReportFrom({ config, store, now, since: digestSince(now) });
        if (await sendWeeklyDigest({ store, mailer, report })) logger.info({ findings: report.findings.length }, 'weekly co-sell health digest sent');
      }),
    });
  }
  if (config.health.registrations.enabled) {
    loops.push({
      name: 'health-registrations',
      schedule: { kind: 'cron', expression: config.health.registrations.schedule },
      run: leased('health-registrations', async (store) => {
        const result = await registerWonDeals({ store, clock, logger, partnerCenter: deps.partnerCenter, crms: deps.crms, settings: config.health.registrations });
        if (result.registered + result.waiting + result.refused + result.failed > 0) logger.info(result, 'deal registrations');
      }),
    });
  }
  return loops;
}

/** Reminders go when turned on and the Graph section lists the event. */
export const remindersOn = (config: Config): boolean => config.health.reminders.enabled && (config.graph?.events.includes('referralExpiring') ?? false);
