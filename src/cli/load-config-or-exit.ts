import type { Config } from '../config/index.js';
import { formatProblems, loadConfig, resolveConfigPath } from '../config/index.js';
import type { CliContext } from './context.js';
import { CliExit, EXIT_CONFIG_INVALID } from './context.js';

/** Loads the configuration for a command, or prints every problem and ends with exit code 2. */
export function loadConfigOrExit(ctx: CliContext, path: string | undefined): { config: Config; file: string } {
  const args = { path, env: ctx.env, cwd: ctx.cwd };
  const file = resolveConfigPath(args);
  const result = loadConfig(args);
  if (!result.ok) {
    ctx.stderr(formatProblems(result.error, file));
    throw new CliExit(EXIT_CONFIG_INVALID);
  }
  return { config: result.value, file };
}

export const CONFIG_OPTION = ['-c, --config <path>', 'configuration file (default: $COSELL_CONFIG, else config/cosell-sync.yaml)'] as const;
