/**
 * Sends merged CRM changes to a linked referral with `If-Match`. On 412 (someone changed the
 * referral since we last saw it) the referral is re-read and the three-way merge runs again with
 * both sides current, once; whatever the CRM must take from it is written there too.
 */
import type { FieldSet, ObjectMapping } from '../../mappings/index.js';
import type { CrmRecord } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { Link, Snapshot } from '../store/types.js';
import { mergeThreeWay, type HeldField } from './merge.js';
import { crmKey, isConflict, type RunRecorder } from './recorder.js';
import { guardStatus, type GuardedChanges } from './status-guard.js';
import type { CrmSide, EngineDeps } from './types.js';
import { holdConflicts } from './hold.js';

export async function pushToReferral(args: {
  deps: EngineDeps;
  side: CrmSide;
  om: ObjectMapping;
  record: CrmRecord;
  link: Link;
  crmValues: FieldSet;
  guarded: GuardedChanges;
  mergedBase: Snapshot;
  /** Fields the caller's merge already held for a person. */
  held?: readonly HeldField[];
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, om, record, link, recorder } = args;
  const key = crmKey(side.system, record.kind, record.id);
  let { guarded, mergedBase } = args;
  let held: readonly HeldField[] = args.held ?? [];
  const referralId = link.referralId as string;
  if (Object.keys(guarded.toPartnerCenter).length === 0 && Object.keys(guarded.toCrm).length === 0 && held.length === 0) {
    recorder.outcome(key, 'outbound', 'skipped', guarded.refused ?? 'no mapped field changed');
    if (!recorder.dryRun) await deps.store.saveLink({ ...link, crmVersion: record.version });
    return;
  }
  let referral: Referral | null = null;
  if (held.length > 0) recorder.plan({ target: 'partnerCenter', operation: 'hold', recordKey: key, fields: Object.fromEntries(held.map((h) => [h.path, { crm: h.crmValue, partnerCenter: h.partnerCenterValue }])), note: 'held for a person' });
  if (recorder.dryRun && held.length > 0 && Object.keys(guarded.toPartnerCenter).length === 0) return recorder.outcome(key, 'hold', 'planned');
  if (Object.keys(guarded.toPartnerCenter).length > 0) {
    recorder.plan({ target: 'partnerCenter', operation: 'statusChange' in guarded.toPartnerCenter ? 'statusChange' : 'update', recordKey: key, fields: guarded.toPartnerCenter, note: guarded.refused });
    if (recorder.dryRun) return recorder.outcome(key, 'updateReferral', 'planned');
    try {
      // Team and solutions are added element by element (no `remove`, PC §8): what is there
      // already must be known, or every member would be added again.
      const needsCurrent = 'team' in guarded.toPartnerCenter || 'details.solutions' in guarded.toPartnerCenter;
      const known = needsCurrent ? await deps.partnerCenter.getReferral(referralId) : null;
      referral = await deps.partnerCenter.updateReferral({
        id: referralId,
        eTag: known?.eTag ?? link.referralETag ?? '*',
        patch: patchFor(om, guarded.toPartnerCenter, record, link, known),
      });
    } catch (error) {
      if (!isConflict(error)) throw error;
      const current = await deps.partnerCenter.getReferral(referralId);
      if (!current) throw error;
      const remerged = mergeThreeWay({
        rules: om.rules,
        base: link.snapshot,
        crm: args.crmValues,
        partnerCenter: om.fromReferral(current, deps.ctx).values,
        crmChangedAt: record.stamp,
        partnerCenterChangedAt: current.updatedDateTime,
      });
      guarded = guardStatus({ base: link.snapshot, toPartnerCenter: remerged.toPartnerCenter, toCrm: remerged.toCrm });
      mergedBase = remerged.base;
      held = remerged.held;
      referral =
        Object.keys(guarded.toPartnerCenter).length > 0
          ? await deps.partnerCenter.updateReferral({ id: referralId, eTag: current.eTag, patch: patchFor(om, guarded.toPartnerCenter, record, link, current) })
          : current;
    }
  }
  let crmVersion = record.version;
  if (Object.keys(guarded.toCrm).length > 0) {
    const { fields, problems } = om.toCrmFields({ values: guarded.toCrm as FieldSet, ctx: deps.ctx, mode: 'update' });
    if (problems.length > 0) deps.logger.warn({ crmId: record.id, problems }, 'some fields could not be mapped to the CRM');
    recorder.plan({ target: side.system, operation: 'update', recordKey: key, fields: guarded.toCrm, note: guarded.refused });
    const [outcome] = await side.connector.updateRecords([{ kind: record.kind, id: record.id, version: record.version, fields }]);
    if (outcome && !outcome.ok) throw outcome.error;
    if (outcome?.ok) crmVersion = outcome.version;
  }
  await deps.store.transaction(async (tx) => {
    await tx.saveLink({
      ...link,
      snapshot: mergedBase,
      referralETag: referral?.eTag ?? link.referralETag,
      crmVersion,
      state: link.state,
    });
    await holdConflicts({ store: tx, linkId: link.id, held, now: deps.clock.now() });
  });
  recorder.outcome(key, 'updateReferral', held.length > 0 ? 'held' : 'written', guarded.refused);
}

/** The JSON Patch for these changes; accepting an inbound referral also records our CRM id. */
function patchFor(om: ObjectMapping, changes: Record<string, unknown>, record: CrmRecord, link: Link, current: Referral | null) {
  const patch = current ? om.toReferralPatch(changes as FieldSet, current) : om.toReferralPatch(changes as FieldSet);
  const accepting = typeof changes['status'] === 'string' && (changes['status'] as string).startsWith('Active/') && link.origin === 'partnerCenter';
  if (accepting && !patch.some((op) => op.path === '/externalReferenceId')) {
    patch.push({ op: 'replace', path: '/externalReferenceId', value: record.id });
  }
  return patch;
}
