/**
 * A co-sell asks Microsoft for help through a second, connected referral (two-referral mode). The
 * partner's own referral is linked as soon as it exists; the invitation is its own step, retried
 * alone until it is made, never by creating the own referral again. `$coSell` in the base records
 * that the deal was shared as a co-sell; `microsoftSideId` that the invitation exists.
 */
import type { DealType, Referral } from '../domain/referral.js';
import type { Link, Snapshot } from '../store/types.js';
import type { FieldSet, ObjectMapping } from '../../mappings/index.js';
import { microsoftSideValues } from './microsoft-side.js';
import { InvalidRecordError } from './recorder.js';
import { isClosedBase } from './status-guard.js';
import type { EngineDeps } from './types.js';

export const CO_SELL_MARK = '$coSell';

/** Whether `link` still owes Microsoft its invitation. */
export function invitationPending(deps: EngineDeps, link: Pick<Link, 'microsoftSideId' | 'snapshot' | 'referralId' | 'engagementId'>): boolean {
  return (
    deps.partnerCenter.invitesMicrosoftSeparately &&
    link.snapshot[CO_SELL_MARK] === true &&
    link.microsoftSideId === null &&
    link.referralId !== null &&
    link.engagementId !== null &&
    !isClosedBase(link.snapshot)
  );
}

/**
 * Makes the invitation, or finds the one an earlier attempt made. `lookFirst` is false only right
 * after this process created the own referral (no earlier attempt can exist).
 */
export async function inviteMicrosoft(args: {
  deps: EngineDeps;
  om: ObjectMapping;
  link: Link;
  crm: { id: string; values: FieldSet };
  dealType: DealType;
  lookFirst: boolean;
}): Promise<Referral> {
  const { deps, link, dealType } = args;
  const own = { id: link.referralId as string, engagementId: link.engagementId as string };
  if (args.lookFirst) {
    const found = await deps.partnerCenter.findMicrosoftSide(own);
    if (found !== null) return found;
  }
  if (dealType.kind !== 'coSell') {
    throw new InvalidRecordError(`CRM record ${args.crm.id}`, [{ path: 'dealType', message: 'was shared as a co-sell, but no longer asks Microsoft for help; set the help field again or answer in Partner Center' }]);
  }
  const draft = args.om.toReferralDraft({ values: args.crm.values, externalReferenceId: args.crm.id, dealType, ctx: deps.ctx });
  if (!draft.ok) throw new InvalidRecordError(`CRM record ${args.crm.id} cannot ask Microsoft to co-sell`, draft.error);
  return deps.partnerCenter.inviteMicrosoft({ own, draft: draft.value, dealType });
}

/** The base once the invitation exists: Microsoft's answer (pending, at first) for the CRM. */
export function withInvitation(base: Snapshot, side: Referral): Snapshot {
  return { ...base, ...microsoftSideValues(side) };
}
