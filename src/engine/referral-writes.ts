/**
 * Writes merged CRM changes to a linked referral with `If-Match`. On 412 (someone changed the
 * referral since we last saw it) the referral is re-read and the three-way merge runs again with
 * both sides current, once. A referral found closed is never written: a 409 (or a refusal) from a
 * write to it means re-read, treat it as terminal, and give the CRM its status.
 */
import { isConnectorError } from '../../connectors/errors.js';
import type { JsonPatchOp } from '../domain/json-patch.js';
import type { FieldSet, ObjectMapping } from '../../mappings/index.js';
import type { Referral } from '../domain/referral.js';
import type { Link, Snapshot } from '../store/types.js';
import { isTerminal } from './lifecycle.js';
import { mergeThreeWay, type HeldField } from './merge.js';
import { baseAfterGuard, guardStatus, type GuardedChanges } from './status-guard.js';
import type { EngineDeps } from './types.js';

/** Where a CRM-side decision stands before the Partner Center half is written. */
export interface PendingChanges {
  guarded: GuardedChanges;
  base: Snapshot;
  held: readonly HeldField[];
}

/** What Partner Center holds after the write, and what the CRM must take from it. */
export interface ReferralWritten extends PendingChanges {
  /** The referral as written or re-read; null when nothing was sent and nothing read. */
  referral: Referral | null;
}

const hasKeys = (o: object): boolean => Object.keys(o).length > 0;

export async function writeReferral(args: {
  deps: EngineDeps;
  om: ObjectMapping;
  link: Link;
  /** The CRM record's id and its current values (by referral path) with their change stamp. */
  crm: { id: string; values: FieldSet; stamp: string };
  pending: PendingChanges;
  sameOnCrm?: (path: string, base: unknown, crm: unknown) => boolean;
  /** The referral as just read, when the caller has it: it stands for a read before the write. */
  known?: Referral | null;
}): Promise<ReferralWritten> {
  const { deps, om, link, pending } = args;
  const referralId = link.referralId as string;
  if (!hasKeys(pending.guarded.toPartnerCenter)) return { ...pending, referral: null };
  const changes = pending.guarded.toPartnerCenter;
  try {
    // Team and solutions are added element by element (JSON Patch `add`, no `remove`): what is
    // there already must be known, or every member would be added again.
    const needsCurrent = 'team' in changes || 'details.solutions' in changes;
    const known = needsCurrent ? (args.known ?? (await deps.partnerCenter.getReferral(referralId))) : null;
    if (known !== null && (isTerminal(known) || known.eTag !== link.referralETag)) return await remerge(args, known);
    const referral = await deps.partnerCenter.updateReferral({
      id: referralId,
      eTag: known?.eTag ?? link.referralETag ?? '*',
      patch: patchFor({ om, changes, crmId: args.crm.id, link, current: known }),
    });
    return { ...pending, referral };
  } catch (error) {
    if (!isConnectorError(error) || (error.kind !== 'conflict' && error.kind !== 'invalid')) throw error;
    const current = await deps.partnerCenter.getReferral(referralId);
    if (current === null) throw error;
    // A refusal of a referral still open is about the values: it stands.
    if (error.kind === 'invalid' && !isTerminal(current)) throw error;
    return remerge(args, current);
  }
}

/** The merge again with Partner Center as it is now; a closed referral is asserted, not written. */
async function remerge(args: Parameters<typeof writeReferral>[0], current: Referral): Promise<ReferralWritten> {
  const { deps, om, link } = args;
  const merged = mergeThreeWay({
    rules: om.rules,
    base: link.snapshot,
    crm: args.crm.values,
    partnerCenter: om.fromReferral(current, deps.ctx).values,
    crmChangedAt: args.crm.stamp,
    partnerCenterChangedAt: current.updatedDateTime,
    ...(args.sameOnCrm ? { sameOnCrm: args.sameOnCrm } : {}),
  });
  const guarded = guardStatus({ base: link.snapshot, toPartnerCenter: merged.toPartnerCenter, toCrm: merged.toCrm, partnerCenterStatus: current });
  const base = baseAfterGuard({ previous: link.snapshot, merged: merged.base, guarded });
  const referral = hasKeys(guarded.toPartnerCenter)
    ? await deps.partnerCenter.updateReferral({
        id: current.id,
        eTag: current.eTag,
        patch: patchFor({ om, changes: guarded.toPartnerCenter, crmId: args.crm.id, link, current }),
      })
    : current;
  return { guarded, base, held: merged.held, referral };
}

/** The JSON Patch for these changes; accepting an inbound referral also records our CRM id. */
function patchFor(args: { om: ObjectMapping; changes: Record<string, unknown>; crmId: string; link: Link; current: Referral | null }): JsonPatchOp[] {
  const { om, changes, current } = args;
  const patch = current ? om.toReferralPatch(changes as FieldSet, current) : om.toReferralPatch(changes as FieldSet);
  const accepting = typeof changes['status'] === 'string' && changes['status'].startsWith('Active/') && args.link.origin === 'partnerCenter';
  if (accepting && !patch.some((op) => op.path === '/externalReferenceId')) {
    patch.push({ op: 'replace', path: '/externalReferenceId', value: args.crmId });
  }
  return patch;
}
