/**
 * A CRM record deleted while linked follows the configured policy: close the referral as lost,
 * unlink, or hold for a person. Partner Center has no delete, so nothing is deleted there.
 */
import type { CrmObjectKind } from '../domain/crm-record.js';
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
      if (policy === 'closeAsLost' && link.referralId && !isClosedBase(link.snapshot)) {
        const referral = await deps.partnerCenter.updateReferral({
          id: link.referralId,
          eTag: link.referralETag ?? '*',
          patch: [
            { op: 'replace', path: '/status', value: 'Closed' },
            { op: 'replace', path: '/substatus', value: 'Lost' },
            { op: 'replace', path: '/statusReason', value: 'Deleted in the CRM' },
          ],
        });
        await deps.store.saveLink({ ...link, state: 'closed', referralETag: referral.eTag, snapshot: { ...link.snapshot, status: 'Closed/Lost' } });
        recorder.outcome(key, 'delete', 'written', 'referral closed as lost');
      } else if (policy === 'hold') {
        await deps.store.transaction(async (tx) => {
          await tx.saveLink({ ...link, state: 'held' });
          await tx.holdConflict({ linkId: link.id, path: '$deleted', base: null, crmValue: 'deleted', partnerCenterValue: link.snapshot['status'] ?? null, createdAt: deps.clock.now().toISOString() });
        });
        recorder.outcome(key, 'delete', 'held', 'deleted in the CRM; held for a person');
      } else {
        await deps.store.saveLink({ ...link, state: policy === 'closeAsLost' ? 'closed' : 'unlinked' });
        recorder.outcome(key, 'delete', 'written', 'unlinked');
      }
    } catch (error) {
      await recorder.fail({ key, operation: 'delete', error, payload: { crmId: link.crmId, referralId: link.referralId } });
    }
  }
}
