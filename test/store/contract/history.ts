import { describe, expect, it } from '@jest/globals';
import type { HistoryEntry } from '../../../src/store/history-types.js';
import { recordHistory } from '../../../src/store/record-history.js';
import { linkInput, type Harness } from './fixtures.js';

const DAY = 86_400_000;

function entry(overrides: Partial<HistoryEntry> & Pick<HistoryEntry, 'at'>): HistoryEntry {
  return {
    runId: 'run-1',
    recordKey: 'salesforce:opportunity:006A',
    crmId: '006A',
    referralId: null,
    event: 'read',
    action: 'outbound',
    detail: null,
    changes: [],
    ...overrides,
  };
}

export function historyContract(h: Harness): void {
  describe('record history', () => {
    it('lists one record’s entries newest first, with the values of each write, and nothing of other records', async () => {
      const store = h.store();
      await store.appendHistory([
        entry({ at: '2026-03-01T08:00:00.000Z' }),
        entry({
          at: '2026-03-01T08:00:00.000Z',
          event: 'written',
          action: 'createReferral',
          changes: [{ field: 'details.dealValue', target: 'partnerCenter', after: 0 }],
        }),
        entry({ at: '2026-03-01T07:00:00.000Z', crmId: '006B', recordKey: 'salesforce:opportunity:006B' }),
      ]);
      await store.appendHistory([
        entry({ at: '2026-03-01T09:30:00+01:00', runId: 'run-2', event: 'skipped', detail: 'no mapped field changed' }),
        entry({
          at: '2026-03-01T10:00:00.000Z',
          runId: 'run-3',
          event: 'written',
          action: 'outbound',
          changes: [{ field: 'details.dealValue', target: 'partnerCenter', before: 0, after: null }],
        }),
      ]);
      await store.appendHistory([]);
      const listed = await store.listHistory({ crmIds: ['006A'], referralIds: [], limit: 10 });
      // 09:30+01:00 is 08:30Z: time is compared as instants; equal times keep the order stored.
      expect(listed.map((e) => [e.runId, e.event])).toEqual([
        ['run-3', 'written'],
        ['run-2', 'skipped'],
        ['run-1', 'written'],
        ['run-1', 'read'],
      ]);
      expect(listed[0]).toEqual({
        seq: expect.any(Number),
        ...entry({ at: '2026-03-01T10:00:00.000Z', runId: 'run-3', event: 'written', action: 'outbound', changes: [{ field: 'details.dealValue', target: 'partnerCenter', before: 0, after: null }] }),
      });
      expect(listed[2]?.changes).toEqual([{ field: 'details.dealValue', target: 'partnerCenter', after: 0 }]);
      expect(await store.listHistory({ crmIds: ['006A'], referralIds: [], limit: 1 })).toHaveLength(1);
      expect(await store.listHistory({ crmIds: [], referralIds: [], limit: 10 })).toEqual([]);
    });

    it('tells a linked pair’s story by either id: CRM-side and referral-side entries together', async () => {
      const store = h.store();
      await store.saveLink(linkInput({ crmId: '006L', referralId: 'ref-L' }));
      await store.appendHistory([
        entry({ at: h.clock().iso(), crmId: '006L', recordKey: 'salesforce:opportunity:006L', event: 'written' }),
        entry({ at: h.clock().iso(1000), crmId: null, referralId: 'ref-L', recordKey: 'referral:ref-L', event: 'skipped', action: 'inbound' }),
        entry({ at: h.clock().iso(2000), crmId: null, referralId: 'ref-other', recordKey: 'referral:ref-other' }),
        entry({ at: h.clock().iso(3000), runId: null, crmId: '006L', referralId: 'ref-L', recordKey: 'salesforce:opportunity:006L', event: 'resolved', action: 'resolve' }),
      ]);
      const byCrm = await recordHistory(store, { crmId: '006L' });
      const byReferral = await recordHistory(store, { referralId: 'ref-L' });
      expect(byCrm.entries.map((e) => e.event)).toEqual(['resolved', 'skipped', 'written']);
      expect(byReferral.entries).toEqual(byCrm.entries);
      expect(byCrm.links).toEqual([expect.objectContaining({ crmId: '006L', referralId: 'ref-L', crmSystem: 'salesforce' })]);
      expect(await recordHistory(store, { crmId: 'never-seen' })).toEqual({ links: [], entries: [] });
    });
  });

  describe('retention', () => {
    it('drops runs, their outcomes and history older than the cut-off and keeps the recent ones', async () => {
      const store = h.store();
      const old = await store.startRun({ kind: 'inbound', startedAt: h.clock().iso(-40 * DAY) });
      await store.finishRun({ id: old.id, finishedAt: h.clock().iso(-40 * DAY + 1000), status: 'succeeded', summary: {} });
      const recent = await store.startRun({ kind: 'inbound', startedAt: h.clock().iso(-DAY) });
      await store.recordOutcomes([
        { runId: old.id, recordKey: 'referral:1', action: 'inbound', result: 'written', detail: null },
        { runId: recent.id, recordKey: 'referral:1', action: 'inbound', result: 'skipped', detail: 'unchanged' },
      ]);
      await store.appendHistory([
        entry({ at: h.clock().iso(-40 * DAY), runId: old.id }),
        entry({ at: h.clock().iso(-DAY), runId: recent.id }),
      ]);
      const pruned = await store.prune({ olderThan: h.clock().iso(-30 * DAY), keepRuns: null, keepHistoryRows: null });
      expect(pruned).toEqual({ runs: 1, outcomes: 1, history: 1 });
      expect((await store.listRuns(10)).map((r) => r.id)).toEqual([recent.id]);
      expect(await store.listOutcomes(old.id)).toEqual([]);
      expect(await store.listOutcomes(recent.id)).toHaveLength(1);
      expect((await store.listHistory({ crmIds: ['006A'], referralIds: [], limit: 10 })).map((e) => e.runId)).toEqual([recent.id]);
      expect(await store.prune({ olderThan: h.clock().iso(-30 * DAY), keepRuns: null, keepHistoryRows: null })).toEqual({ runs: 0, outcomes: 0, history: 0 });
    });

    it('keeps only the newest runs and history rows when counts are set, and never a run still going', async () => {
      const store = h.store();
      const ids: string[] = [];
      for (let n = 0; n < 5; n++) {
        const run = await store.startRun({ kind: 'outbound:salesforce', startedAt: h.clock().iso(n * 1000) });
        await store.finishRun({ id: run.id, finishedAt: h.clock().iso(n * 1000 + 500), status: 'failed', summary: {} });
        await store.recordOutcomes([{ runId: run.id, recordKey: `k${n}`, action: 'outbound', result: 'failed', detail: null }]);
        ids.push(run.id);
      }
      const going = await store.startRun({ kind: 'inbound', startedAt: h.clock().iso(-DAY) });
      await store.appendHistory(Array.from({ length: 6 }, (_, n) => entry({ at: h.clock().iso(n), detail: `n${n}` })));
      const pruned = await store.prune({ olderThan: null, keepRuns: 2, keepHistoryRows: 4 });
      expect(pruned).toEqual({ runs: 3, outcomes: 3, history: 2 });
      expect((await store.listRuns(10)).map((r) => r.id)).toEqual([ids[4], ids[3], going.id]);
      expect(await store.listOutcomes(ids[0] as string)).toEqual([]);
      expect((await store.listHistory({ crmIds: ['006A'], referralIds: [], limit: 10 })).map((e) => e.detail)).toEqual(['n5', 'n4', 'n3', 'n2']);
      await store.finishRun({ id: going.id, finishedAt: h.clock().iso(), status: 'succeeded', summary: {} });
      await expect(store.prune({ olderThan: null, keepRuns: -1, keepHistoryRows: null })).rejects.toThrow(/keepRuns/);
    });

    it('in batches: at most `batch` runs (with all their outcomes) and history entries per rule and call, oldest first, until nothing is due', async () => {
      const store = h.store();
      const runs: string[] = [];
      for (let n = 0; n < 5; n++) {
        const run = await store.startRun({ kind: 'inbound', startedAt: h.clock().iso((n - 50) * DAY) });
        await store.finishRun({ id: run.id, finishedAt: h.clock().iso((n - 50) * DAY + 1000), status: 'succeeded', summary: {} });
        await store.recordOutcomes([0, 1].map((k) => ({ runId: run.id, recordKey: `referral:${n}-${k}`, action: 'inbound', result: 'written' as const, detail: null })));
        runs.push(run.id);
      }
      await store.appendHistory(Array.from({ length: 5 }, (_, n) => entry({ at: h.clock().iso((n - 50) * DAY), detail: `old ${n}` })));
      const byAge = { olderThan: h.clock().iso(-30 * DAY), keepRuns: null, keepHistoryRows: null, batch: 2 };
      expect(await store.prune(byAge)).toEqual({ runs: 2, outcomes: 4, history: 2 });
      expect((await store.listRuns(10)).map((r) => r.id)).toEqual([runs[4], runs[3], runs[2]]);
      expect(await store.listOutcomes(runs[2] as string)).toHaveLength(2);
      expect((await store.listHistory({ crmIds: ['006A'], referralIds: [], limit: 10 })).map((e) => e.detail)).toEqual(['old 4', 'old 3', 'old 2']);
      expect(await store.prune(byAge)).toEqual({ runs: 2, outcomes: 4, history: 2 });
      expect(await store.prune(byAge)).toEqual({ runs: 1, outcomes: 2, history: 1 });
      expect(await store.prune(byAge)).toEqual({ runs: 0, outcomes: 0, history: 0 });

      for (let n = 0; n < 4; n++) {
        const run = await store.startRun({ kind: 'inbound', startedAt: h.clock().iso(n * 1000) });
        await store.finishRun({ id: run.id, finishedAt: h.clock().iso(n * 1000 + 500), status: 'succeeded', summary: {} });
        await store.recordOutcomes([{ runId: run.id, recordKey: `referral:r${n}`, action: 'inbound', result: 'skipped', detail: null }]);
        runs.push(run.id);
      }
      await store.appendHistory(Array.from({ length: 4 }, (_, n) => entry({ at: h.clock().iso(n * 1000), detail: `new ${n}` })));
      const byCount = { olderThan: null, keepRuns: 1, keepHistoryRows: 1, batch: 2 };
      expect(await store.prune(byCount)).toEqual({ runs: 2, outcomes: 2, history: 2 });
      expect(await store.prune(byCount)).toEqual({ runs: 1, outcomes: 1, history: 1 });
      expect(await store.prune(byCount)).toEqual({ runs: 0, outcomes: 0, history: 0 });
      expect((await store.listRuns(10)).map((r) => r.id)).toEqual([runs.at(-1)]);
      expect((await store.listHistory({ crmIds: ['006A'], referralIds: [], limit: 10 })).map((e) => e.detail)).toEqual(['new 3']);
      await expect(store.prune({ ...byCount, batch: 0 })).rejects.toThrow(/batch/);
    });
  });
}

export function opsReadContract(h: Harness): void {
  describe('what metrics and readiness read', () => {
    it('counts the failed records and the open conflicts', async () => {
      const store = h.store();
      expect(await store.countOpen()).toEqual({ failures: 0, conflicts: 0 });
      for (const key of ['salesforce:opportunity:1', 'referral:2']) {
        await store.recordFailure({ key, operation: 'outbound', reason: 'invalid', errorKind: 'invalid', payload: null, nextAttemptAt: h.clock().iso(), lastFailedAt: h.clock().iso(), failedAt: h.clock().iso() });
      }
      const link = await store.saveLink(linkInput());
      const held = await store.holdConflict({ linkId: link.id, path: 'name', base: 'a', crmValue: 'b', partnerCenterValue: 'c', createdAt: h.clock().iso() });
      await store.holdConflict({ linkId: link.id, path: 'details.notes', base: null, crmValue: 'x', partnerCenterValue: 'y', createdAt: h.clock().iso() });
      await store.resolveConflict({ id: held.id, resolution: 'crm', value: 'b', at: h.clock().iso() });
      expect(await store.countOpen()).toEqual({ failures: 2, conflicts: 1 });
    });

    it('finds the newest finished run of a kind, and the newest that succeeded', async () => {
      const store = h.store();
      expect(await store.lastRun({ kind: 'inbound' })).toBeNull();
      const ok = await store.startRun({ kind: 'inbound', startedAt: h.clock().iso() });
      await store.finishRun({ id: ok.id, finishedAt: h.clock().iso(1000), status: 'succeeded', summary: { read: 3 } });
      const bad = await store.startRun({ kind: 'inbound', startedAt: h.clock().iso(2000) });
      await store.finishRun({ id: bad.id, finishedAt: h.clock().iso(3000), status: 'failed', summary: { read: 0 } });
      await store.startRun({ kind: 'inbound', startedAt: h.clock().iso(4000) });
      const other = await store.startRun({ kind: 'outbound:salesforce', startedAt: h.clock().iso(5000) });
      await store.finishRun({ id: other.id, finishedAt: h.clock().iso(6000), status: 'succeeded', summary: {} });
      expect((await store.lastRun({ kind: 'inbound' }))?.id).toBe(bad.id);
      expect(await store.lastRun({ kind: 'inbound', status: 'succeeded' })).toEqual({ ...ok, finishedAt: h.clock().iso(1000), status: 'succeeded', summary: { read: 3 } });
    });
  });
}
