/** Lease rows as both stores read them. */
import type { LeaseGrant, LeaseRecord } from './lease-types.js';

export interface LeaseRow {
  name: string;
  owner: string;
  session: string;
  /** bigint: text from PostgreSQL, a number from SQLite. */
  token: number | string;
  expires_at: string;
  expires_ms: number | string;
}

/** A released lease keeps its row (and token counter) with `expires_ms` 0. */
export function leaseOf(row: LeaseRow): LeaseRecord {
  return {
    name: row.name,
    owner: row.owner,
    session: row.session,
    token: Number(row.token),
    heldUntil: Number(row.expires_ms) === 0 ? null : row.expires_at,
  };
}

export function positiveTtl(ttlMs: number): number {
  if (!(ttlMs > 0)) throw new RangeError(`lease ttlMs must be positive, got ${ttlMs}`);
  return ttlMs;
}

/** The holder an acquisition replaced without a release (null when the lease was free or released). */
export function replacedBy(previous: LeaseRecord | null): LeaseGrant['replaced'] {
  if (previous === null || previous.heldUntil === null) return null;
  return { owner: previous.owner, session: previous.session, token: previous.token, heldUntil: previous.heldUntil };
}

/** Why a write under `token` must be refused, or null while `token` is current and unexpired. */
export function leaseProblem(lease: LeaseRecord | null, token: number, nowMs: number): string | null {
  if (lease === null) return 'there is no such lease';
  if (lease.token !== token) return `${lease.owner} took it over (token ${lease.token})`;
  if (lease.heldUntil === null) return 'it was released';
  if (Date.parse(lease.heldUntil) <= nowMs) return `it expired at ${lease.heldUntil} without renewal`;
  return null;
}
