import type { Logger } from 'pino';
import type { ComposedEngine } from '../app/compose.js';
import type { Config } from '../config/index.js';
import type { EngineOptions } from '../engine/types.js';
import type { CliContext } from './context.js';
import { withStore } from './with-store.js';

/**
 * For one-shot commands that talk to the vendors: the store plus real connectors, closed after.
 * The logger writes to stderr so the command's own output on stdout stays clean for pipes.
 */
export async function withEngine<T>(
  ctx: CliContext,
  configPath: string | undefined,
  overrides: Partial<EngineOptions>,
  fn: (deps: { config: Config; engine: ComposedEngine; logger: Logger }) => Promise<T>,
): Promise<T> {
  return withStore(ctx, configPath, async ({ config, store }) => {
    // The logger, connectors and engine are loaded only by the commands that reach the vendors.
    const [{ commandLogger }, { composeEngine }] = await Promise.all([import('./command-logger.js'), import('../app/compose.js')]);
    const logger = commandLogger(ctx, config.logging);
    const engine = composeEngine({ config, logger, store, overrides });
    try {
      return await fn({ config, engine, logger });
    } finally {
      await engine.close();
    }
  });
}
