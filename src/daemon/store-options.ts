import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import type { StoreConfig } from '../config/index.js';
import type { StoreOptions } from '../store/open-store.js';

/**
 * Store options from configuration, revealing the PostgreSQL URL only here. For SQLite the
 * directory is created, so a fresh checkout or an empty volume starts without a manual step.
 */
export function storeOptionsFrom(store: StoreConfig): StoreOptions {
  if (store.kind === 'postgres') return { kind: 'postgres', url: store.url.reveal(), schema: store.schema };
  if (store.path !== ':memory:') mkdirSync(dirname(store.path), { recursive: true });
  return { kind: 'sqlite', path: store.path };
}
