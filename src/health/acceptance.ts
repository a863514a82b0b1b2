/**
 * "Be choosy": how inbound referrals ended — accepted, declined, expired, or still awaiting an
 * answer — by who sent them, deal type, solution, customer country and size band.
 */
import type { ReferralFacts } from '../store/health-types.js';

/** The ways acceptance is broken down, each a function of the recorded facts. */
export const DIMENSIONS = {
  source: (f: ReferralFacts) => f.source,
  dealType: (f: ReferralFacts) => f.dealType,
  solution: (f: ReferralFacts) => f.solution ?? '(none)',
  country: (f: ReferralFacts) => f.country ?? '(unknown)',
  size: (f: ReferralFacts) => sizeBand(f.size),
} as const satisfies Record<string, (f: ReferralFacts) => string>;

export type Dimension = keyof typeof DIMENSIONS;
export const DIMENSION_NAMES = Object.keys(DIMENSIONS) as Dimension[];

/** Partner Center's customer size bands (Referral resources, `customerProfile.size`) as people read them. */
const SIZE_BANDS: Readonly<Record<string, string>> = {
  '1to9employees': '1-9',
  '10to50employees': '10-50',
  '1to50employees': '1-50',
  '51to250employees': '51-250',
  '51to500employees': '51-500',
  '251to1000employees': '251-1000',
  Morethan500employees: '500+',
  '1001to5000employees': '1001-5000',
  '5001to10000employees': '5001-10000',
  '10001to20000employees': '10001-20000',
  Morethan20000employees: '20000+',
};

export function sizeBand(size: string | null): string {
  if (size === null || size === '') return '(unknown)';
  return SIZE_BANDS[size] ?? size;
}

export interface AcceptanceRow {
  dimension: Dimension;
  value: string;
  accepted: number;
  declined: number;
  expired: number;
  awaiting: number;
  /** Accepted among the referrals that ended their answer window (accepted + declined + expired); null when none did. */
  acceptRate: number | null;
}

/** Rows for every dimension, most referrals first within a dimension, then by value. */
export function acceptance(facts: readonly ReferralFacts[]): AcceptanceRow[] {
  const inbound = facts.filter((f) => f.direction === 'Incoming');
  return DIMENSION_NAMES.flatMap((dimension) => {
    const rows = new Map<string, AcceptanceRow>();
    for (const f of inbound) {
      const value = DIMENSIONS[dimension](f);
      const row = rows.get(value) ?? { dimension, value, accepted: 0, declined: 0, expired: 0, awaiting: 0, acceptRate: null };
      row[f.answer ?? 'awaiting']++;
      rows.set(value, row);
    }
    return [...rows.values()]
      .map((r) => {
        const ended = r.accepted + r.declined + r.expired;
        return { ...r, acceptRate: ended === 0 ? null : Math.round((r.accepted / ended) * 1000) / 1000 };
      })
      .sort((a, b) => total(b) - total(a) || a.value.localeCompare(b.value));
  });
}

const total = (r: AcceptanceRow): number => r.accepted + r.declined + r.expired + r.awaiting;
