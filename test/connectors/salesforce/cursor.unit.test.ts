import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor, noteSeen, readFrom, wasSeen } from '../../../connectors/salesforce/cursor.js';

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
