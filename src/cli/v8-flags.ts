/**
 * The V8 flags `bin.ts` sets for the command line it was given, before any command module loads.
 * V8 reads these flags each time it decides, so setting them at start-up takes effect.
 */

/**
 * Every command. A cycle's pages are garbage once committed, yet V8 by default lets the heap grow
 * to several times what is live before it collects (a 20,000-record backfill peaked at 242 MB of
 * RSS with 32 MB live). Growing the heap 20 % at a time keeps the peak near what a cycle holds,
 * for about a tenth more CPU.
 */
const EVERY_COMMAND = ['--heap-growing-percent=20'];

/**
 * Commands that read a file or a few rows, print and exit in a fraction of a second. They are over
 * before the optimizing compiler pays back what it costs (it compiled on the second core and held
 * some 8 MB), and a young generation that stays at its first size is enough for what they
 * allocate. `mappings validate` on the sandbox: 0.17-0.19 s CPU and 69-71 MB peak RSS without
 * these flags, 0.12-0.13 s and 56-57 MB with them. The daemon and every command that syncs or
 * serves keep V8's defaults: they run long enough for optimized code to win.
 */
const ONE_SHOT = ['--no-opt', '--semi-space-growth-factor=1'];

/** The one-shot commands, as typed: the command, then its subcommand where it has some. */
export const ONE_SHOT_COMMANDS: ReadonlySet<string> = new Set([
  'version',
  'help',
  'config check',
  'mappings validate',
  'mappings preview',
  'links show',
  'history',
  'conflicts list',
  'failures list',
  'auth status',
  'webhooks status',
  'healthcheck',
]);

/** Whether `argv` (the arguments after the executable) runs a one-shot command. */
export function isOneShot(argv: readonly string[]): boolean {
  const [command, subcommand] = argv;
  if (command === undefined) return false;
  return ONE_SHOT_COMMANDS.has(command) || (subcommand !== undefined && ONE_SHOT_COMMANDS.has(`${command} ${subcommand}`));
}

/** The flags to set for `argv`, in order. */
export function v8FlagsFor(argv: readonly string[]): readonly string[] {
  return isOneShot(argv) ? [...EVERY_COMMAND, ...ONE_SHOT] : EVERY_COMMAND;
}
