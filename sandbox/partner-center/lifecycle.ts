/**
 * Status / substatus rules (Partner Center docs, "Update a referral"; "Referrals FAQ").
 */
import type { WireStatus, WireSubstatus } from './wire-types.js';

/** Partner Center docs, "Update a referral": which substatus goes with which status. */
export const SUBSTATUSES_BY_STATUS = {
  New: ['Pending', 'Received'],
  Active: ['Accepted'],
  Closed: ['Won', 'Lost', 'Declined', 'Expired'],
} as const satisfies Record<WireStatus, readonly WireSubstatus[]>;

/** "Update a referral": which status a referral may move to from each status. */
export const NEXT_STATUSES = {
  New: ['New', 'Active', 'Closed'],
  Active: ['Active', 'Closed'],
  Closed: ['Closed'],
} as const satisfies Record<WireStatus, readonly WireStatus[]>;

/** "Update a referral": Won, Lost, Declined and Expired are terminal; nothing may change after them. */
export function isTerminal(substatus: WireSubstatus): boolean {
  return substatus === 'Won' || substatus === 'Lost' || substatus === 'Declined' || substatus === 'Expired';
}

export function isValidPair(status: string, substatus: string): boolean {
  const allowed: readonly string[] | undefined = SUBSTATUSES_BY_STATUS[status as WireStatus];
  return allowed !== undefined && allowed.includes(substatus);
}

export type TransitionCheck = { ok: true } | { ok: false; message: string; target: 'status' | 'substatus' };

/** Checks a status change requested by PATCH (the pair must stay consistent, "Update a referral"). */
export function checkTransition(args: {
  from: { status: WireStatus; substatus: WireSubstatus };
  to: { status: string; substatus: string };
}): TransitionCheck {
  const { from, to } = args;
  if (!isValidPair(to.status, to.substatus)) {
    return {
      ok: false,
      message: `Substatus '${to.substatus}' is not valid with status '${to.status}'`,
      target: 'substatus',
    };
  }
  const allowed: readonly string[] = NEXT_STATUSES[from.status];
  if (!allowed.includes(to.status)) {
    return { ok: false, message: `Cannot move a referral from '${from.status}' to '${to.status}'`, target: 'status' };
  }
  return { ok: true };
}
