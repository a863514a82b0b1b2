/**
 * The incremental-sync cursor: the last `updatedDateTime` seen plus the ids seen at exactly that
 * instant, so referrals sharing a timestamp are never skipped nor repeated across pages or runs.
 */
import { ConnectorError } from '../errors.js';

/** The decoded cursor. */
export interface ReferralCursor {
  /** The server's own timestamp text (7 fractional digits), sent back verbatim in filters. */
  t: string;
  ids: string[];
}

const PREFIX = 'pc1:';

/** The opaque text the engine stores. */
export const encodeCursor = (c: ReferralCursor): string => PREFIX + JSON.stringify({ t: c.t, ids: [...c.ids].sort() });

/** Reads a cursor; an unreadable one is an `invalid` ConnectorError. */
export function decodeCursor(text: string): ReferralCursor {
  try {
    if (!text.startsWith(PREFIX)) throw new Error('unknown cursor version');
    const v: unknown = JSON.parse(text.slice(PREFIX.length));
    if (typeof v === 'object' && v !== null && 't' in v && 'ids' in v && typeof v.t === 'string' && Array.isArray(v.ids)) {
      return { t: v.t, ids: v.ids.filter((i): i is string => typeof i === 'string') };
    }
    throw new Error('cursor lacks t or ids');
  } catch (cause) {
    throw new ConnectorError({ kind: 'invalid', system: 'partnerCenter', vendorCode: 'badCursor', message: `unreadable Partner Center cursor: ${text.slice(0, 80)}`, cause });
  }
}

const INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A sortable UTC form with 9 fractional digits. Server timestamps carry 7 digits, which a JS
 * Date would cut to milliseconds and so merge distinct instants.
 */
export function normalizeInstant(value: string): string {
  const m = INSTANT.exec(value.trim());
  if (m === null) {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms).toISOString().replace('Z', '000000Z');
  }
  const [, whole = '', fraction = '', zone = 'Z'] = m;
  const digits = fraction.padEnd(9, '0');
  if (zone === 'Z' || zone === '+00:00' || zone === '-00:00') return `${whole}.${digits}Z`;
  const utc = new Date(`${whole}${zone}`).toISOString().slice(0, 19);
  return `${utc}.${digits}Z`;
}

/** Orders two server timestamps at full (7-digit) precision. */
export const compareInstants = (a: string, b: string): number => {
  const x = normalizeInstant(a);
  const y = normalizeInstant(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Whether an item is new relative to the cursor (later, or at the same instant but unseen). */
export function isAfterCursor(item: { id: string; updatedDateTime: string }, cursor: ReferralCursor | null): boolean {
  if (cursor === null) return true;
  const c = compareInstants(item.updatedDateTime, cursor.t);
  return c > 0 || (c === 0 && !cursor.ids.includes(item.id));
}

/** The cursor after `items` (any order) were handed out. */
export function advanceCursor(prev: ReferralCursor | null, items: readonly { id: string; updatedDateTime: string }[]): ReferralCursor | null {
  let next = prev;
  for (const item of items) {
    if (next === null) {
      next = { t: item.updatedDateTime, ids: [item.id] };
      continue;
    }
    const c = compareInstants(item.updatedDateTime, next.t);
    if (c > 0) next = { t: item.updatedDateTime, ids: [item.id] };
    else if (c === 0 && !next.ids.includes(item.id)) next = { t: next.t, ids: [...next.ids, item.id] };
  }
  return next;
}
