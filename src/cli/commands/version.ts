import type { Command } from 'commander';

import type { CliContext } from '../context.js';

/** `cosell-sync version`: the package version (same as `--version`). */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('version')
    .description('print the version')
    .action(() => ctx.stdout(`${ctx.version}\n`));
}
