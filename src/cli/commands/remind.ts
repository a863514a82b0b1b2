/** `cosell-sync remind`: sends the expiry reminders due now, once each (the daemon does this on its schedule). */
import type { Command } from 'commander';
import { buildMailer } from '../../app/notifications.js';
import { trustedCa } from '../../app/compose.js';
import { remindersOn } from '../../app/health-loops.js';
import { systemClock } from '../../core/clock.js';
import { sendDueReminders } from '../../health/remind.js';
import { CliExit, EXIT_CONFIG_INVALID, EXIT_RECORD_FAILURES, type CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withEngine } from '../with-engine.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('remind')
    .description('send the expiry reminders of inbound referrals that are due now (each once)')
    .option(...CONFIG_OPTION)
    .action(async (options: { config?: string }) => {
      await withEngine(ctx, options.config, {}, async ({ config, engine, logger }) => {
        const mailer = buildMailer({ config: config.graph, logger, ca: trustedCa(config) });
        if (mailer === null || !remindersOn(config)) {
          ctx.stderr('error: reminders need a graph section listing referralExpiring among its events, and health.reminders.enabled\n');
          throw new CliExit(EXIT_CONFIG_INVALID);
        }
        const result = await sendDueReminders({ store: engine.deps.store, clock: systemClock, logger, mailer, crms: engine.deps.crms, points: config.health.reminders.daysLeft });
        ctx.stdout(`${result.sent} reminder(s) sent, ${result.skipped} skipped (a more urgent one went), ${result.failed} failed\n`);
        if (result.failed > 0) throw new CliExit(EXIT_RECORD_FAILURES);
      });
    });
}
