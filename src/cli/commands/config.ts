import type { Command } from 'commander';
import { stringify } from 'yaml';

import { maskConfig } from '../../config/index.js';
import type { CliContext } from '../context.js';
import { CONFIG_OPTION, loadConfigOrExit } from '../load-config-or-exit.js';

/** `cosell-sync config check`: validates the file and prints the effective configuration, secrets masked. */
export function register(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate the configuration and print it with defaults filled in and secrets masked (exit 2 on problems)')
    .option(...CONFIG_OPTION)
    .action((options: { config?: string }) => {
      const loaded = loadConfigOrExit(ctx, options.config);
      ctx.stdout(`# Effective configuration from ${loaded.file} (secrets masked)\n${stringify(maskConfig(loaded.config))}`);
    });
}
