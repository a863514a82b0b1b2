import type { Config } from '../config/index.js';
import { storeOptionsFrom } from '../daemon/store-options.js';
import { openStore } from '../store/open-store.js';
import type { StateStore } from '../store/types.js';
import type { CliContext } from './context.js';
import { loadConfigOrExit } from './load-config-or-exit.js';

/**
 * For one-shot commands (conflicts, failures, links, ...): loads the configuration (exit 2 on
 * problems), opens the store, runs `fn`, and closes the store whatever happens. No logger: the
 * commands that read the store print what they found, and need not load the logging library.
 */
export async function withStore<T>(
  ctx: CliContext,
  configPath: string | undefined,
  fn: (deps: { config: Config; store: StateStore }) => Promise<T>,
): Promise<T> {
  const { config } = loadConfigOrExit(ctx, configPath);
  const store = await openStore(storeOptionsFrom(config.store));
  try {
    return await fn({ config, store });
  } finally {
    await store.close();
  }
}
