/**
 * Rows as both stores hold them (same column names in SQLite and PostgreSQL) and their mapping
 * to the contract types. JSON values are stored as text so they round-trip byte for byte
 * (PostgreSQL jsonb would reorder keys and refuses `\u0000`, which CRM notes do contain).
 * Dates are stored as the ISO-8601 text the caller gave, plus an epoch-ms column wherever the
 * store compares or orders by them, because ISO strings of different precision do not sort.
 * The two input checks at the end are shared by both stores too.
 */
import type { CrmObjectKind, CrmSystem } from '../domain/crm-record.js';
import type { ConflictRecord, FailureRecord, Link, LinkState, RunOutcome, RunRecord } from './types.js';

export interface LinkRow {
  id: string;
  crm_system: string;
  crm_kind: string;
  crm_id: string | null;
  referral_id: string | null;
  engagement_id: string | null;
  origin: string;
  state: string;
  snapshot: string;
  crm_version: string | null;
  referral_etag: string | null;
  respond_by: string | null;
  microsoft_side_id: string | null;
  revision: number | string;
  created_at: string;
  updated_at: string;
}

export interface RunRow {
  id: string;
  kind: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  summary: string;
}

export interface OutcomeRow {
  run_id: string;
  record_key: string;
  action: string;
  result: string;
  detail: string | null;
}

export interface FailureRow {
  key: string;
  operation: string;
  reason: string;
  error_kind: string;
  payload: string | null;
  attempts: number;
  first_failed_at: string;
  last_failed_at: string;
  next_attempt_at: string;
}

export interface ConflictRow {
  id: string;
  link_id: string;
  path: string;
  base: string | null;
  crm_value: string | null;
  partner_center_value: string | null;
  created_at: string;
  resolved_at: string | null;
  resolution: string | null;
  resolved_value: string | null;
}

/** Column order shared by both stores' link upserts; `linkValues` yields values in this order. */
export const LINK_COLUMNS = [
  'id',
  'crm_system',
  'crm_kind',
  'crm_id',
  'referral_id',
  'engagement_id',
  'origin',
  'state',
  'snapshot',
  'crm_version',
  'referral_etag',
  'respond_by',
  'microsoft_side_id',
  'revision',
  'created_at',
  'updated_at',
] as const;

export function linkValues(link: Link): (string | number | null)[] {
  return [
    link.id,
    link.crmSystem,
    link.crmKind,
    link.crmId,
    link.referralId,
    link.engagementId,
    link.origin,
    link.state,
    JSON.stringify(link.snapshot),
    link.crmVersion,
    link.referralETag,
    link.respondBy,
    link.microsoftSideId,
    link.revision,
    link.createdAt,
    link.updatedAt,
  ];
}

// Rows are only ever written by these stores from typed values, so the narrowing casts below
// restore the types they were written with.
export function toLink(row: LinkRow): Link {
  return {
    id: row.id,
    crmSystem: row.crm_system as CrmSystem,
    crmKind: row.crm_kind as CrmObjectKind,
    crmId: row.crm_id,
    referralId: row.referral_id,
    engagementId: row.engagement_id,
    origin: row.origin as Link['origin'],
    state: row.state as LinkState,
    snapshot: JSON.parse(row.snapshot) as Link['snapshot'],
    crmVersion: row.crm_version,
    referralETag: row.referral_etag,
    respondBy: row.respond_by,
    microsoftSideId: row.microsoft_side_id,
    // PostgreSQL returns bigint/int8 as text; SQLite as a number.
    revision: Number(row.revision),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toRun(row: RunRow): RunRecord {
  return {
    id: row.id,
    kind: row.kind,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status as RunRecord['status'],
    summary: JSON.parse(row.summary) as RunRecord['summary'],
  };
}

export function toOutcome(row: OutcomeRow): RunOutcome {
  return {
    runId: row.run_id,
    recordKey: row.record_key,
    action: row.action,
    result: row.result as RunOutcome['result'],
    detail: row.detail,
  };
}

export function toFailure(row: FailureRow): FailureRecord {
  return {
    key: row.key,
    operation: row.operation,
    reason: row.reason,
    errorKind: row.error_kind,
    payload: decodeUnknown(row.payload),
    attempts: Number(row.attempts),
    firstFailedAt: row.first_failed_at,
    lastFailedAt: row.last_failed_at,
    nextAttemptAt: row.next_attempt_at,
  };
}

export function toConflict(row: ConflictRow): ConflictRecord {
  return {
    id: row.id,
    linkId: row.link_id,
    path: row.path,
    base: decodeUnknown(row.base),
    crmValue: decodeUnknown(row.crm_value),
    partnerCenterValue: decodeUnknown(row.partner_center_value),
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolution: row.resolution as ConflictRecord['resolution'],
    resolvedValue: decodeUnknown(row.resolved_value),
  };
}

/**
 * Encodes an `unknown` value. SQL NULL means "undefined" (a field absent from the base) and the
 * JSON text `null` means null, so the two stay apart after a round trip.
 */
export function encodeUnknown(value: unknown): string | null {
  return value === undefined ? null : (JSON.stringify(value) ?? null);
}

export function decodeUnknown(text: string | null): unknown {
  return text === null ? undefined : JSON.parse(text);
}

/** Epoch milliseconds of an ISO-8601 date; a date that does not parse is a caller bug. */
export function isoToMs(value: string, field: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new TypeError(`${field} is not an ISO-8601 date: ${JSON.stringify(value)}`);
  return ms;
}

/** A page size must be a positive integer: SQLite reads LIMIT -1 as "no limit". */
export function assertLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return limit;
}

/**
 * The bounds of the keys that start with `prefix`, for a range scan (`key >= from AND key < to`):
 * `to` is the prefix with its last character one higher, or null (no upper bound) for no prefix.
 */
export function keyPrefixRange(prefix: string | undefined): { from: string; to: string | null } {
  if (prefix === undefined || prefix === '') return { from: '', to: null };
  const last = prefix.charCodeAt(prefix.length - 1);
  return { from: prefix, to: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}
