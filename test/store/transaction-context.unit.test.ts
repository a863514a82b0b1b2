/**
 * The guard against calling the store from inside its own transaction tracks async context only
 * while a transaction is open (Node 20 makes every promise of the process pay while it is on),
 * and still catches a misuse in a later transaction.
 */
import { describe, expect, it } from '@jest/globals';
import { TransactionMisuseError } from '../../src/store/errors.js';
import { TransactionContext } from '../../src/store/transaction-context.js';

describe('transaction context', () => {
  it('tracks only while a transaction is open, and catches a call from inside each one', async () => {
    const context = new TransactionContext();
    expect(context.tracking).toBe(false);
    for (let i = 0; i < 2; i++) {
      await context.run(async () => {
        expect(context.tracking).toBe(true);
        await Promise.resolve();
        expect(() => context.assertOutside('getCursor')).toThrow(TransactionMisuseError);
      });
      expect(context.tracking).toBe(false);
      expect(() => context.assertOutside('getCursor')).not.toThrow();
    }
  });

  it('a call from outside while a transaction is open is not refused', async () => {
    const context = new TransactionContext();
    let release = (): void => undefined;
    const open = context.run(() => new Promise<void>((resolve) => (release = resolve)));
    await Promise.resolve();
    expect(context.tracking).toBe(true);
    expect(() => context.assertOutside('getCursor')).not.toThrow();
    release();
    await open;
    expect(context.tracking).toBe(false);
  });
});
