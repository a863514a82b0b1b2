/**
 * Lifecycle rules applied to a merge result before anything is written: a status change that
 * Partner Center would refuse is never sent, and a terminal referral is never reopened; its
 * terminal status is asserted back to the CRM instead.
 */
import type { Snapshot } from '../store/types.js';
import { checkTransition, isTerminal, parsePair } from './lifecycle.js';

export interface GuardedChanges {
  toPartnerCenter: Record<string, unknown>;
  toCrm: Record<string, unknown>;
  /** Why a status change was dropped, for the run history. */
  refused: string | null;
}

export function guardStatus(args: {
  base: Snapshot;
  toPartnerCenter: Record<string, unknown>;
  toCrm: Record<string, unknown>;
}): GuardedChanges {
  const toPartnerCenter = { ...args.toPartnerCenter };
  const toCrm = { ...args.toCrm };
  if (!('status' in toPartnerCenter)) return { toPartnerCenter, toCrm, refused: null };
  const from = parsePair(args.base['status']);
  const to = parsePair(toPartnerCenter['status']);
  if (!to) {
    delete toPartnerCenter['status'];
    return { toPartnerCenter, toCrm, refused: `unknown status ${String(toPartnerCenter['status'])}` };
  }
  if (!from) return { toPartnerCenter, toCrm, refused: null };
  const verdict = checkTransition(from, to);
  if (verdict.allowed) return { toPartnerCenter, toCrm, refused: null };
  delete toPartnerCenter['status'];
  delete toPartnerCenter['statusReason'];
  if (isTerminal(from)) toCrm['status'] = args.base['status'];
  return { toPartnerCenter, toCrm, refused: verdict.reason };
}

/** Whether a referral in this base state may be written at all. */
export function isClosedBase(base: Snapshot): boolean {
  const pair = parsePair(base['status']);
  return pair !== null && isTerminal(pair);
}
