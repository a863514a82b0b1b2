/**
 * Rows of the co-sell health tables, shared by both stores (same column names in SQLite and
 * PostgreSQL), and the upsert rule both implement: a referral's first answer and answer time are
 * kept, everything else takes the latest sighting.
 */
import type { ReferralFacts, RegistrationRecord, ReminderRecord } from './health-types.js';
import { isoToMs } from './row-mapping.js';

export const FACT_COLUMNS = [
  'referral_id',
  'direction',
  'name',
  'received_at',
  'received_ms',
  'respond_by',
  'respond_by_ms',
  'status',
  'answer',
  'answered_at',
  'source',
  'deal_type',
  'solution',
  'country',
  'size',
  'deal_value',
  'currency',
  'first_seen_at',
  'last_seen_at',
] as const;

/**
 * The SET list of the facts upsert, given how the dialect names the existing row and the new one.
 * The received time, the first sighting and the first answer never change once stored.
 */
export function factsUpsertSet(existing: string, incoming: string): string {
  const latest = ['direction', 'name', 'status', 'source', 'deal_type', 'solution', 'country', 'size', 'deal_value', 'currency', 'last_seen_at'];
  return [
    ...latest.map((c) => `${c} = ${incoming}.${c}`),
    `respond_by = COALESCE(${existing}.respond_by, ${incoming}.respond_by)`,
    `respond_by_ms = COALESCE(${existing}.respond_by_ms, ${incoming}.respond_by_ms)`,
    `answer = COALESCE(${existing}.answer, ${incoming}.answer)`,
    // A first answer seen without its time (a referral first read long after it was accepted) may
    // learn the time later; a known answer time is never replaced.
    `answered_at = CASE WHEN ${existing}.answer IS NULL OR ${existing}.answer = ${incoming}.answer
       THEN COALESCE(${existing}.answered_at, ${incoming}.answered_at) ELSE ${existing}.answered_at END`,
  ].join(', ');
}

export function factValues(f: ReferralFacts): (string | number | null)[] {
  return [
    f.referralId,
    f.direction,
    f.name,
    f.receivedAt,
    isoToMs(f.receivedAt, 'receivedAt'),
    f.respondBy,
    f.respondBy === null ? null : isoToMs(f.respondBy, 'respondBy'),
    f.status,
    f.answer,
    f.answeredAt,
    f.source,
    f.dealType,
    f.solution,
    f.country,
    f.size,
    f.dealValue,
    f.currency,
    f.firstSeenAt,
    f.lastSeenAt,
  ];
}

export interface FactRow {
  referral_id: string;
  direction: string;
  name: string;
  received_at: string;
  respond_by: string | null;
  status: string;
  answer: string | null;
  answered_at: string | null;
  source: string;
  deal_type: string;
  solution: string | null;
  country: string | null;
  size: string | null;
  deal_value: number | string | null;
  currency: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

// Rows are only written from typed values by these stores; the casts restore those types.
export function toFacts(row: FactRow): ReferralFacts {
  return {
    referralId: row.referral_id,
    direction: row.direction as ReferralFacts['direction'],
    name: row.name,
    receivedAt: row.received_at,
    respondBy: row.respond_by,
    status: row.status,
    answer: row.answer as ReferralFacts['answer'],
    answeredAt: row.answered_at,
    source: row.source as ReferralFacts['source'],
    dealType: row.deal_type,
    solution: row.solution,
    country: row.country,
    size: row.size,
    dealValue: row.deal_value === null ? null : Number(row.deal_value),
    currency: row.currency,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
  };
}

export interface ReminderRow {
  referral_id: string;
  days_left: number | string;
  state: string;
  recipient: string | null;
  claimed_at: string;
  settled_at: string | null;
  detail: string | null;
}

export function toReminder(row: ReminderRow): ReminderRecord {
  return {
    referralId: row.referral_id,
    daysLeft: Number(row.days_left),
    state: row.state as ReminderRecord['state'],
    recipient: row.recipient as ReminderRecord['recipient'],
    claimedAt: row.claimed_at,
    settledAt: row.settled_at,
    detail: row.detail,
  };
}

export interface RegistrationRow {
  referral_id: string;
  state: string;
  registration_id: string | null;
  status: string | null;
  status_in_crm: string | null;
  attempted_at: string;
  updated_at: string;
  detail: string | null;
}

export const REGISTRATION_COLUMNS = ['referral_id', 'state', 'registration_id', 'status', 'status_in_crm', 'attempted_at', 'updated_at', 'detail'] as const;

export function registrationValues(r: RegistrationRecord): (string | null)[] {
  return [r.referralId, r.state, r.registrationId, r.status, r.statusInCrm, r.attemptedAt, r.updatedAt, r.detail];
}

export function toRegistration(row: RegistrationRow): RegistrationRecord {
  return {
    referralId: row.referral_id,
    state: row.state as RegistrationRecord['state'],
    registrationId: row.registration_id,
    status: row.status,
    statusInCrm: row.status_in_crm,
    attemptedAt: row.attempted_at,
    updatedAt: row.updated_at,
    detail: row.detail,
  };
}
