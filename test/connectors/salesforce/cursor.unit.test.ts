import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeCursor, encodeCursor, needsPair, noteSeen, readFrom, wasSeen } from '../../../connectors/salesforce/cursor.js';

const T = Date.parse('2024-05-02T17:21:09Z');

describe('Salesforce change cursor', () => {
  it('round-trips the watermark and the ids seen at each stamp', () => {
    const state = decodeCursor(null);
    noteSeen({ window: state.changes, id: 'A', stamp: T, overlapMs: 60_000, limit: 100 });
    noteSeen({ window: state.changes, id: 'B', stamp: T, overlapMs: 60_000, limit: 100 });
    const back = decodeCursor(encodeCursor(state));
    expect(back.changes.watermark).toBe(T);
    expect(wasSeen(back.changes, 'A', T)).toBe(true);
    expect(wasSeen(back.changes, 'B', T)).toBe(true);
    expect(wasSeen(back.changes, 'A', T + 1000)).toBe(false);
    expect(readFrom(back.changes, 60_000)).toBe(T - 60_000);
    expect(readFrom(decodeCursor(null).changes, 60_000)).toBeNull();
    // Long after the last change, an idle read starts at the watermark itself.
    expect(readFrom(back.changes, 60_000, T + 30_000)).toBe(T - 60_000);
    expect(readFrom(back.changes, 60_000, T + 121_000)).toBe(T);
  });

  it('forgets stamps that fell out of the overlap window and keeps at most the limit, newest first', () => {
    const state = decodeCursor(null);
    noteSeen({ window: state.changes, id: 'old', stamp: T - 120_000, overlapMs: 60_000, limit: 3 });
    for (const id of ['a', 'b', 'c', 'd']) noteSeen({ window: state.changes, id, stamp: T, overlapMs: 60_000, limit: 3 });
    expect(wasSeen(state.changes, 'old', T - 120_000)).toBe(false);
    expect(['a', 'b', 'c', 'd'].filter((id) => wasSeen(state.changes, id, T))).toEqual(['b', 'c', 'd']);
  });

  it('remembers the same pairs when only the rows needsPair names are noted as when every row is', () => {
    // Pages of rows in stamp order (seconds apart, often the same second), read on top of an
    // earlier cursor: the reader notes only what needsPair asks for, and must end where noting
    // every row ends, page by page. A query returns each row once; the earlier cursor may hold it.
    const overlapMs = 5_000;
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'];
    const row = fc.record({ id: fc.constantFrom(...ids), step: fc.constantFrom(0, 0, 1_000, 3_000, 9_000) });
    const read = fc.uniqueArray(row, { maxLength: ids.length, selector: (r) => r.id });
    const paged = read.chain((rows) => fc.array(fc.nat(rows.length), { maxLength: 4 }).map((cuts) => [0, ...cuts.sort((x, y) => x - y), rows.length].slice(1).map((end, i, all) => rows.slice(i === 0 ? 0 : all[i - 1], end))));
    fc.assert(
      fc.property(paged, fc.array(row, { maxLength: 6 }), fc.integer({ min: 2, max: 12 }), (pages, earlier, limit) => {
        const every = decodeCursor(null);
        let stamp = T;
        for (const r of earlier) noteSeen({ window: every.changes, id: r.id, stamp: (stamp += r.step), overlapMs, limit });
        const some = decodeCursor(encodeCursor(every));
        stamp -= 4_000;
        for (const page of pages) {
          const stamped = page.map((r) => ({ id: r.id, stamp: (stamp += r.step) }));
          const newest = Math.max(...stamped.map((r) => r.stamp));
          const emitted = { every: [] as string[], some: [] as string[] };
          for (const r of stamped) {
            if (!wasSeen(every.changes, r.id, r.stamp)) {
              noteSeen({ window: every.changes, id: r.id, stamp: r.stamp, overlapMs, limit });
              emitted.every.push(r.id);
            }
            const needed = needsPair(some.changes, r.stamp, newest, overlapMs);
            if (needed && wasSeen(some.changes, r.id, r.stamp)) continue;
            if (needed) noteSeen({ window: some.changes, id: r.id, stamp: r.stamp, overlapMs, limit });
            emitted.some.push(r.id);
          }
          expect(emitted.some).toEqual(emitted.every);
          expect(encodeCursor(some)).toBe(encodeCursor(every));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a cursor it did not write with an invalid ConnectorError', () => {
    let thrown: unknown = null;
    try {
      decodeCursor('not-a-cursor');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ kind: 'invalid', system: 'salesforce' });
  });
});
