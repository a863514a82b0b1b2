/**
 * The flat per-operation results dynamics-web-api returns for a `$batch`, split back into one
 * result per record, under both readings of a failed change set (one error part, or a part per
 * operation run) and with the close's read after it.
 */
import { describe, expect, it } from '@jest/globals';
import { splitResults, type BatchGroup } from '../../../connectors/dynamics/batch.js';

const now = new Date('2026-03-02T09:00:00Z');
const update: BatchGroup = { writes: [{ call: 'update', request: { collection: 'opportunities', key: 'a', data: {} } }] };
const close: BatchGroup = {
  writes: [
    { call: 'update', request: { collection: 'opportunities', key: 'b', data: {} } },
    { call: 'callAction', request: { actionName: 'WinOpportunity', action: {} } },
  ],
  read: { call: 'retrieve', request: { collection: 'opportunities', key: 'b' } },
};
const refusal = (status: number, code: string): Error => Object.assign(new Error(), { status, error: { code, message: 'refused' }, headers: {} });
const row = (etag: number): Record<string, unknown> => ({ '@odata.etag': `W/"${etag}"` });

describe('splitting $batch results into one result per record', () => {
  it('a close whose change set failed as one error part leaves its neighbours in place', () => {
    const results = splitResults({ groups: [update, close, update], results: [row(1), refusal(412, '0x80060882'), row(2), row(3)], op: 'updateRecords', now });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['ok', 'conflict', 'ok']);
    expect(results[2]).toEqual({ ok: true, writes: [row(3)], read: undefined });
  });

  it('a close whose change set answered a part per operation run fails at its first error', () => {
    const results = splitResults({ groups: [close, update], results: [true, refusal(400, '0x80040203'), row(2), row(3)], op: 'updateRecords', now });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['invalid', 'ok']);
  });

  it('a close that succeeded carries the read of its new version', () => {
    const [result] = splitResults({ groups: [close], results: [true, undefined, row(9)], op: 'updateRecords', now });
    expect(result).toEqual({ ok: true, writes: [true, undefined], read: row(9) });
  });

  it('refuses to guess when the answer has more parts than the records sent', () => {
    expect(() => splitResults({ groups: [update], results: [row(1), row(2)], op: 'updateRecords', now })).toThrow(expect.objectContaining({ kind: 'unknown' }));
  });

  it('fails the records the answer ended before', () => {
    const results = splitResults({ groups: [update, update], results: [row(1)], op: 'createRecords', now });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.kind))).toEqual(['ok', 'unknown']);
  });
});
