/**
 * Calendar buckets of the health metrics, in UTC: ISO weeks (`2026-W49`, Monday to Sunday) and
 * months (`2026-12`). Pure functions over ISO-8601 stamps.
 */

export type Granularity = 'week' | 'month';

const DAY_MS = 86_400_000;

/** The ISO-8601 week of `iso` as `YYYY-Www` (the year is the week's own, per ISO 8601). */
export function isoWeekOf(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  // The Thursday of this week decides the week-numbering year.
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

export function periodOf(iso: string, granularity: Granularity): string {
  return granularity === 'week' ? isoWeekOf(iso) : monthOf(iso);
}
