/**
 * A state store that "dies" at its Nth call, as a process killed at that point would: the call
 * and every later one fail, whatever the engine does next, and nothing more reaches the store.
 * Connector calls already in flight may still land, as they do when a process dies mid-request.
 */
import type { StateStore } from '../../src/store/types.js';

export class ProcessKilled extends Error {
  override readonly name = 'ProcessKilled';
}

export function killableStore(store: StateStore, killAt: number): { store: StateStore; calls: () => number; dead: () => boolean } {
  let calls = 0;
  let dead = false;
  const wrap = (target: StateStore): StateStore =>
    new Proxy(target, {
      get(t, property, receiver) {
        const value: unknown = Reflect.get(t, property, receiver);
        if (typeof value !== 'function' || property === 'close') return value;
        return (...args: unknown[]) => {
          calls += 1;
          if (dead || calls >= killAt) {
            dead = true;
            return Promise.reject(new ProcessKilled(`killed at store call ${killAt} (${String(property)})`));
          }
          if (property === 'transaction') {
            const fn = args[0] as (tx: StateStore) => Promise<unknown>;
            return t.transaction((tx) => fn(wrap(tx)));
          }
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  return { store: wrap(store), calls: () => calls, dead: () => dead };
}
