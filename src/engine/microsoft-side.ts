/**
 * Microsoft's side of a co-sell lives on its own referral in the same engagement (PC §1.2, §4):
 * when a Microsoft seller accepts, declines or lets it expire, the partner's CRM record is told.
 * The canonical keys are `microsoftSide.status` and `microsoftMsxId`; the mapping decides which
 * CRM fields carry them.
 */
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import { referralKey, type RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';
import { changedKeys } from './values.js';

export function microsoftSideValues(related: Referral): Record<string, string | null> {
  const reason = related.statusReason ? ` (${related.statusReason})` : '';
  return {
    'microsoftSide.status': related.status === 'New' ? 'Pending' : `${related.substatus}${reason}`,
    microsoftMsxId: related.microsoftMsxId,
  };
}

export async function applyMicrosoftSide(args: {
  deps: EngineDeps;
  side: CrmSide;
  link: Link;
  related: Referral;
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, link, related, recorder } = args;
  const key = referralKey(related.id);
  const values = microsoftSideValues(related);
  const changed = changedKeys(Object.keys(values), link.snapshot, values);
  if (changed.length === 0 || !link.crmId) return recorder.outcome(key, 'microsoftSide', 'skipped', 'unchanged');
  const changes = Object.fromEntries(changed.map((k) => [k, values[k] ?? null]));
  const om = side.mapping[link.crmKind];
  const { fields } = om.toCrmFields({ values: changes, ctx: deps.ctx, mode: 'update' });
  recorder.plan({ target: side.system, operation: 'update', recordKey: key, fields: changes, note: "Microsoft's side of the co-sell" });
  if (recorder.dryRun) return recorder.outcome(key, 'microsoftSide', 'planned');
  if (Object.keys(fields).length > 0) {
    const [outcome] = await side.connector.updateRecords([{ kind: link.crmKind, id: link.crmId, version: link.crmVersion ?? '*', fields }]);
    if (outcome && !outcome.ok && outcome.error.kind !== 'conflict') throw outcome.error;
    if (outcome && !outcome.ok) {
      // A person edited the record: retry on the current version; these fields are ours alone.
      const [current] = await side.connector.getRecords({ kind: link.crmKind, ids: [link.crmId], fields: om.readFields });
      if (!current) return recorder.outcome(key, 'microsoftSide', 'skipped', 'CRM record gone');
      const [again] = await side.connector.updateRecords([{ kind: link.crmKind, id: link.crmId, version: current.version, fields }]);
      if (again && !again.ok) throw again.error;
    }
  }
  const fresh = (await deps.store.getLink(link.id)) ?? link;
  await deps.store.saveLink({ ...fresh, snapshot: { ...fresh.snapshot, ...changes } });
  deps.logger.info({ referralId: link.referralId, relatedReferralId: related.id, status: values['microsoftSide.status'] }, "Microsoft's side of a co-sell changed");
  recorder.outcome(key, 'microsoftSide', 'written');
}
