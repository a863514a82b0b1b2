/** `cosell-sync register`: registers the won co-sell deals due for it and reads back registration statuses (the daemon does this on its schedule). */
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { registerWonDeals } from '../../health/register.js';
import { CliExit, EXIT_CONFIG_INVALID, EXIT_RECORD_FAILURES, type CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withEngine } from '../with-engine.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('register')
    .description('register won co-sell deals in Partner Center (deal registration) and bring their status back to the CRM')
    .option(...CONFIG_OPTION)
    .action(async (options: { config?: string }) => {
      await withEngine(ctx, options.config, {}, async ({ config, engine, logger }) => {
        if (!config.health.registrations.enabled) {
          ctx.stderr('error: deal registration is off: set health.registrations.enabled and name the eligible solutions in health.registrations.solutions\n');
          throw new CliExit(EXIT_CONFIG_INVALID);
        }
        const r = await registerWonDeals({ store: engine.deps.store, clock: systemClock, logger, partnerCenter: engine.deps.partnerCenter, crms: engine.deps.crms, settings: config.health.registrations });
        ctx.stdout(`${r.registered} registered, ${r.refreshed} status(es) read back, ${r.waiting} waiting for contract fields, ${r.refused} refused, ${r.failed} failed\n`);
        if (r.failed > 0) throw new CliExit(EXIT_RECORD_FAILURES);
      });
    });
}
