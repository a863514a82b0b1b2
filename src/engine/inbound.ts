/**
 * Inbound: Partner Center changes -> CRM, one page of referrals at a time. New referrals sent to
 * the partner become CRM leads or opportunities (inbound-create.ts); changes to linked referrals
 * are merged three-way (referral-to-crm.ts); changes to Microsoft's side of a co-sell reach the
 * partner's record. The CRM updates of a page go out together at its end.
 */
import type { CrmSystem } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import { CrmWriteBatch } from './crm-writes.js';
import { createCrmRecords } from './inbound-create.js';
import { namedReferralId } from './adopt.js';
import { beginLink, moveLink } from './link-states.js';
import { CREATES_REFERRALS } from './outbound.js';
import { readFieldsFor } from './read-fields.js';
import { applyMicrosoftSide } from './microsoft-side.js';
import { forEachLimit, referralKey, type RunRecorder } from './recorder.js';
import { referralToCrm } from './referral-to-crm.js';
import type { CrmSide, EngineDeps } from './types.js';

export async function processReferrals(args: {
  deps: EngineDeps;
  referrals: readonly Referral[];
  recorder: RunRecorder;
  /**
   * When what the CRM gave the records it creates (their id) goes to Partner Center: `now`, in
   * a polled cycle; `nextCycle` (when the outbound pass reads them) for webhook batches, whose
   * next events would wait behind the read-back and the writes (each echoes as a webhook).
   */
  writeBack?: 'now' | 'nextCycle';
}): Promise<void> {
  const { deps, referrals, recorder } = args;
  if (!recorder.dryRun && referrals.length > 0) await deps.onReferralsRead?.(deps.store, referrals);
  const inboundSide = deps.crms[0];
  if (!inboundSide || referrals.length === 0) return;
  await recorder.readFailuresOf(referrals.map((r) => referralKey(r.id)));
  const links = await deps.store.findLinksByReferralIds(referrals.map((r) => r.id));
  const linkByReferral = new Map(links.map((l) => [l.referralId, l]));
  const unlinked = referrals.filter((r) => !linkByReferral.has(r.id));
  const engagementLinks = await deps.store.findLinksByEngagementIds([...new Set(unlinked.map((r) => r.engagementId))]);
  const linkByEngagement = new Map(engagementLinks.map((l) => [l.engagementId, l]));
  const batches = new Map<CrmSystem, CrmWriteBatch>();
  const batchOf = (side: CrmSide): CrmWriteBatch => {
    let batch = batches.get(side.system);
    if (!batch) batches.set(side.system, (batch = new CrmWriteBatch(side, recorder)));
    return batch;
  };

  const toCreate: { referral: Referral; link: Link | null }[] = [];
  const unknown: Referral[] = [];
  await forEachLimit(referrals, deps.options.writeConcurrency, async (referral) => {
    const key = referralKey(referral.id);
    try {
      const link = linkByReferral.get(referral.id) ?? null;
      if (link && link.state !== 'creating') {
        const side = sideOf(deps, link);
        if (side) await referralToCrm({ deps, side, link, referral, crmWrites: batchOf(side), recorder });
        return;
      }
      const parent = linkByEngagement.get(referral.engagementId);
      if (!link && parent && parent.referralId !== referral.id) {
        const side = sideOf(deps, parent);
        if (side) await applyMicrosoftSide({ deps, side, link: parent, related: referral, crmWrites: batchOf(side), recorder });
        return;
      }
      if (!link && referral.direction === 'Outgoing') {
        if ((await completeOutgoing({ deps, referral, recorder })) === 'noLink') unknown.push(referral);
        return;
      }
      toCreate.push({ referral, link });
    } catch (error) {
      await recorder.fail({ key, operation: 'inbound', error, payload: { referralId: referral.id } });
    }
  });
  await linkByExternalReference({ deps, referrals: unknown, recorder });
  for (const batch of batches.values()) await batch.flush();
  await createCrmRecords({ deps, side: inboundSide, items: toCreate, recorder, writeBack: args.writeBack ?? 'now' });
}

/** The object kinds a CRM record shares as a referral (those an outgoing referral can name). */
const SHARED_KINDS = (['opportunity', 'lead'] as const).filter((kind) => CREATES_REFERRALS[kind]);

function sideOf(deps: EngineDeps, link: Link): CrmSide | undefined {
  return deps.crms.find((s) => s.system === link.crmSystem);
}

/**
 * An outgoing referral with no link: a create whose link update was lost (a crash between the
 * POST and the save; it is linked here through the external reference id), or a deal someone
 * made in Partner Center by hand.
 */
async function completeOutgoing(args: { deps: EngineDeps; referral: Referral; recorder: RunRecorder }): Promise<'noLink' | void> {
  const { deps, referral, recorder } = args;
  const key = referralKey(referral.id);
  const crmId = referral.externalReferenceId;
  if (!crmId) return recorder.outcome(key, 'inbound', 'skipped', 'outgoing referral made outside the CRM');
  for (const side of deps.crms) {
    const [link] = await deps.store.findLinksByCrmIds(side.system, [crmId]);
    if (!link) continue;
    if (link.referralId && link.referralId !== referral.id) {
      return recorder.outcome(key, 'inbound', 'skipped', `CRM record ${crmId} is linked to referral ${link.referralId}`);
    }
    if (link.state !== 'creating') return recorder.outcome(key, 'inbound', 'skipped', `link is ${link.state}`);
    if (recorder.dryRun) return recorder.outcome(key, 'healLink', 'planned');
    await linkToReferral(deps, side, link, referral);
    deps.logger.info({ referralId: referral.id, crmId }, 'link completed after an interrupted create');
    return recorder.outcome(key, 'healLink', 'written');
  }
  return 'noLink';
}

/** A link waiting for its referral gets it; the referral id is written back to the CRM next. */
async function linkToReferral(deps: EngineDeps, side: CrmSide, link: Link, referral: Referral): Promise<Link> {
  return moveLink(deps.store, link, {
    state: 'writeBackPending',
    referralId: referral.id,
    engagementId: referral.engagementId,
    referralETag: referral.eTag,
    snapshot: side.mapping[link.crmKind].fromReferral(referral, deps.ctx).values,
    crmVersion: null,
  });
}

/**
 * Outgoing referrals that no link knows, though their externalReferenceId names a CRM record:
 * shared before the state store was lost (or restored from an older copy) and before their id
 * reached the record. Each is linked to the record it names, whose referral id is then written
 * back, so the record is never shared a second time. One read per CRM and object kind a page.
 */
async function linkByExternalReference(args: { deps: EngineDeps; referrals: readonly Referral[]; recorder: RunRecorder }): Promise<void> {
  const { deps, recorder } = args;
  const waiting = new Map(args.referrals.map((r) => [r.externalReferenceId ?? '', r]));
  for (const side of deps.crms) {
    for (const kind of SHARED_KINDS) {
      if (waiting.size === 0) return;
      const om = side.mapping[kind];
      const records = await side.connector.getRecords({ kind, ids: [...waiting.keys()], fields: await readFieldsFor(side, kind) });
      for (const record of records) {
        const referral = waiting.get(record.id);
        if (!referral) continue;
        waiting.delete(record.id);
        const key = referralKey(referral.id);
        try {
          const named = namedReferralId(om, record);
          if (named !== null && named !== referral.id) {
            recorder.outcome(key, 'inbound', 'skipped', `CRM record ${record.id} names referral ${named}`);
            continue;
          }
          if (recorder.dryRun) {
            recorder.outcome(key, 'healLink', 'planned', `would link to CRM record ${record.id}, which its externalReferenceId names`);
            continue;
          }
          const pending = await beginLink(deps.store, { crmSystem: side.system, crmKind: kind, crmId: record.id, referralId: null, engagementId: null, origin: 'crm', snapshot: {}, crmVersion: null, referralETag: null, respondBy: null });
          await linkToReferral(deps, side, pending, referral);
          deps.logger.info({ referralId: referral.id, crmId: record.id }, 'referral linked to the CRM record its externalReferenceId names');
          recorder.outcome(key, 'healLink', 'written', `linked to CRM record ${record.id}, which its externalReferenceId names`);
        } catch (error) {
          await recorder.fail({ key, operation: 'healLink', error, payload: { referralId: referral.id, crmId: record.id } });
        }
      }
    }
  }
  for (const referral of waiting.values()) recorder.outcome(referralKey(referral.id), 'inbound', 'skipped', `no CRM record ${referral.externalReferenceId ?? ''} is linked`);
}
