/** `cosell-sync sync [--direction in|out] [--dry-run]`: one cycle, then exit. */
import type { Command } from 'commander';
import { runCycle } from '../../engine/cycle.js';
import { CliExit, EXIT_CONFIG_INVALID, EXIT_RECORD_FAILURES, type CliContext } from '../context.js';
import { formatReport } from '../format-plan.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withEngine } from '../with-engine.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('sync')
    .description('run one sync cycle in both directions (or one), then exit (the daemon is `cosell-sync run`)')
    // Kept so scripts written for it still run: one cycle is what `sync` always does.
    .option('--once', 'run one cycle (the default)')
    .option('--direction <dir>', 'only "in" (Partner Center to CRM) or "out" (CRM to Partner Center)')
    .option('--dry-run', 'print every create, update and status change, field by field, and write nothing')
    .option(...CONFIG_OPTION)
    .action(async (options: { direction?: string; dryRun?: boolean; config?: string }) => {
      if (options.direction !== undefined && options.direction !== 'in' && options.direction !== 'out') {
        ctx.stderr(`error: --direction must be "in" or "out", not "${options.direction}"\n`);
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      const dryRun = options.dryRun === true;
      const failed = await withEngine(ctx, options.config, dryRun ? { dryRun } : {}, async ({ engine }) => {
        const reports = await runCycle(engine.deps, options.direction ? { direction: options.direction as 'in' | 'out' } : {});
        if (dryRun) ctx.stdout('DRY RUN: nothing was written.\n');
        for (const report of reports) ctx.stdout(`${formatReport(report, { showPlan: dryRun })}\n`);
        return reports.reduce((n, r) => n + r.failed, 0);
      });
      if (failed > 0) {
        ctx.stderr(`${failed} record(s) failed; see \`cosell-sync failures list\`\n`);
        throw new CliExit(EXIT_RECORD_FAILURES);
      }
    });
}
