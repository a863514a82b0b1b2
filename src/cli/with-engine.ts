import type { Logger } from 'pino';
import { composeEngine, type ComposedEngine } from '../app/compose.js';
import type { Config } from '../config/index.js';
import type { EngineOptions } from '../engine/types.js';
import type { CliContext } from './context.js';
import { withStore } from './with-store.js';

/** For one-shot commands that talk to the vendors: the store plus real connectors, closed after. */
export async function withEngine<T>(
  ctx: CliContext,
  configPath: string | undefined,
  overrides: Partial<EngineOptions>,
  fn: (deps: { config: Config; engine: ComposedEngine; logger: Logger }) => Promise<T>,
): Promise<T> {
  return withStore(ctx, configPath, async ({ config, store, logger }) => {
    const engine = composeEngine({ config, logger, store, overrides });
    try {
      return await fn({ config, engine, logger });
    } finally {
      await engine.close();
    }
  });
}
