/**
 * Date and dateTime wire formats, as the REST API writes and reads them: dateTime out as
 * `2024-05-02T17:21:09.000+0000`, date as `2024-09-30`; dateTime in as ISO-8601 with `Z`, an
 * offset with or without a colon, and optional fractional seconds.
 */

const DATETIME_IN =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_IN = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2024-05-02T17:21:09.000+0000`. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}

/** Epoch milliseconds of an ISO-8601 dateTime with a zone, or undefined when malformed. */
export function parseDateTime(text: string): number | undefined {
  const m = DATETIME_IN.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac === undefined ? 0 : Number(frac.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const digits = zone.replace(':', '');
    const sign = digits.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (!isValidCalendarDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  return utc - offsetMinutes * 60_000;
}

/** `YYYY-MM-DD` when valid, else undefined. */
export function parseDate(text: string): string | undefined {
  const m = DATE_IN.exec(text);
  if (!m) return undefined;
  return isValidCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? text : undefined;
}

/** `YYYY-MM-DD` of an instant, in UTC. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** RFC 1123 (`If-Unmodified-Since`, `If-Modified-Since`, Salesforce REST API Developer Guide, "Conditional Requests"); undefined when malformed. */
export function parseHttpDate(text: string): number | undefined {
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text.trim())) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function floorTo(ms: number, unitMs: number): number {
  return Math.floor(ms / unitMs) * unitMs;
}

/** Salesforce's dateTime stamps (CreatedDate, LastModifiedDate, SystemModstamp) end in `.000`. */
export function wholeSecond(ms: number): number {
  return floorTo(ms, 1000);
}

function isValidCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
