/** `cosell-sync conflicts list | resolve <id> --take crm|partner-center | --value JSON`. */
import type { Command } from 'commander';
import { resolveHeldConflict, type ConflictChoice } from '../../engine/conflicts.js';
import { CliExit, EXIT_CONFIG_INVALID, type CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withEngine } from '../with-engine.js';
import { withStore } from '../with-store.js';

const show = (v: unknown): string => (Array.isArray(v) ? `[${v.length} items]` : JSON.stringify(v));

export function register(program: Command, ctx: CliContext): void {
  const conflicts = program.command('conflicts').description('fields changed on both sides and held for a person');
  conflicts
    .command('list')
    .description('list open conflicts')
    .option('--all', 'include resolved ones')
    .option(...CONFIG_OPTION)
    .action(async (options: { all?: boolean; config?: string }) => {
      await withStore(ctx, options.config, async ({ store }) => {
        const rows = await store.listConflicts({ open: options.all !== true });
        if (rows.length === 0) return ctx.stdout('no open conflicts\n');
        for (const c of rows) {
          const link = await store.getLink(c.linkId);
          const where = link ? `${link.crmSystem} ${link.crmId ?? '?'} <-> referral ${link.referralId ?? '?'}` : c.linkId;
          ctx.stdout(
            `${c.id}  ${c.path}  (${where})\n  base: ${show(c.base)}\n  CRM: ${show(c.crmValue)}\n  Partner Center: ${show(c.partnerCenterValue)}\n` +
              (c.resolvedAt ? `  resolved ${c.resolvedAt}: ${c.resolution} = ${show(c.resolvedValue)}\n` : ''),
          );
        }
      });
    });
  conflicts
    .command('resolve <id>')
    .description('resolve a conflict: keep one side, or set a value; it is written to the other side')
    .option('--take <side>', '"crm" or "partner-center"')
    .option('--value <json>', 'a value to write to both sides, as JSON (e.g. 25000 or "\\"text\\"")')
    .option(...CONFIG_OPTION)
    .action(async (id: string, options: { take?: string; value?: string; config?: string }) => {
      const choice = parseChoice(options);
      if (!choice) {
        ctx.stderr('error: give --take crm, --take partner-center, or --value <json>\n');
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      await withEngine(ctx, options.config, {}, async ({ engine }) => {
        const resolved = await resolveHeldConflict(engine.deps, { conflictId: id, choice });
        ctx.stdout(`resolved ${resolved.id}: ${resolved.path} = ${show(resolved.resolvedValue)}\n`);
      });
    });
}

function parseChoice(options: { take?: string; value?: string }): ConflictChoice | null {
  if (options.take === 'crm') return { take: 'crm' };
  if (options.take === 'partner-center' || options.take === 'partnerCenter') return { take: 'partnerCenter' };
  if (options.value !== undefined) {
    try {
      return { take: 'value', value: JSON.parse(options.value) as unknown };
    } catch {
      return { take: 'value', value: options.value };
    }
  }
  return null;
}
