/**
 * Lifecycle rules applied to a merge result before anything is written: a status change that
 * Partner Center would refuse is never sent, and a closed referral is never written at all (no
 * status, no field); its terminal status is asserted back to the CRM instead.
 */
import type { Snapshot } from '../store/types.js';
import { checkTransition, formatPair, isTerminal, parsePair, type StatusPair } from './lifecycle.js';

export interface GuardedChanges {
  toPartnerCenter: Record<string, unknown>;
  toCrm: Record<string, unknown>;
  /** Paths the CRM changed that will not be sent; their base stays the last synced value. */
  withheld: string[];
  /** Why changes were dropped, for the run history. */
  refused: string | null;
}

/**
 * `partnerCenterStatus` is the referral's status as last read from Partner Center when it was
 * read in this pass (after a 412), else the base's, which is the last one synced.
 */
export function guardStatus(args: {
  base: Snapshot;
  toPartnerCenter: Record<string, unknown>;
  toCrm: Record<string, unknown>;
  partnerCenterStatus?: StatusPair | null;
}): GuardedChanges {
  const toPartnerCenter = { ...args.toPartnerCenter };
  const toCrm = { ...args.toCrm };
  const from = args.partnerCenterStatus ?? parsePair(args.base['status']);
  if (from && isTerminal(from)) {
    const withheld = Object.keys(toPartnerCenter);
    if ('status' in toPartnerCenter) toCrm['status'] = formatPair(from);
    return { toPartnerCenter: {}, toCrm, withheld, refused: withheld.length > 0 ? `the referral is ${formatPair(from)}: closed referrals are not written` : null };
  }
  if (!('status' in toPartnerCenter)) return { toPartnerCenter, toCrm, withheld: [], refused: null };
  const to = parsePair(toPartnerCenter['status']);
  if (!to) {
    const refused = `unknown status ${String(toPartnerCenter['status'])}`;
    delete toPartnerCenter['status'];
    return { toPartnerCenter, toCrm, withheld: ['status'], refused };
  }
  if (!from) return { toPartnerCenter, toCrm, withheld: [], refused: null };
  const verdict = checkTransition(from, to);
  if (verdict.allowed) return { toPartnerCenter, toCrm, withheld: [], refused: null };
  delete toPartnerCenter['status'];
  const withheld = ['status'];
  if ('statusReason' in toPartnerCenter) {
    delete toPartnerCenter['statusReason'];
    withheld.push('statusReason');
  }
  return { toPartnerCenter, toCrm, withheld, refused: verdict.reason };
}

/** Whether a referral in this base state may be written at all. */
export function isClosedBase(base: Snapshot): boolean {
  const pair = parsePair(base['status']);
  return pair !== null && isTerminal(pair);
}

/** The base after guarding: paths that were withheld keep their last synced value. */
export function baseAfterGuard(args: { previous: Snapshot; merged: Snapshot; guarded: GuardedChanges }): Snapshot {
  const base = { ...args.merged };
  for (const path of args.guarded.withheld) {
    if (path in args.previous) base[path] = args.previous[path];
    else delete base[path];
  }
  for (const [path, value] of Object.entries(args.guarded.toCrm)) base[path] = value;
  return base;
}
