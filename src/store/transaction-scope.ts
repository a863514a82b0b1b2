/**
 * One transaction (or savepoint) as `fn` sees it, shared by both stores. The handle given to
 * `fn` runs its calls one at a time, so a nested savepoint never interleaves with sibling calls,
 * and only while the scope is open: a call still queued when `fn` settles is refused rather than
 * run outside the transaction.
 */
import { AsyncMutex } from './async-mutex.js';
import { StoreClosedError } from './errors.js';
import { guardedStore, type StoreOps } from './guarded-store.js';
import type { StateStore } from './types.js';

/** How a scope ends; `rollback` must leave the connection usable or discard it. */
export interface ScopeEnd {
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** The connection a transaction runs on. */
export interface ScopeConnection {
  /** Operations bound to this connection, inside its transaction. */
  ops: StoreOps;
  /** Opens a savepoint for a nested `tx.transaction(fn)`. */
  savepoint(): Promise<ScopeEnd>;
}

/** Runs `fn` with a fresh handle, then commits through `end`, or rolls back and rethrows. */
export async function runScope<T>(args: { connection: ScopeConnection; end: ScopeEnd; fn: (tx: StateStore) => Promise<T> }): Promise<T> {
  const { connection, end, fn } = args;
  const lock = new AsyncMutex();
  let open = true;
  const assertOpen = (): void => {
    if (!open) throw new StoreClosedError('this transaction has already finished; use the store, not a kept tx handle');
  };
  const handle = guardedStore({
    ops: connection.ops,
    guard: (call) => lock.run(() => (assertOpen(), call())),
    transaction: (inner) =>
      lock.run(async () => {
        assertOpen();
        return runScope({ connection, end: await connection.savepoint(), fn: inner });
      }),
    close: () => Promise.reject(new Error('close the store, not a transaction handle')),
  });
  let result: T;
  try {
    result = await fn(handle);
    open = false;
    await end.commit();
  } catch (error) {
    open = false;
    try {
      await end.rollback();
    } catch (rollbackError) {
      throw new AggregateError([error, rollbackError], 'the transaction failed and could not be rolled back', { cause: rollbackError });
    }
    throw error;
  }
  return result;
}
