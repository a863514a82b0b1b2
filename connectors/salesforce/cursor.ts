/**
 * The readChanges cursor (why it overlaps: docs/change-watermarks.md): a watermark (the newest SystemModstamp read) plus the
 * (Id, stamp) pairs read inside the overlap window before it. The next read starts at
 * `watermark - overlap` with `>=`, so a row stamped in the same second as the last one read, or
 * committed late, is never missed; the pairs keep rows already emitted from coming back, while
 * a row edited again (new stamp) does come back.
 */
import { ConnectorError } from '../errors.js';

export interface WindowState {
  /** Newest stamp read, epoch ms; null before the first row. */
  watermark: number | null;
  /** Stamp (epoch ms) -> ids read at that stamp, for stamps inside the overlap window. */
  seen: Map<number, Set<string>>;
}

export interface CursorState {
  changes: WindowState;
}

interface WireWindow {
  w: string | null;
  s: [string, string[]][];
}
interface WireCursor {
  v: 1;
  c: WireWindow;
}

const emptyWindow = (): WindowState => ({ watermark: null, seen: new Map() });

const toWire = (w: WindowState): WireWindow => ({
  w: w.watermark === null ? null : new Date(w.watermark).toISOString(),
  s: [...w.seen].map(([stamp, ids]) => [new Date(stamp).toISOString(), [...ids]]),
});

function fromWire(w: WireWindow): WindowState {
  const watermark = w.w === null ? null : Date.parse(w.w);
  if (watermark !== null && Number.isNaN(watermark)) throw new Error('bad watermark');
  const seen = new Map<number, Set<string>>();
  for (const [stamp, ids] of w.s) {
    const ms = Date.parse(stamp);
    if (Number.isNaN(ms) || !Array.isArray(ids)) throw new Error('bad seen entry');
    seen.set(ms, new Set(ids));
  }
  return { watermark, seen };
}

export function encodeCursor(state: CursorState): string {
  const wire: WireCursor = { v: 1, c: toWire(state.changes) };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

export function decodeCursor(cursor: string | null): CursorState {
  if (cursor === null) return { changes: emptyWindow() };
  try {
    const wire = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as WireCursor;
    if (wire.v !== 1) throw new Error(`unknown cursor version ${String(wire.v)}`);
    return { changes: fromWire(wire.c) };
  } catch (cause) {
    throw new ConnectorError({ kind: 'invalid', system: 'salesforce', message: 'unreadable Salesforce cursor', cause });
  }
}

/** Where the next read starts (epoch ms), or null to read from the beginning. */
export function readFrom(window: WindowState, overlapMs: number, nowMs?: number): number | null {
  if (window.watermark === null) return null;
  // Once the watermark is well in the past (two windows, for clock skew with Salesforce), a late
  // commit would long have shown up: an idle org is read from the watermark, not the window,
  // so the rows of a past burst of writes are not read again on every cycle.
  if (nowMs !== undefined && nowMs - window.watermark > 2 * overlapMs) return window.watermark;
  return window.watermark - overlapMs;
}

export function wasSeen(window: WindowState, id: string, stamp: number): boolean {
  return window.seen.get(stamp)?.has(id) ?? false;
}

/**
 * Whether a row stamped `stamp` needs its (Id, content) pair at all, in a page whose newest stamp
 * is `pageNewest`: to be looked up, because pairs are remembered at that stamp, or to be
 * remembered, because the stamp stays inside the overlap window once the page is read (rows come
 * oldest first, so the window then ends at the page's newest stamp). Any other pair would be
 * forgotten by the page's next `noteSeen`, so a backfill of old rows hashes only its last seconds.
 */
export function needsPair(window: WindowState, stamp: number, pageNewest: number, overlapMs: number): boolean {
  return window.seen.has(stamp) || stamp >= Math.max(window.watermark ?? pageNewest, pageNewest) - overlapMs;
}

/**
 * Records a row as read. Stamps that fell out of the overlap window are forgotten (the next
 * query starts after them); past `limit` pairs the oldest go first, which can only cause a
 * harmless re-read of an already synced row, never a miss.
 */
export function noteSeen(args: { window: WindowState; id: string; stamp: number; overlapMs: number; limit: number }): void {
  const { window, id, stamp, overlapMs, limit } = args;
  if (window.watermark === null || stamp > window.watermark) window.watermark = stamp;
  const ids = window.seen.get(stamp) ?? new Set<string>();
  ids.add(id);
  window.seen.set(stamp, ids);
  const oldest = window.watermark - overlapMs;
  let total = 0;
  for (const [s, set] of window.seen) {
    if (s < oldest) window.seen.delete(s);
    else total += set.size;
  }
  if (total <= limit) return;
  const stamps = [...window.seen.keys()].sort((a, b) => a - b);
  for (const s of stamps) {
    const set = window.seen.get(s);
    if (!set) continue;
    for (const member of set) {
      if (total <= limit) return;
      set.delete(member);
      total -= 1;
    }
    if (set.size === 0) window.seen.delete(s);
  }
}
