/**
 * A linked referral changed in Partner Center: merged three-way against the last synced values,
 * and what the CRM must take joins the page's CRM batch, guarded by the record's version. If a
 * person edited the record meanwhile, the record is read again (with the other moved records of
 * the batch) and the pair is reconciled with both sides current.
 */
import type { FieldSet } from '../../mappings/index.js';
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import type { CrmWriteBatch } from './crm-writes.js';
import { respondBy } from './lifecycle.js';
import { FOLLOWED_STATES, moveLink } from './link-states.js';
import { mergeThreeWay } from './merge.js';
import { reconcileLinked } from './reconcile-linked.js';
import { InvalidRecordError, referralKey, type RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';
import { sameValue } from './values.js';

export async function referralToCrm(args: {
  deps: EngineDeps;
  side: CrmSide;
  link: Link;
  referral: Referral;
  crmWrites: CrmWriteBatch;
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, link, referral, recorder } = args;
  const key = referralKey(referral.id);
  if (link.referralETag === referral.eTag) {
    // In step (another pass brought it meanwhile): a failure left from an earlier attempt is over.
    recorder.outcome(key, 'inbound', 'skipped', 'unchanged since last sync');
    return recorder.succeeded(key);
  }
  if (link.crmId === null || !FOLLOWED_STATES.includes(link.state)) return recorder.outcome(key, 'inbound', 'skipped', `link is ${link.state}`);
  const crmId = link.crmId;
  const om = side.mapping[link.crmKind];
  const projected = om.fromReferral(referral, deps.ctx);
  if (projected.problems.length > 0) throw new InvalidRecordError(`referral ${referral.id}`, projected.problems);
  const merged = mergeThreeWay({
    rules: om.rules,
    base: link.snapshot,
    crm: null,
    partnerCenter: projected.values,
    crmChangedAt: null,
    partnerCenterChangedAt: referral.updatedDateTime,
  });
  const deadline = respondBy(referral);
  if (Object.keys(merged.toCrm).length === 0) {
    recorder.outcome(key, 'inbound', 'skipped', 'no mapped field changed');
    if (!recorder.dryRun && (!sameValue(merged.base, link.snapshot) || deadline !== link.respondBy || link.referralETag !== referral.eTag)) {
      await moveLink(deps.store, link, { referralETag: referral.eTag, snapshot: merged.base, respondBy: deadline });
    }
    return recorder.succeeded(key);
  }
  recorder.plan({ target: side.system, operation: 'status' in merged.toCrm ? 'statusChange' : 'update', recordKey: key, fields: merged.toCrm, note: null, before: link.snapshot });
  if (recorder.dryRun) return recorder.outcome(key, 'updateCrm', 'planned');
  const { fields, problems } = om.toCrmFields({ values: merged.toCrm as FieldSet, ctx: deps.ctx, mode: 'update' });
  if (problems.length > 0) throw new InvalidRecordError(`referral ${referral.id}`, problems);
  args.crmWrites.add({
    kind: link.crmKind,
    id: crmId,
    version: link.crmVersion ?? '*',
    fields,
    recordKey: key,
    done: async (outcome, notes) => {
      if (!outcome.ok) throw outcome.error;
      await moveLink(deps.store, link, { snapshot: merged.base, referralETag: referral.eTag, crmVersion: outcome.version, respondBy: deadline });
      recorder.outcome(key, 'updateCrm', 'written', notes.length > 0 ? notes.join('; ') : null);
      await recorder.succeeded(key);
    },
    onMoved: async (record) => {
      if (record === null) throw new InvalidRecordError(`CRM record ${crmId}`, [{ path: 'id', message: 'deleted in the CRM while syncing' }]);
      await reconcileLinked({ deps, side, record, link: { ...link, respondBy: deadline }, referral, crmWrites: args.crmWrites, recorder, recordKey: key });
    },
  });
}
