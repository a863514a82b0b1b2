/**
 * A CRM record deleted while linked follows the configured policy: close the referral as lost,
 * unlink, or hold for a person. Partner Center has no delete, so nothing is deleted there, and a
 * referral already closed is never written.
 */
import { isConnectorError } from '../../connectors/errors.js';
import type { CrmObjectKind } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import { isTerminal } from './lifecycle.js';
import { moveLink } from './link-states.js';
import { crmKey, type RunRecorder } from './recorder.js';
import { isClosedBase } from './status-guard.js';
import type { CrmSide, EngineDeps } from './types.js';

export async function applyDeletes(args: {
  deps: EngineDeps;
  side: CrmSide;
  kind: CrmObjectKind;
  deletedIds: readonly string[];
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, kind, recorder } = args;
  if (args.deletedIds.length === 0) return;
  const links = await deps.store.findLinksByCrmIds(side.system, args.deletedIds);
  for (const link of links) {
    if (link.state === 'unlinked' || link.state === 'closed' || !link.crmId) continue;
    const key = crmKey(side.system, kind, link.crmId);
    const policy = deps.options.deletePolicy;
    recorder.plan({ target: 'partnerCenter', operation: policy === 'closeAsLost' ? 'close' : 'hold', recordKey: key, fields: {}, note: `deleted in the CRM: ${policy}` });
    if (recorder.dryRun) {
      recorder.outcome(key, 'delete', 'planned');
      continue;
    }
    try {
      if (link.state === 'creating') {
        // Nothing reached Partner Center that this link knows of; a referral an earlier attempt
        // made is found by the inbound pass and closed there.
        await moveLink(deps.store, link, { state: 'unlinked' });
        recorder.outcome(key, 'delete', 'written', 'unlinked before any referral was linked');
      } else if (policy === 'closeAsLost' && link.referralId && !isClosedBase(link.snapshot)) {
        const referral = await closeAsLost(deps, link);
        await moveLink(deps.store, link, { state: 'closed', referralETag: referral.eTag, snapshot: { ...link.snapshot, status: `${referral.status}/${referral.substatus}` } });
        recorder.outcome(key, 'delete', 'written', isTerminal(referral) && referral.substatus !== 'Lost' ? `referral was already ${referral.substatus}` : 'referral closed as lost');
      } else if (policy === 'hold') {
        await deps.store.transaction(async (tx) => {
          await moveLink(tx, link, { state: 'held' });
          await tx.holdConflict({ linkId: link.id, path: '$deleted', base: null, crmValue: 'deleted', partnerCenterValue: link.snapshot['status'] ?? null, createdAt: deps.clock.now().toISOString() });
        });
        recorder.outcome(key, 'delete', 'held', 'deleted in the CRM; held for a person');
      } else {
        await moveLink(deps.store, link, { state: policy === 'closeAsLost' ? 'closed' : 'unlinked' });
        recorder.outcome(key, 'delete', 'written', policy === 'closeAsLost' ? 'referral already closed' : 'unlinked');
      }
    } catch (error) {
      await recorder.fail({ key, operation: 'delete', error, payload: { crmId: link.crmId, referralId: link.referralId } });
    }
  }
}

/** Closes the referral as lost; one closed meanwhile (a 409, a 412) is left as it is. */
async function closeAsLost(deps: EngineDeps, link: Link): Promise<Referral> {
  const id = link.referralId as string;
  const patch = [
    { op: 'replace' as const, path: '/status', value: 'Closed' },
    { op: 'replace' as const, path: '/substatus', value: 'Lost' },
    { op: 'replace' as const, path: '/statusReason', value: 'Deleted in the CRM' },
  ];
  try {
    return await deps.partnerCenter.updateReferral({ id, eTag: link.referralETag ?? '*', patch });
  } catch (error) {
    if (!isConnectorError(error) || (error.kind !== 'conflict' && error.kind !== 'invalid')) throw error;
    const current = await deps.partnerCenter.getReferral(id);
    if (current === null) throw error;
    if (isTerminal(current)) return current;
    if (error.kind === 'invalid') throw error;
    return deps.partnerCenter.updateReferral({ id, eTag: current.eTag, patch });
  }
}
