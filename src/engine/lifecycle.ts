/**
 * Partner Center's referral lifecycle (Partner Center docs, "Update a referral") as data: New -> Active -> Closed, with
 * the substatuses allowed beside each status. Won, Lost, Declined and Expired are terminal: no
 * write may leave them, so a stale write can never reopen a closed deal.
 */
import type { ReferralStatus, ReferralSubstatus } from '../domain/referral.js';

export const SUBSTATUSES_OF = {
  New: ['Pending', 'Received'],
  Active: ['Accepted'],
  Closed: ['Won', 'Lost', 'Declined', 'Expired'],
} as const satisfies Record<ReferralStatus, readonly ReferralSubstatus[]>;

export const NEXT_STATUSES = {
  New: ['New', 'Active', 'Closed'],
  Active: ['Active', 'Closed'],
  Closed: ['Closed'],
} as const satisfies Record<ReferralStatus, readonly ReferralStatus[]>;

export interface StatusPair {
  status: ReferralStatus;
  substatus: ReferralSubstatus;
}

/** `"Active/Accepted"`: how the mappings carry a status pair as one canonical value. */
export function formatPair(pair: StatusPair): string {
  return `${pair.status}/${pair.substatus}`;
}

export function parsePair(value: unknown): StatusPair | null {
  if (typeof value !== 'string') return null;
  const [status, substatus] = value.split('/');
  if (!status || !substatus || !(status in SUBSTATUSES_OF)) return null;
  const allowed: readonly string[] = SUBSTATUSES_OF[status as ReferralStatus];
  return allowed.includes(substatus) ? { status: status as ReferralStatus, substatus: substatus as ReferralSubstatus } : null;
}

export function isTerminal(pair: StatusPair): boolean {
  return pair.status === 'Closed';
}

export type TransitionVerdict = { allowed: true } | { allowed: false; reason: string };

export function checkTransition(from: StatusPair, to: StatusPair): TransitionVerdict {
  if (from.status === to.status && from.substatus === to.substatus) return { allowed: true };
  if (isTerminal(from)) return { allowed: false, reason: `${formatPair(from)} is terminal` };
  const next: readonly ReferralStatus[] = NEXT_STATUSES[from.status];
  if (!next.includes(to.status)) return { allowed: false, reason: `${from.status} cannot become ${to.status}` };
  const subs: readonly ReferralSubstatus[] = SUBSTATUSES_OF[to.status];
  if (!subs.includes(to.substatus)) return { allowed: false, reason: `${to.substatus} does not go with ${to.status}` };
  return { allowed: true };
}

const ANSWER_WINDOW_MS = 14 * 86_400_000;

/** The deadline to accept or decline an inbound referral: 14 days after it was created ("Get a list of referrals"). */
export function respondBy(args: { direction: string; status: ReferralStatus; createdDateTime: string }): string | null {
  if (args.direction !== 'Incoming' || args.status !== 'New') return null;
  return new Date(Date.parse(args.createdDateTime) + ANSWER_WINDOW_MS).toISOString();
}
