/**
 * A dry run writes nothing, the state store included: the engine is handed this view, which
 * reads through and refuses every sync-state write, so a write the engine should not have tried
 * fails loudly instead of quietly changing links, cursors, runs or failures. The encrypted token
 * cache (blobs) and leases are not sync state: signing in may still refresh its tokens.
 */
import type { StateStore } from '../store/types.js';

const SYNC_STATE_WRITES = new Set<string>([
  'saveLink',
  'setCursor',
  'startRun',
  'finishRun',
  'recordOutcomes',
  'recordFailure',
  'clearFailure',
  'retryFailureNow',
  'holdConflict',
  'resolveConflict',
  'appendHistory',
  'prune',
]);

export class DryRunWriteError extends Error {
  override readonly name = 'DryRunWriteError';
}

export function readOnlyStore(store: StateStore): StateStore {
  const view: StateStore = new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'transaction') return <T>(fn: (tx: StateStore) => Promise<T>): Promise<T> => fn(view);
      if (typeof property === 'string' && SYNC_STATE_WRITES.has(property)) {
        return () => Promise.reject(new DryRunWriteError(`a dry run must not write the state store (${property})`));
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return view;
}
