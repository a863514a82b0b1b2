import type { Config } from '../config/index.js';
import { storeOptionsFrom } from '../daemon/index.js';
import type { Logger } from '../logging/index.js';
import { openStore } from '../store/open-store.js';
import type { StateStore } from '../store/types.js';
import { commandLogger } from './command-logger.js';
import type { CliContext } from './context.js';
import { loadConfigOrExit } from './load-config-or-exit.js';

/**
 * For one-shot commands (conflicts, failures, links, ...): loads the configuration (exit 2 on
 * problems), opens the store, runs `fn`, and closes the store whatever happens. The logger
 * writes to stderr so the command's own output on stdout stays clean for pipes.
 */
export async function withStore<T>(
  ctx: CliContext,
  configPath: string | undefined,
  fn: (deps: { config: Config; store: StateStore; logger: Logger }) => Promise<T>,
): Promise<T> {
  const { config } = loadConfigOrExit(ctx, configPath);
  const logger = commandLogger(ctx, config.logging);
  const store = await openStore(storeOptionsFrom(config.store));
  try {
    return await fn({ config, store, logger });
  } finally {
    await store.close();
  }
}
