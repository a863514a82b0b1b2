/** The one entry point the composition root uses to get a state store from configuration. */
import type { Clock } from '../core/clock.js';
import type { StateStore } from './types.js';

/** Which store to open, as configuration names it (`src/daemon/store-options.ts` builds it). */
export type StoreOptions = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema?: string; poolSize?: number };

/**
 * Opens the configured store, creating and migrating its schema when needed.
 * `clock` stamps `createdAt` / `updatedAt` of links (default: the system clock); `onPoolError`
 * hears of PostgreSQL connections lost while idle (the pool replaces them).
 */
export async function openStore(options: StoreOptions, deps: { clock?: Clock; onPoolError?: (error: Error) => void } = {}): Promise<StateStore> {
  const clock = deps.clock === undefined ? {} : { clock: deps.clock };
  switch (options.kind) {
    case 'sqlite':
      // Each store's driver is loaded only when that store is opened (pg costs start-up time).
      return (await import('./sqlite-store.js')).openSqliteStore({ path: options.path, ...clock });
    case 'postgres':
      return (await import('./postgres-store.js')).openPostgresStore({
        url: options.url,
        ...(options.schema === undefined ? {} : { schema: options.schema }),
        ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
        ...(deps.onPoolError === undefined ? {} : { onPoolError: deps.onPoolError }),
        ...clock,
      });
  }
  // Unreachable for typed callers; configuration parsed without a schema could still get here.
  throw new Error(`unknown state store kind: ${JSON.stringify((options as { kind?: unknown }).kind)}`);
}
