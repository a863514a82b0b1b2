/** `cosell-sync history --crm-id ID | --referral-id ID`: what the sync did to one record, newest first. */
import type { Command } from 'commander';
import type { HistoryRecord } from '../../store/history-types.js';
import { DEFAULT_HISTORY_LIMIT, recordHistory, type HistoryQuery, type RecordHistory } from '../../store/record-history.js';
import { CliExit, EXIT_CONFIG_INVALID, type CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withStore } from '../with-store.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('history')
    .description("what the sync did to one record (reads, writes with values before and after, skips, failures, conflicts), newest first")
    .option('--crm-id <id>', 'the CRM record id (Salesforce or Dynamics 365)')
    .option('--referral-id <id>', 'the Partner Center referral id')
    .option('--limit <n>', 'most entries shown', String(DEFAULT_HISTORY_LIMIT))
    .option('--json', 'print JSON')
    .option(...CONFIG_OPTION)
    .action(async (options: { crmId?: string; referralId?: string; limit: string; json?: boolean; config?: string }) => {
      const limit = Number(options.limit);
      if ((options.crmId === undefined) === (options.referralId === undefined) || !Number.isInteger(limit) || limit < 1) {
        ctx.stderr('error: name one record: --crm-id ID or --referral-id ID (and --limit a whole number of at least 1)\n');
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      const query: HistoryQuery = options.crmId !== undefined ? { crmId: options.crmId } : { referralId: options.referralId as string };
      await withStore(ctx, options.config, async ({ store }) => {
        const history = await recordHistory(store, query, limit);
        ctx.stdout(options.json ? `${JSON.stringify(history, null, 2)}\n` : render(query, history));
      });
    });
}

function render(query: HistoryQuery, history: RecordHistory): string {
  const asked = 'crmId' in query ? `CRM record ${query.crmId}` : `referral ${query.referralId}`;
  const linked = history.links.map((l) => `linked: ${l.crmSystem} ${l.crmKind} ${l.crmId ?? '(not yet created)'} <-> referral ${l.referralId ?? '(not yet created)'} (${l.state})`);
  if (history.entries.length === 0) return [`no history for ${asked}`, ...linked, ''].join('\n');
  return [`history of ${asked}, newest first`, ...linked, ...history.entries.map(line), ''].join('\n');
}

function line(entry: HistoryRecord): string {
  const head = `${entry.at}  ${entry.event.padEnd(8)} ${entry.action}  ${entry.recordKey}  ${entry.runId === null ? 'by a person' : `run ${entry.runId}`}`;
  const detail = entry.detail === null ? [] : [`    ${entry.detail}`];
  const changes = entry.changes.map(
    (c) => `    ${c.target} ${c.field}: ${'before' in c ? `${show(c.before)} -> ` : ''}${show(c.after)}`,
  );
  return [head, ...detail, ...changes].join('\n');
}

const show = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value));
