import { describe, expect, it } from '@jest/globals';
import { StoreClosedError, TransactionMisuseError } from '../../../src/store/errors.js';
import { crmId, gate, linkInput, type Harness } from './fixtures.js';

export function transactionContract(h: Harness): void {
  describe('transactions', () => {
    it('commits everything written through tx and returns what fn returns', async () => {
      const result = await h.store().transaction(async (tx) => {
        const link = await tx.saveLink(linkInput({ crmId: crmId(1) }));
        await tx.setCursor('salesforce:opportunity', 'c1');
        return link.id;
      });
      expect((await h.store().getLink(result))?.crmId).toBe(crmId(1));
      expect(await h.store().getCursor('salesforce:opportunity')).toBe('c1');
    });

    it('leaves nothing behind when fn throws after writing two rows', async () => {
      const boom = new Error('crashed between the two writes');
      const run = await h.store().startRun({ kind: 'sync', startedAt: h.clock().iso() });
      const attempt = h.store().transaction(async (tx) => {
        await tx.saveLink(linkInput({ crmId: crmId(1) }));
        await tx.setCursor('salesforce:opportunity', 'c1');
        await tx.recordOutcomes([{ runId: run.id, recordKey: 'k', action: 'update', result: 'written', detail: null }]);
        throw boom;
      });
      await expect(attempt).rejects.toBe(boom);
      expect(await h.store().countLinks()).toBe(0);
      expect(await h.store().findLinksByCrmIds('salesforce', [crmId(1)])).toEqual([]);
      expect(await h.store().getCursor('salesforce:opportunity')).toBeNull();
      expect(await h.store().listOutcomes(run.id)).toEqual([]);
    });

    it('lets fn recover from a refused duplicate and still commit its other writes', async () => {
      await h.store().saveLink(linkInput({ crmId: crmId(1) }));
      await h.store().transaction(async (tx) => {
        await expect(tx.saveLink(linkInput({ crmId: crmId(1) }))).rejects.toThrow();
        await tx.saveLink(linkInput({ crmId: crmId(2) }));
      });
      expect(await h.store().countLinks()).toBe(2);
    });

    it('rolls back only the inner part when a nested transaction fails', async () => {
      await h.store().transaction(async (tx) => {
        await tx.setCursor('outer', 'kept');
        await expect(
          tx.transaction(async (inner) => {
            await inner.setCursor('inner', 'dropped');
            throw new Error('inner failure');
          }),
        ).rejects.toThrow('inner failure');
        await tx.transaction(async (inner) => inner.setCursor('inner-ok', 'kept'));
      });
      expect(await h.store().getCursor('outer')).toBe('kept');
      expect(await h.store().getCursor('inner')).toBeNull();
      expect(await h.store().getCursor('inner-ok')).toBe('kept');
    });

    it('never shows a reader half of a transaction', async () => {
      const written = gate();
      const proceed = gate();
      const tx = h.store().transaction(async (t) => {
        await t.saveLink(linkInput({ crmId: crmId(1) }));
        written.open();
        await proceed.wait;
        await t.saveLink(linkInput({ crmId: crmId(2) }));
      });
      await written.wait;
      const read = h.store().findLinksByCrmIds('salesforce', [crmId(1), crmId(2)]);
      proceed.open();
      await tx;
      expect([0, 2]).toContain((await read).length);
      expect(await h.store().countLinks()).toBe(2);
    });

    it('commits both of two transactions when the second starts while the first is open', async () => {
      const firstWritten = gate();
      const release = gate();
      const first = h.store().transaction(async (tx) => {
        await tx.saveLink(linkInput({ crmId: crmId(1) }));
        firstWritten.open();
        await release.wait;
        await tx.setCursor('first', 'done');
        return 'first';
      });
      await firstWritten.wait;
      const second = h.store().transaction(async (tx) => {
        await tx.saveLink(linkInput({ crmId: crmId(2) }));
        await tx.setCursor('second', 'done');
        return 'second';
      });
      release.open();
      expect(await Promise.all([first, second])).toEqual(['first', 'second']);
      expect((await h.store().findLinksByCrmIds('salesforce', [crmId(1), crmId(2)])).length).toBe(2);
      expect([await h.store().getCursor('first'), await h.store().getCursor('second')]).toEqual(['done', 'done']);
    });

    it('lands every write of many concurrent writers', async () => {
      const singles = Array.from({ length: 200 }, (_, n) => h.store().saveLink(linkInput({ crmId: crmId(n) })));
      const batches = Array.from({ length: 20 }, (_, b) =>
        h.store().transaction(async (tx) => {
          for (let i = 0; i < 5; i++) await tx.saveLink(linkInput({ crmId: crmId(1000 + b * 5 + i) }));
          await tx.setCursor(`batch-${b}`, 'done');
        }),
      );
      await Promise.all([...singles, ...batches]);
      expect(await h.store().countLinks()).toBe(300);
      expect(await h.store().getCursor('batch-19')).toBe('done');
    });

    it('refuses a call on the store itself from inside fn at once, and still commits what went through tx', async () => {
      await h.store().transaction(async (tx) => {
        await tx.setCursor('through-tx', 'kept');
        await expect(h.store().getCursor('through-tx')).rejects.toBeInstanceOf(TransactionMisuseError);
        await expect(h.store().transaction(async () => undefined)).rejects.toBeInstanceOf(TransactionMisuseError);
      });
      expect(await h.store().getCursor('through-tx')).toBe('kept');
    });

    it('refuses calls once closed, and closing twice is harmless', async () => {
      await h.store().setCursor('before-close', 'x');
      await h.store().close();
      await expect(h.store().getCursor('before-close')).rejects.toBeInstanceOf(StoreClosedError);
      await expect(h.store().transaction(async () => undefined)).rejects.toBeInstanceOf(StoreClosedError);
      await h.store().close();
    });

    it('refuses a tx handle kept and used after its transaction committed', async () => {
      let kept: Parameters<Parameters<ReturnType<Harness['store']>['transaction']>[0]>[0] | undefined;
      await h.store().transaction(async (tx) => {
        kept = tx;
      });
      await expect(kept?.setCursor('late', 'write')).rejects.toBeInstanceOf(StoreClosedError);
      expect(await h.store().getCursor('late')).toBeNull();
    });
  });
}
