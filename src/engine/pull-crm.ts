/**
 * A linked referral changed in Partner Center: merge it three-way and write what the CRM must
 * take, guarded by the record's version. If a person edited the record meanwhile, the record is
 * re-read and merged with both sides current; CRM changes found that way go to the referral.
 */
import type { FieldSet } from '../../mappings/index.js';
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import { respondBy } from './lifecycle.js';
import { mergeThreeWay } from './merge.js';
import { InvalidRecordError, referralKey, type RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';
import { pushToReferral } from './push-referral.js';
import { guardStatus } from './status-guard.js';

export async function pullToCrm(args: {
  deps: EngineDeps;
  side: CrmSide;
  link: Link;
  referral: Referral;
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, link, referral, recorder } = args;
  const key = referralKey(referral.id);
  if (link.referralETag === referral.eTag) return recorder.outcome(key, 'inbound', 'skipped', 'unchanged since last sync');
  if (!link.crmId || link.state === 'unlinked') return recorder.outcome(key, 'inbound', 'skipped', `link is ${link.state}`);
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
  const toCrm = merged.toCrm;
  const deadline = respondBy(referral);
  if (Object.keys(toCrm).length === 0) {
    recorder.outcome(key, 'inbound', 'skipped', 'no mapped field changed');
    if (!recorder.dryRun) await deps.store.saveLink({ ...link, referralETag: referral.eTag, snapshot: merged.base, respondBy: deadline });
    return;
  }
  recorder.plan({ target: side.system, operation: 'status' in toCrm ? 'statusChange' : 'update', recordKey: key, fields: toCrm, note: null });
  if (recorder.dryRun) return recorder.outcome(key, 'updateCrm', 'planned');
  const { fields, problems } = om.toCrmFields({ values: toCrm as FieldSet, ctx: deps.ctx, mode: 'update' });
  if (problems.length > 0) throw new InvalidRecordError(`referral ${referral.id}`, problems);
  const [outcome] = await side.connector.updateRecords([{ kind: link.crmKind, id: link.crmId, version: link.crmVersion ?? '*', fields }]);
  if (outcome?.ok) {
    await deps.store.saveLink({ ...link, snapshot: merged.base, referralETag: referral.eTag, crmVersion: outcome.version, respondBy: deadline });
    return recorder.outcome(key, 'updateCrm', 'written');
  }
  if (!outcome || outcome.error.kind !== 'conflict') throw outcome?.error ?? new Error('no outcome');
  await remergeWithCurrentRecord({ deps, side, link, referral, recorder });
}

async function remergeWithCurrentRecord(args: {
  deps: EngineDeps;
  side: CrmSide;
  link: Link;
  referral: Referral;
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, link, referral, recorder } = args;
  const om = side.mapping[link.crmKind];
  const [record] = await side.connector.getRecords({ kind: link.crmKind, ids: [link.crmId as string], fields: om.readFields });
  if (!record) throw new InvalidRecordError(`CRM record ${link.crmId}`, [{ path: 'id', message: 'deleted while syncing' }]);
  const crmValues = om.fromCrm(record, deps.ctx).values;
  const merged = mergeThreeWay({
    rules: om.rules,
    base: link.snapshot,
    crm: crmValues,
    partnerCenter: om.fromReferral(referral, deps.ctx).values,
    crmChangedAt: record.stamp,
    partnerCenterChangedAt: referral.updatedDateTime,
  });
  const guarded = guardStatus({ base: link.snapshot, toPartnerCenter: merged.toPartnerCenter, toCrm: merged.toCrm });
  await pushToReferral({
    deps,
    side,
    om,
    record,
    link: { ...link, referralETag: referral.eTag },
    crmValues,
    guarded,
    mergedBase: merged.base,
    held: merged.held,
    recorder,
  });
}
