/**
 * One linked pair brought in step: the CRM record's mapped values are compared with the last
 * synced ones (never its version alone: Salesforce stamps have one-second resolution, so an equal
 * stamp cannot prove "unchanged"), merged three-way (with the referral too, when it was read),
 * the Partner Center half is written first, and what the CRM must take (a closed referral's
 * status, the referral id not yet written back, Microsoft's answer) joins the page's CRM batch.
 * The link is saved once, when both halves are known.
 */
import { isConnectorWide } from '../../connectors/errors.js';
import type { FieldSet, ObjectMapping } from '../../mappings/index.js';
import type { CrmRecord, FieldValue } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { Link, Snapshot } from '../store/types.js';
import { fitsAs, type FieldDescriptions } from './crm-fit.js';
import type { CrmWriteBatch } from './crm-writes.js';
import { describedFields } from './described-fields.js';
import { holdConflicts } from './hold.js';
import { moveLink } from './link-states.js';
import { mergeThreeWay, type HeldField } from './merge.js';
import { invitationPending, inviteMicrosoft, withInvitation } from './microsoft-invite.js';
import { microsoftSideValues } from './microsoft-side.js';
import { InvalidRecordError, type RunRecorder } from './recorder.js';
import { writeReferral } from './referral-writes.js';
import { baseAfterGuard, guardStatus } from './status-guard.js';
import type { CrmSide, EngineDeps } from './types.js';
import { sameValue } from './values.js';

const readsCrm = (direction: string): boolean => direction === 'both' || direction === 'toPartnerCenter';
const hasKeys = (o: object): boolean => Object.keys(o).length > 0;

/** Whether a CRM read of a path still means the base value (what the CRM could not hold as sent). */
export function crmSameness(om: ObjectMapping, deps: EngineDeps, described: FieldDescriptions): (path: string, base: unknown, crm: unknown) => boolean {
  const fieldOf = new Map(om.rules.filter((r) => readsCrm(r.direction)).map((r) => [r.path, r.crmField]));
  return (path, base, crm) => {
    const field = fieldOf.get(path);
    if (fitsAs(base, crm, field === undefined ? undefined : described.get(field))) return true;
    return sameAsSynced(om, deps, path, base, crm);
  };
}

function sameAsSynced(om: ObjectMapping, deps: EngineDeps, path: string, base: unknown, crm: unknown): boolean {
  if (sameValue(base, crm)) return true;
  if (!om.sameForCrm || base === undefined || crm === undefined) return false;
  return om.sameForCrm({ path, a: base as never, b: crm as never, ctx: deps.ctx });
}

/** CRM fields the sync owns outright (written only from Partner Center), for the write-back. */
function toCrmOnlyFields(om: ObjectMapping, deps: EngineDeps, base: Snapshot, record: CrmRecord): Record<string, FieldValue> {
  const owned = new Set(om.rules.filter((r) => r.direction !== 'toCrm').map((r) => r.crmField));
  const { fields } = om.toCrmFields({ values: base as FieldSet, ctx: deps.ctx, mode: 'update', current: record });
  return Object.fromEntries(Object.entries(fields).filter(([field]) => !owned.has(field)));
}

export interface ReconcileArgs {
  deps: EngineDeps;
  side: CrmSide;
  record: CrmRecord;
  /** The record's mapped values, when the caller has them already (a create just made them). */
  projected?: ReturnType<ObjectMapping['fromCrm']>;
  link: Link;
  /** The referral as just read from Partner Center; null when only the CRM side was read. */
  referral: Referral | null;
  crmWrites: CrmWriteBatch;
  recorder: RunRecorder;
  recordKey: string;
  /** This process created the referral moments ago: no earlier invitation can exist. */
  fresh?: boolean;
  /** Right after a create: say nothing unless more than the create happened. */
  quiet?: boolean;
}

export async function reconcileLinked(args: ReconcileArgs): Promise<void> {
  const { deps, side, record, link, referral, recorder, recordKey: key } = args;
  const om = side.mapping[record.kind];
  const projected = args.projected ?? om.fromCrm(record, deps.ctx);
  if (projected.problems.length > 0) throw new InvalidRecordError(`CRM record ${record.id}`, projected.problems);
  const crmValues = projected.values;
  // A value the CRM holds in its own form (a date-only close date, solutions as ids alone) is no
  // edit, as the mapping tells without the CRM's describe; one that still differs is merged.
  const edited = om.rules.some((r) => readsCrm(r.direction) && r.path in crmValues && !sameAsSynced(om, deps, r.path, link.snapshot[r.path], crmValues[r.path]));
  // The record may come by twice in a run (a due retry, then its own write-back read back): the
  // invitation is tried once, and its failure stands until an attempt succeeds.
  const owesInvitation = invitationPending(deps, link);
  const inviting = owesInvitation && recorder.firstAttempt(`invite:${key}`);
  const settled = async (): Promise<void> => {
    if (!owesInvitation || inviting) await recorder.succeeded(key);
  };
  const writingBack = link.state === 'writeBackPending';
  if (!edited && !inviting && !writingBack && referral === null) {
    if (!args.quiet) recorder.outcome(key, 'outbound', 'skipped', 'no mapped field changed');
    if (!recorder.dryRun && link.crmVersion !== record.version) await moveLink(deps.store, link, { crmVersion: record.version });
    if (!recorder.dryRun) await settled();
    return;
  }
  const sameOnCrm = edited || referral ? crmSameness(om, deps, await describedFields(side, record.kind)) : undefined;
  const pcValues = referral ? om.fromReferral(referral, deps.ctx).values : null;
  const merged = mergeThreeWay({
    rules: om.rules,
    base: link.snapshot,
    crm: crmValues,
    partnerCenter: pcValues,
    crmChangedAt: record.stamp,
    partnerCenterChangedAt: referral?.updatedDateTime ?? null,
    ...(sameOnCrm ? { sameOnCrm } : {}),
  });
  const guarded = guardStatus({ base: link.snapshot, toPartnerCenter: merged.toPartnerCenter, toCrm: merged.toCrm, partnerCenterStatus: referral });
  const pending = { guarded, base: baseAfterGuard({ previous: link.snapshot, merged: merged.base, guarded }), held: merged.held };
  if (recorder.dryRun) {
    plan(recorder, key, side, pending.guarded, merged.held, link.snapshot);
    const writes = hasKeys(guarded.toPartnerCenter) || hasKeys(guarded.toCrm) || merged.held.length > 0 || writingBack || inviting;
    if (writes) recorder.outcome(key, 'outbound', 'planned', guarded.refused);
    else if (!args.quiet) recorder.outcome(key, 'outbound', 'skipped', guarded.refused ?? 'no mapped field changed');
    return;
  }
  const current = referral ? { ...link, referralETag: referral.eTag } : link;
  const written = await writeReferral({ deps, om, link: current, crm: { id: record.id, values: crmValues, stamp: record.stamp }, pending, known: referral, ...(sameOnCrm ? { sameOnCrm } : {}) });
  // What was decided again on a changed referral (412) is what the history records.
  plan(recorder, key, side, written.guarded, written.held, link.snapshot);
  let base = written.base;
  let microsoftSideId = link.microsoftSideId;
  let invited: Record<string, unknown> = {};
  let inviteError: unknown = null;
  if (inviting) {
    try {
      const sideReferral = await inviteMicrosoft({ deps, om, link, crm: { id: record.id, values: crmValues }, dealType: om.dealType(record), lookFirst: !args.fresh });
      microsoftSideId = sideReferral.id;
      base = withInvitation(base, sideReferral);
      invited = microsoftSideValues(sideReferral);
    } catch (error) {
      if (isConnectorWide(error)) throw error;
      // The own referral stays linked; only the invitation is tried again, on its own.
      inviteError = error;
    }
  }
  const referralETag = written.referral?.eTag ?? current.referralETag;
  const toCrm = { ...written.guarded.toCrm, ...(writingBack ? {} : invited) };
  const fields: Record<string, FieldValue> = {};
  if (hasKeys(toCrm)) {
    const rendered = om.toCrmFields({ values: toCrm as FieldSet, ctx: deps.ctx, mode: 'update', current: record });
    if (rendered.problems.length > 0) deps.logger.warn({ recordKey: key, problems: rendered.problems }, 'some Partner Center values cannot be written to the CRM; the CRM keeps its own');
    Object.assign(fields, rendered.fields);
  }
  const pcWrote = written.referral !== null && written.referral !== referral && hasKeys(written.guarded.toPartnerCenter);
  // The columns the sync owns (the referral's status as last known, its id) follow what was just
  // written to Partner Center too, not only what came from it, and what both sides came to agree
  // on by themselves (a write whose answer was lost, found done when the referral was read again).
  const ownColumns = writingBack || pcWrote || !sameValue(base, link.snapshot);
  if (ownColumns) Object.assign(fields, toCrmOnlyFields(om, deps, base, record));
  if (writingBack) fields[om.externalIdField] = link.referralId;
  const finish = async (saved: { snapshot: Snapshot; referralETag: string | null; crmVersion: string | null; state: Link['state'] }, detail: string | null): Promise<void> => {
    await saveWithHeld(deps, link, { ...saved, microsoftSideId }, written.held);
    const heldNow = written.held.length > 0;
    if (heldNow) recorder.outcome(key, 'outbound', 'held', `held for a person: ${written.held.map((h) => h.path).join(', ')}`);
    else if (pcWrote || hasKeys(fields) || !args.quiet) recorder.outcome(key, 'outbound', pcWrote || hasKeys(fields) ? 'written' : 'skipped', detail ?? written.guarded.refused ?? (pcWrote || hasKeys(fields) ? null : 'no mapped field changed'));
    if (inviteError !== null) await recorder.fail({ key, operation: 'inviteMicrosoft', error: inviteError, payload: { crmId: record.id, referralId: link.referralId } });
    else await settled();
  };
  if (!hasKeys(fields)) {
    await finish({ snapshot: base, referralETag, crmVersion: record.version, state: link.state }, null);
    return;
  }
  args.crmWrites.add({
    kind: record.kind,
    id: record.id,
    version: record.version,
    fields,
    recordKey: key,
    done: async (outcome, notes) => {
      const detail = notes.length > 0 ? notes.join('; ') : null;
      if (outcome.ok) return finish({ snapshot: base, referralETag, crmVersion: outcome.version, state: writingBack ? 'linked' : link.state }, detail);
      if (ownColumns && outcome.error.kind === 'invalid' && !hasKeys(toCrm)) {
        // The CRM will not store the sync's own columns (Dataverse keeps won and lost
        // opportunities read-only). The link lives in the state store, so the deal stays linked.
        const what = writingBack ? 'the referral id' : "the sync's own columns";
        return finish({ snapshot: base, referralETag, crmVersion: record.version, state: writingBack ? 'linked' : link.state }, `the CRM refused ${what} (${outcome.error.message}); the link is kept in the state store`);
      }
      // The CRM half did not land: its paths keep their last synced values and the link keeps
      // the referral's old eTag, so the next pass sees the referral as changed and brings them.
      const kept = { ...base };
      for (const path of Object.keys(toCrm)) {
        if (path in link.snapshot) kept[path] = link.snapshot[path];
        else delete kept[path];
      }
      await saveWithHeld(deps, link, { snapshot: kept, referralETag: hasKeys(toCrm) ? link.referralETag : referralETag, crmVersion: link.crmVersion, state: link.state, microsoftSideId }, written.held);
      if (outcome.error.kind === 'conflict') {
        recorder.outcome(key, 'outbound', 'skipped', 'the record changed meanwhile; its changes are read in the next cycle');
        return;
      }
      throw outcome.error;
    },
  });
}

async function saveWithHeld(deps: EngineDeps, link: Link, changes: Partial<Link>, held: readonly HeldField[]): Promise<void> {
  if (held.length === 0) {
    await moveLink(deps.store, link, changes);
    return;
  }
  await deps.store.transaction(async (tx) => {
    await moveLink(tx, link, changes);
    await holdConflicts({ store: tx, linkId: link.id, held, now: deps.clock.now() });
  });
}

function plan(recorder: RunRecorder, key: string, side: CrmSide, guarded: { toPartnerCenter: Record<string, unknown>; toCrm: Record<string, unknown>; refused: string | null }, held: readonly HeldField[], before: Snapshot): void {
  if (hasKeys(guarded.toPartnerCenter)) {
    recorder.plan({ target: 'partnerCenter', operation: 'status' in guarded.toPartnerCenter ? 'statusChange' : 'update', recordKey: key, fields: guarded.toPartnerCenter, note: guarded.refused, before });
  }
  if (hasKeys(guarded.toCrm)) recorder.plan({ target: side.system, operation: 'update', recordKey: key, fields: guarded.toCrm, note: guarded.refused, before });
  if (held.length > 0) {
    recorder.plan({ target: 'partnerCenter', operation: 'hold', recordKey: key, fields: Object.fromEntries(held.map((h) => [h.path, { crm: h.crmValue, partnerCenter: h.partnerCenterValue }])), note: 'held for a person' });
  }
}
