import { describe, expect, it } from '@jest/globals';
import type { Harness } from './fixtures.js';

export function recordContract(h: Harness): void {
  describe('cursors', () => {
    it('keeps one cursor per source, null until set, overwritten on set', async () => {
      expect(await h.store().getCursor('salesforce:opportunity')).toBeNull();
      await h.store().setCursor('salesforce:opportunity', '2026-03-01T08:00:00.000Z');
      await h.store().setCursor('partnerCenter:referrals', 'skip-token-1');
      await h.store().setCursor('salesforce:opportunity', '2026-03-01T09:00:00.000Z');
      expect(await h.store().getCursor('salesforce:opportunity')).toBe('2026-03-01T09:00:00.000Z');
      expect(await h.store().getCursor('partnerCenter:referrals')).toBe('skip-token-1');
    });
  });

  describe('runs and outcomes', () => {
    it('records a run from start to finish and lists the newest first', async () => {
      const older = await h.store().startRun({ kind: 'sync', startedAt: '2026-03-01T08:00:00.000Z' });
      const newer = await h.store().startRun({ kind: 'backfill', startedAt: '2026-03-01T09:00:00.000Z' });
      expect(newer).toEqual({ id: expect.any(String), kind: 'backfill', startedAt: '2026-03-01T09:00:00.000Z', finishedAt: null, status: 'running', summary: {} });
      await h.store().finishRun({ id: older.id, finishedAt: '2026-03-01T08:01:00.000Z', status: 'succeeded', summary: { written: 3, skipped: 0 } });
      const runs = await h.store().listRuns(10);
      expect(runs.map((r) => r.id)).toEqual([newer.id, older.id]);
      expect(runs[1]).toEqual({ ...older, finishedAt: '2026-03-01T08:01:00.000Z', status: 'succeeded', summary: { written: 3, skipped: 0 } });
      expect((await h.store().listRuns(1)).map((r) => r.id)).toEqual([newer.id]);
    });

    it('refuses to finish a run it never started', async () => {
      await expect(h.store().finishRun({ id: 'no-such-run', finishedAt: h.clock().iso(), status: 'failed', summary: {} })).rejects.toThrow(/no-such-run/);
    });

    it('keeps each run’s outcomes in the order they were recorded', async () => {
      const a = await h.store().startRun({ kind: 'sync', startedAt: h.clock().iso() });
      const b = await h.store().startRun({ kind: 'sync', startedAt: h.clock().iso(1) });
      await h.store().recordOutcomes([
        { runId: a.id, recordKey: 'salesforce:opportunity:2', action: 'update', result: 'written', detail: null },
        { runId: b.id, recordKey: 'referral:9', action: 'create', result: 'failed', detail: 'invalid: country missing' },
        { runId: a.id, recordKey: 'salesforce:opportunity:1', action: 'update', result: 'held', detail: 'conflict on details.dealValue' },
      ]);
      await h.store().recordOutcomes([]);
      expect((await h.store().listOutcomes(a.id)).map((o) => [o.recordKey, o.result, o.detail])).toEqual([
        ['salesforce:opportunity:2', 'written', null],
        ['salesforce:opportunity:1', 'held', 'conflict on details.dealValue'],
      ]);
      expect(await h.store().listOutcomes(b.id)).toEqual([{ runId: b.id, recordKey: 'referral:9', action: 'create', result: 'failed', detail: 'invalid: country missing' }]);
    });
  });

  describe('failures', () => {
    const failure = (over: { failedAt: string; nextAttemptAt: string; reason?: string; payload?: unknown; key?: string }) => ({
      key: over.key ?? 'salesforce:opportunity:006A',
      operation: 'updateReferral',
      reason: over.reason ?? 'Partner Center said 400',
      errorKind: 'invalid',
      payload: over.payload,
      failedAt: over.failedAt,
      // The contract's input type also carries lastFailedAt; the stores take `failedAt` as this failure's time.
      lastFailedAt: over.failedAt,
      nextAttemptAt: over.nextAttemptAt,
    });

    it('counts attempts per key and keeps the first failure time', async () => {
      const first = await h.store().recordFailure(failure({ failedAt: '2026-03-01T09:00:00.000Z', nextAttemptAt: '2026-03-01T09:01:00.000Z', payload: { amount: 0 } }));
      expect(first).toEqual({
        key: 'salesforce:opportunity:006A',
        operation: 'updateReferral',
        reason: 'Partner Center said 400',
        errorKind: 'invalid',
        payload: { amount: 0 },
        attempts: 1,
        firstFailedAt: '2026-03-01T09:00:00.000Z',
        lastFailedAt: '2026-03-01T09:00:00.000Z',
        nextAttemptAt: '2026-03-01T09:01:00.000Z',
      });
      const second = await h.store().recordFailure(failure({ failedAt: '2026-03-01T09:01:00.000Z', nextAttemptAt: '2026-03-01T09:03:00.000Z', reason: 'still 400' }));
      expect(second).toMatchObject({ attempts: 2, firstFailedAt: '2026-03-01T09:00:00.000Z', lastFailedAt: '2026-03-01T09:01:00.000Z', reason: 'still 400', payload: undefined });
      expect(await h.store().listFailures()).toEqual([second]);
    });

    it('lists only the failures that are due, whatever the precision of the dates', async () => {
      await h.store().recordFailure(failure({ key: 'k-due', failedAt: '2026-03-01T09:00:00Z', nextAttemptAt: '2026-03-01T09:05:00Z' }));
      await h.store().recordFailure(failure({ key: 'k-later', failedAt: '2026-03-01T09:00:00Z', nextAttemptAt: '2026-03-01T09:05:00.500Z' }));
      await h.store().recordFailure(failure({ key: 'k-offset', failedAt: '2026-03-01T09:00:00Z', nextAttemptAt: '2026-03-01T10:04:00+01:00' }));
      const due = await h.store().listFailures({ dueBefore: '2026-03-01T09:05:00.000Z' });
      expect(due.map((f) => f.key)).toEqual(['k-offset', 'k-due']);
      expect(due[0]?.nextAttemptAt).toBe('2026-03-01T10:04:00+01:00');
      expect((await h.store().listFailures()).map((f) => f.key)).toEqual(['k-offset', 'k-due', 'k-later']);
    });

    it('lists at most `limit` failures, the soonest due, with or without a due date', async () => {
      for (const [key, at] of [['k-3', '09:03'], ['k-1', '09:01'], ['k-4', '09:04'], ['k-2', '09:02']] as const) {
        await h.store().recordFailure(failure({ key, failedAt: '2026-03-01T09:00:00Z', nextAttemptAt: `2026-03-01T${at}:00Z` }));
      }
      expect((await h.store().listFailures({ limit: 2 })).map((f) => f.key)).toEqual(['k-1', 'k-2']);
      expect((await h.store().listFailures({ limit: 10 })).map((f) => f.key)).toEqual(['k-1', 'k-2', 'k-3', 'k-4']);
      expect((await h.store().listFailures({ dueBefore: '2026-03-01T09:03:30Z', limit: 2 })).map((f) => f.key)).toEqual(['k-1', 'k-2']);
      expect((await h.store().listFailures({ dueBefore: '2026-03-01T09:03:30Z' })).map((f) => f.key)).toEqual(['k-1', 'k-2', 'k-3']);
      await expect(h.store().listFailures({ limit: 0 })).rejects.toThrow(/limit/);
    });

    it('makes a failure due now on request, and clears it', async () => {
      await h.store().recordFailure(failure({ failedAt: '2026-03-01T09:00:00.000Z', nextAttemptAt: '2026-03-02T09:00:00.000Z' }));
      expect(await h.store().listFailures({ dueBefore: h.clock().iso() })).toEqual([]);
      expect(await h.store().retryFailureNow('salesforce:opportunity:006A', h.clock().iso())).toBe(true);
      expect(await h.store().retryFailureNow('no-such-key', h.clock().iso())).toBe(false);
      const due = await h.store().listFailures({ dueBefore: h.clock().iso() });
      expect(due.map((f) => [f.key, f.nextAttemptAt, f.attempts])).toEqual([['salesforce:opportunity:006A', h.clock().iso(), 1]]);
      await h.store().clearFailure('salesforce:opportunity:006A');
      expect(await h.store().listFailures()).toEqual([]);
    });

    it('pages the due failures soonest due first (then by key), after the last one read, and tells the attempts of a page of keys', async () => {
      const due = { 'k-a': '2026-03-01T09:05:00Z', 'k-b': '2026-03-01T09:02:00Z', 'k-c': '2026-03-01T09:05:00Z', 'k-d': '2026-03-01T09:02:00Z', 'k-later': '2026-03-02T09:00:00Z' };
      for (const [key, nextAttemptAt] of Object.entries(due)) await h.store().recordFailure(failure({ key, failedAt: '2026-03-01T09:00:00Z', nextAttemptAt }));
      await h.store().recordFailure(failure({ key: 'k-b', failedAt: '2026-03-01T09:01:00Z', nextAttemptAt: due['k-b'] }));
      const dueBefore = '2026-03-01T10:00:00Z';
      const first = await h.store().listDueFailures({ dueBefore, limit: 2 });
      expect(first.map((f) => f.key)).toEqual(['k-b', 'k-d']);
      const second = await h.store().listDueFailures({ dueBefore, after: first[1]!, limit: 2 });
      expect(second.map((f) => f.key)).toEqual(['k-a', 'k-c']);
      expect(await h.store().listDueFailures({ dueBefore, after: second[1]!, limit: 2 })).toEqual([]);
      expect(await h.store().failureAttempts(['k-b', 'k-later', 'k-none'])).toEqual(new Map([['k-b', 2], ['k-later', 1]]));
      expect(await h.store().failureAttempts([])).toEqual(new Map());
    });

    it('pages only the due failures whose key starts with a prefix', async () => {
      for (const key of ['dynamics:opportunity:1', 'referral:r1', 'salesforce:lead:1', 'salesforce:opportunity:2', 'salesforce:opportunity:1', 'salesforce;odd', 'salesforc:odd', 'referral:r2']) {
        await h.store().recordFailure(failure({ key, failedAt: '2026-03-01T09:00:00Z', nextAttemptAt: '2026-03-01T09:05:00Z' }));
      }
      const dueBefore = '2026-03-01T10:00:00Z';
      const first = await h.store().listDueFailures({ dueBefore, keyPrefix: 'salesforce:', limit: 2 });
      expect(first.map((f) => f.key)).toEqual(['salesforce:lead:1', 'salesforce:opportunity:1']);
      const second = await h.store().listDueFailures({ dueBefore, keyPrefix: 'salesforce:', after: first[1]!, limit: 2 });
      expect(second.map((f) => f.key)).toEqual(['salesforce:opportunity:2']);
      expect((await h.store().listDueFailures({ dueBefore, keyPrefix: 'referral:', limit: 10 })).map((f) => f.key)).toEqual(['referral:r1', 'referral:r2']);
      expect(await h.store().listDueFailures({ dueBefore: '2026-03-01T09:00:00Z', keyPrefix: 'referral:', limit: 10 })).toEqual([]);
      expect(await h.store().listDueFailures({ dueBefore, keyPrefix: 'salesforce:', after: second[0]!, limit: 10 })).toEqual([]);
    });

    it('refuses a due date that is not a date', async () => {
      await expect(h.store().recordFailure(failure({ failedAt: h.clock().iso(), nextAttemptAt: 'tomorrow' }))).rejects.toThrow(/nextAttemptAt/);
    });
  });

  describe('blobs', () => {
    it('stores bytes exactly and overwrites by name', async () => {
      expect(await h.store().getBlob('token-cache')).toBeNull();
      const bytes = Buffer.from([0, 1, 2, 255, 0, 128, 10, 13]);
      await h.store().putBlob('token-cache', bytes);
      expect(await h.store().getBlob('token-cache')).toEqual(bytes);
      await h.store().putBlob('token-cache', Buffer.from('second'));
      expect((await h.store().getBlob('token-cache'))?.toString()).toBe('second');
    });
  });
}
