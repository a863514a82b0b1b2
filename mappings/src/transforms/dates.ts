/**
 * Dates. A CRM close date is date-only ('2024-11-14'); Partner Center wants a UTC date-time.
 * The org's time zone decides which instant stands for the date, so a close date never lands on
 * the wrong day when it comes back.
 *
 * Two readings of Microsoft's documentation ("Referral resources" shows `2024-11-14T00:00:00Z` only): whether Partner Center reads
 * closingDateTime as a calendar date at UTC midnight or as an instant. `anchor` picks how we
 * send it: `orgMidnight` (start of the day in the org's zone, the default), `orgNoon`, or
 * `utcMidnight` (the documented example's form). Reading back, a value at exactly UTC midnight
 * is taken as that calendar date (how Partner Center itself writes dates), anything else is
 * converted to the org's zone. No org-zone anchor other than UTC+0 falls on UTC midnight, so
 * every anchor round-trips.
 */
import { problem, scalarTransform, type Transform } from './transform.js';

export const DATE_ANCHORS = ['orgMidnight', 'orgNoon', 'utcMidnight'] as const;
export type DateAnchor = (typeof DATE_ANCHORS)[number];

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the IANA zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock parts of an instant in a zone. */
function wallClock(epochMs: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const n = (k: string): number => Number(parts[k]);
  return { y: n('year'), m: n('month'), d: n('day'), h: n('hour'), min: n('minute'), s: n('second') };
}

function offsetMs(epochMs: number, timeZone: string): number {
  const w = wallClock(epochMs, timeZone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(epochMs / 1000) * 1000;
}

/** The instant at which the wall clock in `timeZone` shows the given date and hour. */
export function zonedInstant(args: { y: number; m: number; d: number; hour: number; timeZone: string }): number {
  const wall = Date.UTC(args.y, args.m - 1, args.d, args.hour);
  let guess = wall - offsetMs(wall, args.timeZone);
  // A second pass settles days on which the offset changes (daylight saving).
  guess = wall - offsetMs(guess, args.timeZone);
  return guess;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Zone arithmetic through Intl is slow (two formatToParts per date) and close dates repeat
 * across records, so answers are memoised; the cache is bounded and simply starts over.
 */
const MEMO_LIMIT = 10_000;
const memo = new Map<string, string | null>();
function remember(key: string, compute: () => string | null): string | null {
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const value = compute();
  memo.set(key, value);
  return value;
}

export function dateOnlyToUtc(args: { date: string; anchor: DateAnchor; timeZone: string }): string | null {
  return remember(`d\u0000${args.date}\u0000${args.anchor}\u0000${args.timeZone}`, () => computeDateOnlyToUtc(args));
}

function computeDateOnlyToUtc(args: { date: string; anchor: DateAnchor; timeZone: string }): string | null {
  const m = DATE_ONLY.exec(args.date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  if (args.anchor === 'utcMidnight') return check.toISOString();
  const hour = args.anchor === 'orgNoon' ? 12 : 0;
  return new Date(zonedInstant({ y, m: mo, d, hour, timeZone: args.timeZone })).toISOString();
}

export function utcToDateOnly(args: { dateTime: string; timeZone: string }): string | null {
  return remember(`u\u0000${args.dateTime}\u0000${args.timeZone}`, () => computeUtcToDateOnly(args));
}

function computeUtcToDateOnly(args: { dateTime: string; timeZone: string }): string | null {
  const ms = Date.parse(args.dateTime);
  if (Number.isNaN(ms)) return null;
  const utc = new Date(ms);
  if (ms % 86_400_000 === 0) return `${utc.getUTCFullYear()}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;
  const w = wallClock(ms, args.timeZone);
  return `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}`;
}

export function dateOnlyTransform(args: { crm: string; anchor: DateAnchor; timeZone: string | null }): Transform {
  const zoneOf = (ctxZone: string): string => args.timeZone ?? ctxZone;
  return scalarTransform({
    name: 'dateOnly',
    crm: args.crm,
    describe: `date-only <-> UTC date-time (${args.anchor}${args.timeZone ? ` in ${args.timeZone}` : " in the org's zone"})`,
    accepts: (t) => t.kind === 'dateTime',
    toCanonical: (v, env) =>
      (typeof v === 'string' && dateOnlyToUtc({ date: v.slice(0, 10), anchor: args.anchor, timeZone: zoneOf(env.ctx.timeZone) })) ||
      problem(`not a date (YYYY-MM-DD): ${JSON.stringify(v)}`),
    toCrm: (v, env) =>
      (typeof v === 'string' && utcToDateOnly({ dateTime: v, timeZone: zoneOf(env.ctx.timeZone) })) ||
      problem(`not a date-time: ${JSON.stringify(v)}`),
  });
}

/** CRM date-time <-> UTC ISO-8601; both sides normalised to `toISOString()` form. */
export function dateTimeTransform(crm: string): Transform {
  const convert = (v: unknown): string | ReturnType<typeof problem> => {
    // Salesforce writes '+0000'; Date.parse wants '+00:00'.
    const text = typeof v === 'string' ? v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2') : '';
    const ms = Date.parse(text);
    return /T/.test(text) && !Number.isNaN(ms) ? new Date(ms).toISOString() : problem(`not a date-time: ${JSON.stringify(v)}`);
  };
  return scalarTransform({
    name: 'dateTime',
    crm,
    describe: 'date-time (UTC)',
    accepts: (t) => t.kind === 'dateTime',
    toCanonical: convert,
    toCrm: convert,
  });
}
