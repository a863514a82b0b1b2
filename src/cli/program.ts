import { Command, CommanderError } from 'commander';

import type { CliContext } from './context.js';
import { CliExit, EXIT_CONFIG_INVALID, EXIT_FATAL, EXIT_OK } from './context.js';

/**
 * Command modules under `./commands/`, registered in this order. Each exports
 * `register(program, ctx)`; adding a command is adding its file name here.
 */
export const COMMAND_MODULES = ['version', 'config', 'run', 'healthcheck', 'sync', 'conflicts', 'failures', 'history', 'links', 'mappings', 'crm', 'auth', 'webhooks', 'sandbox', 'remind', 'register', 'report'] as const;

interface CommandModule {
  register: (program: Command, ctx: CliContext) => void;
}

const isCommandModule = (value: unknown): value is CommandModule =>
  typeof value === 'object' && value !== null && typeof (value as { register?: unknown }).register === 'function';

/** The commander program with every command module registered; it throws instead of exiting. */
export async function buildProgram(ctx: CliContext, modules: readonly string[] = COMMAND_MODULES): Promise<Command> {
  const program = new Command('cosell-sync')
    .description("Keeps a Microsoft partner's CRM and Partner Center co-sell referrals in step.")
    // Set before commands are added: subcommands inherit them.
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr })
    .showHelpAfterError('(run "cosell-sync help" for usage)')
    .version(ctx.version, '-V, --version', 'print the version');
  for (const name of modules) {
    const module: unknown = await import(`./commands/${name}.js`);
    if (!isCommandModule(module)) throw new Error(`src/cli/commands/${name} does not export register(program, ctx)`);
    module.register(program, ctx);
  }
  return program;
}

/**
 * The command modules `argv` needs: only the named command's when the first argument names one
 * (each module loads its own libraries, so `version` does not pay for the sync's), else all of
 * them (help, usage errors and their suggestions list every command).
 */
export function modulesFor(argv: readonly string[]): readonly string[] {
  const first = argv[0];
  return COMMAND_MODULES.find((name) => name === first) === undefined ? COMMAND_MODULES : [first as string];
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
