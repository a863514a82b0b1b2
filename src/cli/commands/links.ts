/** `cosell-sync links show [--crm-id ID | --referral-id ID]`: what is linked to what. */
import type { Command } from 'commander';
import { CRM_SYSTEMS } from '../../domain/crm-record.js';
import type { Link } from '../../store/types.js';
import type { CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withStore } from '../with-store.js';

const line = (l: Link): string =>
  `${l.crmSystem} ${l.crmKind} ${l.crmId ?? '(not yet created)'} <-> referral ${l.referralId ?? '(not yet created)'}  ${l.state}` +
  `${l.snapshot['status'] ? `  ${String(l.snapshot['status'])}` : ''}${l.respondBy ? `  answer by ${l.respondBy}` : ''}`;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('links')
    .description('linked CRM records and referrals')
    .command('show')
    .option('--crm-id <id>', 'the link of one CRM record')
    .option('--referral-id <id>', 'the link of one referral')
    .option('--limit <n>', 'how many to list', '50')
    .option(...CONFIG_OPTION)
    .action(async (options: { crmId?: string; referralId?: string; limit: string; config?: string }) => {
      await withStore(ctx, options.config, async ({ store }) => {
        let links: Link[];
        if (options.crmId) {
          const crmId = options.crmId;
          links = (await Promise.all(CRM_SYSTEMS.map((system) => store.findLinksByCrmIds(system, [crmId])))).flat();
        } else if (options.referralId) {
          links = await store.findLinksByReferralIds([options.referralId]);
        } else {
          links = await store.listLinks({ limit: Number(options.limit) || 50 });
        }
        if (links.length === 0) return ctx.stdout('no links\n');
        for (const link of links) {
          ctx.stdout(`${line(link)}\n`);
          if (options.crmId || options.referralId) {
            // People (contacts, sellers) are shown as counts: the terminal output may be shared.
            const shown = Object.fromEntries(Object.entries(link.snapshot).map(([k, v]) => [k, Array.isArray(v) ? `${v.length} item(s)` : v]));
            ctx.stdout(`  last synced: ${JSON.stringify(shown, null, 2).replace(/\n/g, '\n  ')}\n`);
          }
        }
        if (!options.crmId && !options.referralId) ctx.stdout(`${await store.countLinks()} link(s) in all\n`);
      });
    });
}
