/**
 * Seven-digit UTC timestamps (Partner Center docs, "Referral resources": "UTC ISO-8601, 7 fractional digits").
 * The source never hands out the same value twice: two writes in the same millisecond get
 * stamps one 100 ns tick apart, so `updatedDateTime` works as a strict sync cursor.
 */

const TICKS_PER_MS = 10_000;

/** Formats a time given as milliseconds plus 100 ns ticks within that millisecond. */
export function formatTicks(ms: number, subTicks: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  const msDigits = iso.slice(20, 23);
  return `${iso.slice(0, 19)}.${msDigits}${String(subTicks).padStart(4, '0')}Z`;
}

/**
 * Normalises any ISO-8601 date-time (any number of fractional digits, Z or an offset) to the
 * seven-digit UTC form, so stamps compare correctly as strings. Returns null when unreadable.
 */
export function canonicalTimestamp(value: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,7})\d*)?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!match) return null;
  const [, base = '', fraction = '', zone = 'Z'] = match;
  const ms = Date.parse(`${base}${zone}`);
  if (Number.isNaN(ms)) return null;
  const padded = fraction.padEnd(7, '0');
  const wholeMs = ms + Number(padded.slice(0, 3));
  return formatTicks(wholeMs, Number(padded.slice(3)));
}

/** Milliseconds since the epoch of a seven-digit stamp (sub-millisecond ticks dropped). */
export function timestampMs(stamp: string): number {
  return Date.parse(stamp.slice(0, 23) + 'Z');
}

export class TimestampSource {
  private lastMs = Number.NEGATIVE_INFINITY;
  private lastSub = 0;

  /** A stamp at `at` (or just after the last stamp handed out, whichever is later). */
  stamp(at: Date): string {
    const ms = at.getTime();
    if (ms > this.lastMs) {
      this.lastMs = ms;
      this.lastSub = 0;
    } else if (this.lastSub < TICKS_PER_MS - 1) {
      this.lastSub += 1;
    } else {
      this.lastMs += 1;
      this.lastSub = 0;
    }
    return formatTicks(this.lastMs, this.lastSub);
  }
}
