/**
 * Knows whether the current async call chain is inside one of this store's open transactions,
 * so a call on the store itself from inside `fn` fails at once instead of hanging (SQLite) or
 * silently running outside the transaction (PostgreSQL).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { TransactionMisuseError } from './errors.js';

export class TransactionContext {
  private readonly current = new AsyncLocalStorage<{ open: boolean }>();

  /** Runs `body` (the whole transaction) marked as inside; work it leaves behind is not. */
  async run<T>(body: () => Promise<T>): Promise<T> {
    const state = { open: true };
    try {
      return await this.current.run(state, body);
    } finally {
      state.open = false;
    }
  }

  assertOutside(method: string): void {
    if (this.current.getStore()?.open === true) {
      throw new TransactionMisuseError(`store.${method}() was called inside transaction(fn); call tx.${method}() on the handle fn receives`);
    }
  }
}
