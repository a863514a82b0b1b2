/** `cosell-sync failures list | retry <key>|--all`: failed records, with reason, and replay. */
import type { Command } from 'commander';
import { redactText } from '../../logging/redact-text.js';
import { CliExit, EXIT_CONFIG_INVALID, EXIT_FATAL, type CliContext } from '../context.js';
import { CONFIG_OPTION } from '../load-config-or-exit.js';
import { withStore } from '../with-store.js';

export function register(program: Command, ctx: CliContext): void {
  const failures = program.command('failures').description('records that failed, with their reason; retried with backoff');
  failures
    .command('list')
    .description('list failed records')
    .option('--json', 'print JSON (payloads included)')
    .option(...CONFIG_OPTION)
    .action(async (options: { json?: boolean; config?: string }) => {
      await withStore(ctx, options.config, async ({ store }) => {
        // Reasons stored before redaction of free text existed are redacted on the way out too.
        const rows = (await store.listFailures()).map((f) => ({ ...f, reason: redactText(f.reason) }));
        if (options.json) return ctx.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        if (rows.length === 0) return ctx.stdout('no failed records\n');
        for (const f of rows) {
          ctx.stdout(`${f.key}  ${f.operation}  attempts ${f.attempts}  next ${f.nextAttemptAt}\n  ${f.reason}\n`);
        }
      });
    });
  failures
    .command('retry [key]')
    .description('make a failed record (or all) due now; the next cycle retries it')
    .option('--all', 'every failed record')
    .option(...CONFIG_OPTION)
    .action(async (key: string | undefined, options: { all?: boolean; config?: string }) => {
      if (!key && !options.all) {
        ctx.stderr('error: name a failure key or pass --all\n');
        throw new CliExit(EXIT_CONFIG_INVALID);
      }
      await withStore(ctx, options.config, async ({ store }) => {
        const now = new Date().toISOString();
        const keys = key ? [key] : (await store.listFailures()).map((f) => f.key);
        let found = 0;
        for (const k of keys) if (await store.retryFailureNow(k, now)) found++;
        if (key && found === 0) {
          ctx.stderr(`error: no failed record ${key}\n`);
          throw new CliExit(EXIT_FATAL);
        }
        ctx.stdout(`${found} record(s) due now; run \`cosell-sync sync --once\` or wait for the next cycle\n`);
      });
    });
}
