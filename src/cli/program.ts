import { Command, CommanderError } from 'commander';

import type { CliContext } from './context.js';
import { CliExit, EXIT_CONFIG_INVALID, EXIT_FATAL, EXIT_OK } from './context.js';

interface CommandModule {
  register: (program: Command, ctx: CliContext) => void;
}

/**
 * The command modules under `./commands/`, registered in this order, each loaded only when needed.
 * Each exports `register(program, ctx)`; adding a command is adding its line here. Written out,
 * not built from the name, so the bundler (scripts/bundle.ts) sees every module.
 */
const COMMANDS = {
  version: () => import('./commands/version.js'),
  config: () => import('./commands/config.js'),
  run: () => import('./commands/run.js'),
  healthcheck: () => import('./commands/healthcheck.js'),
  sync: () => import('./commands/sync.js'),
  conflicts: () => import('./commands/conflicts.js'),
  failures: () => import('./commands/failures.js'),
  history: () => import('./commands/history.js'),
  links: () => import('./commands/links.js'),
  mappings: () => import('./commands/mappings.js'),
  crm: () => import('./commands/crm.js'),
  auth: () => import('./commands/auth.js'),
  webhooks: () => import('./commands/webhooks.js'),
  sandbox: () => import('./commands/sandbox.js'),
  remind: () => import('./commands/remind.js'),
  register: () => import('./commands/register.js'),
  report: () => import('./commands/report.js'),
} satisfies Record<string, () => Promise<CommandModule>>;

type CommandName = keyof typeof COMMANDS;
export const COMMAND_MODULES = Object.keys(COMMANDS) as readonly CommandName[];

/** The commander program with every command module registered; it throws instead of exiting. */
export async function buildProgram(ctx: CliContext, modules: readonly CommandName[] = COMMAND_MODULES): Promise<Command> {
  const program = new Command('cosell-sync')
    .description("Keeps a Microsoft partner's CRM and Partner Center co-sell referrals in step.")
    // Set before commands are added: subcommands inherit them.
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
    .showHelpAfterError('(run "cosell-sync help" for usage)')
    .version(ctx.version, '-V, --version', 'print the version');
  for (const name of modules) (await COMMANDS[name]()).register(program, ctx);
  return program;
}

/**
 * The command modules `argv` needs: only the named command's when the first argument names one
 * (each module loads its own libraries, so `version` does not pay for the sync's), else all of
 * them (help, usage errors and their suggestions list every command).
 */
export function modulesFor(argv: readonly string[]): readonly CommandName[] {
  const named = COMMAND_MODULES.find((name) => name === argv[0]);
  return named === undefined ? COMMAND_MODULES : [named];
}

/**
 * Runs the program on `argv` (the arguments after the executable) and returns the exit code
 * (`EXIT_*` in context.ts): a wrong command line is exit 2, like a wrong configuration.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const program = await buildProgram(ctx, modulesFor(argv));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CliExit) return error.code;
    // Help and --version arrive here too, with exit code 0; usage errors are already printed.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_CONFIG_INVALID;
    ctx.stderr(`cosell-sync: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FATAL;
  }
}
