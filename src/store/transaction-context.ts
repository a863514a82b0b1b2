/**
 * Knows whether the current async call chain is inside one of this store's open transactions,
 * so a call on the store itself from inside `fn` fails at once instead of hanging (SQLite) or
 * silently running outside the transaction (PostgreSQL).
 *
 * The tracking is on only while a transaction is open: on Node 20 an enabled AsyncLocalStorage
 * keeps a promise hook that every promise of the process pays for (a backfill makes millions),
 * and outside a transaction there is nothing to tell apart.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactionMisuseError } from './errors.js';

export class TransactionContext {
  private readonly current = new AsyncLocalStorage<{ open: boolean }>();
  private open = 0;

  /** Runs `body` (the whole transaction) marked as inside; work it leaves behind is not. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    const state = { open: true };
    this.open++;
    try {
      return await this.current.run(state, body);
    } finally {
      state.open = false;
      if (--this.open === 0) this.current.disable();
    }
  }

  /** Whether async context is being tracked: only while a transaction is open. */
  get tracking(): boolean {
    return this.open > 0;
  }

  assertOutside(method: string): void {
    if (this.open > 0 && this.current.getStore()?.open === true) {
      throw new TransactionMisuseError(`store.${method}() was called inside transaction(fn); call tx.${method}() on the handle fn receives`);
    }
  }
}
