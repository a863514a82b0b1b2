/**
 * Response time per inbound referral: from when it was received to when it was accepted or
 * declined. An expired referral got no answer: it is counted, never timed. Grouped by the week or
 * month the referral was received, with p50 / p90 in hours.
 */
import type { ReferralFacts } from '../store/health-types.js';
import { percentile } from './percentile.js';
import { periodOf, type Granularity } from './periods.js';

const HOUR_MS = 3_600_000;

export interface ResponseTimeRow {
  /** `2026-W49` or `2026-12`. */
  period: string;
  received: number;
  /** Accepted or declined in time, with a known answer time. */
  answered: number;
  expired: number;
  /** Still inside the answer window. */
  awaiting: number;
  /** Hours from received to answered; null with no answered referral in the period. */
  p50Hours: number | null;
  p90Hours: number | null;
}

/** Hours to answer `f`, or null when it was not answered (expired, awaiting) or the time is unknown. */
export function hoursToAnswer(f: ReferralFacts): number | null {
  if ((f.answer !== 'accepted' && f.answer !== 'declined') || f.answeredAt === null) return null;
  const ms = Date.parse(f.answeredAt) - Date.parse(f.receivedAt);
  return ms < 0 ? 0 : ms / HOUR_MS;
}

/** One row per period that received an inbound referral, oldest first. */
export function responseTimes(facts: readonly ReferralFacts[], granularity: Granularity): ResponseTimeRow[] {
  const groups = new Map<string, ReferralFacts[]>();
  for (const f of facts) {
    if (f.direction !== 'Incoming') continue;
    const key = periodOf(f.receivedAt, granularity);
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, group]) => {
      const hours = group.map(hoursToAnswer).filter((h): h is number => h !== null);
      return {
        period,
        received: group.length,
        answered: hours.length,
        expired: group.filter((f) => f.answer === 'expired').length,
        awaiting: group.filter((f) => f.answer === null).length,
        p50Hours: roundHours(percentile(hours, 50)),
        p90Hours: roundHours(percentile(hours, 90)),
      };
    });
}

const roundHours = (h: number | null): number | null => (h === null ? null : Math.round(h * 10) / 10);
