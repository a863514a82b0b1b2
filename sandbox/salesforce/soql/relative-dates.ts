import { formatDate } from '../model/datetime.js';

const DAY = 86_400_000;

/**
 * Relative date literals (SOQL and SOSL Reference: `TODAY`, `LAST_N_DAYS:30`) as a half-open
 * range in the field's own form: `YYYY-MM-DD` for date fields, epoch ms for dateTime fields.
 * Days are UTC days (the sandbox org's time zone is GMT).
 */
export function relativeDateRange({ literal, now, type }: { literal: string; now: number; type: 'date' | 'datetime' }): {
  start: string | number;
  end: string | number;
} {
  const today = Math.floor(now / DAY) * DAY;
  const [name, param] = literal.split(':');
  const n = Number(param ?? 0);
  let start = today;
  let end = today + DAY;
  if (name === 'YESTERDAY') [start, end] = [today - DAY, today];
  else if (name === 'TOMORROW') [start, end] = [today + DAY, today + 2 * DAY];
  else if (name === 'LAST_N_DAYS') [start, end] = [today - n * DAY, today + DAY];
  else if (name === 'NEXT_N_DAYS') [start, end] = [today + DAY, today + (n + 1) * DAY];
  return type === 'date' ? { start: formatDate(start), end: formatDate(end) } : { start, end };
}
