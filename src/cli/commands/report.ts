/** `cosell-sync report [--since DATE] [--json | --csv]`: co-sell health from the store. */
import type { Command } from 'commander';
import { healthReportFrom } from '../../app/health-report.js';
import { renderReportCsv } from '../../health/render-csv.js';
import { renderReportText } from '../../health/render-text.js';
import { parseSince } from '../../health/since.js';
import { CliExit, EXIT_CONFIG_INVALID, type CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withStore } from '../with-store.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('co-sell health: response times, accepted/declined/expired, findings to fix, reminders, registrations')
    .option('--since <date>', 'count referrals received from this date (YYYY-MM-DD; default: the last 90 days)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV (section, group, name, metric, value)')
    .option(...CONFIG_OPTION)
    .action(async (options: { since?: string; json?: boolean; csv?: boolean; config?: string }) => {
      if (options.json && options.csv) {
        ctx.stderr('error: --json and --csv: pick one\n');
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      const since = options.since === undefined ? undefined : parseSince(options.since);
      if (since === null) {
        ctx.stderr(`error: --since ${JSON.stringify(options.since)} is not a date; write it as YYYY-MM-DD, e.g. --since 2026-11-01\n`);
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      await withStore(ctx, options.config, async ({ config, store }) => {
        const report = await healthReportFrom({ config, store, now: new Date(), ...(since === undefined ? {} : { since }) });
        ctx.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : options.csv ? renderReportCsv(report) : renderReportText(report));
      });
    });
}
