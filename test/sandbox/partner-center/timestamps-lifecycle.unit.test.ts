import { describe, expect, it } from '@jest/globals';
import { applyPatch, parsePatch } from '../../../sandbox/partner-center/json-patch.js';
import { checkTransition, isTerminal } from '../../../sandbox/partner-center/lifecycle.js';
import { canonicalTimestamp, TimestampSource } from '../../../sandbox/partner-center/timestamps.js';

describe('seven-digit timestamps', () => {
  it('never repeats a stamp, even for writes within one millisecond', () => {
    const source = new TimestampSource();
    const at = new Date('2026-03-02T09:00:00.123Z');
    const stamps = [source.stamp(at), source.stamp(at), source.stamp(at), source.stamp(new Date('2026-03-02T09:00:00.122Z'))];
    expect(stamps).toEqual([
      '2026-03-02T09:00:00.1230000Z',
      '2026-03-02T09:00:00.1230001Z',
      '2026-03-02T09:00:00.1230002Z',
      '2026-03-02T09:00:00.1230003Z',
    ]);
    expect(source.stamp(new Date('2026-03-02T09:00:00.124Z'))).toBe('2026-03-02T09:00:00.1240000Z');
  });

  it('normalises other ISO forms so they compare as strings', () => {
    expect(canonicalTimestamp('2026-03-02T10:00:00+01:00')).toBe('2026-03-02T09:00:00.0000000Z');
    expect(canonicalTimestamp('2026-03-02T09:00:00.5Z')).toBe('2026-03-02T09:00:00.5000000Z');
    expect(canonicalTimestamp('2026-03-02T09:00:00.123456789Z')).toBe('2026-03-02T09:00:00.1234567Z');
    expect(canonicalTimestamp('yesterday')).toBeNull();
  });
});

describe('status transitions', () => {
  it.each([
    [{ status: 'New', substatus: 'Pending' }, { status: 'Active', substatus: 'Accepted' }, true],
    [{ status: 'New', substatus: 'Pending' }, { status: 'Closed', substatus: 'Declined' }, true],
    [{ status: 'New', substatus: 'Pending' }, { status: 'New', substatus: 'Received' }, true],
    [{ status: 'Active', substatus: 'Accepted' }, { status: 'Closed', substatus: 'Won' }, true],
    [{ status: 'Active', substatus: 'Accepted' }, { status: 'New', substatus: 'Pending' }, false],
    [{ status: 'Active', substatus: 'Accepted' }, { status: 'Active', substatus: 'Won' }, false],
    [{ status: 'New', substatus: 'Pending' }, { status: 'Closed', substatus: 'Accepted' }, false],
  ] as const)('%o -> %o allowed: %s', (from, to, ok) => {
    expect(checkTransition({ from, to }).ok).toBe(ok);
  });

  it('treats Won, Lost, Declined and Expired as terminal', () => {
    expect(['Won', 'Lost', 'Declined', 'Expired', 'Accepted', 'Pending'].map((s) => isTerminal(s as never))).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('JSON Patch subset', () => {
  it('appends with /team/-, inserts at an index and replaces nested members', () => {
    const doc = { team: [{ email: 'a' }], details: { notes: 'x' } };
    applyPatch(doc, parsePatch([
      { op: 'add', path: '/team/-', value: { email: 'c' } },
      { op: 'add', path: '/team/1', value: { email: 'b' } },
      { op: 'replace', path: '/details/notes', value: 'y' },
    ]));
    expect(doc).toEqual({ team: [{ email: 'a' }, { email: 'b' }, { email: 'c' }], details: { notes: 'y' } });
  });

  it('refuses paths through missing parents and out-of-range indexes', () => {
    expect(() => applyPatch({ team: [] }, parsePatch([{ op: 'replace', path: '/team/0', value: 1 }]))).toThrow();
    expect(() => applyPatch({}, parsePatch([{ op: 'replace', path: '/details/notes', value: 1 }]))).toThrow();
  });

  it('decodes ~1 and ~0 in pointers', () => {
    const doc: Record<string, unknown> = { details: {} };
    applyPatch(doc, parsePatch([{ op: 'add', path: '/details/a~1b~0c', value: 1 }]));
    expect(doc.details).toEqual({ 'a/b~c': 1 });
  });
});
