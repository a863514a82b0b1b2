/**
 * Outbound: CRM changes -> Partner Center. New participating records become referrals (the link
 * is stored before the create, so a crash between the two heals without a duplicate); changed
 * fields of linked records become JSON Patch updates guarded by the referral's eTag.
 */
import type { ObjectMapping } from '../../mappings/index.js';
import type { CrmRecord } from '../domain/crm-record.js';
import type { Link } from '../store/types.js';
import { mergeThreeWay } from './merge.js';
import { InvalidRecordError, crmKey, forEachLimit, type RunRecorder } from './recorder.js';
import { guardStatus } from './status-guard.js';
import type { CrmSide, EngineDeps } from './types.js';
import { pushToReferral } from './push-referral.js';
import { writeBackReferralIds, type WriteBack } from './write-back.js';

export async function processCrmRecords(args: {
  deps: EngineDeps;
  side: CrmSide;
  records: readonly CrmRecord[];
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, records, recorder } = args;
  const links = await deps.store.findLinksByCrmIds(side.system, records.map((r) => r.id));
  const linkByCrmId = new Map(links.map((l) => [l.crmId, l]));
  const writeBacks: WriteBack[] = [];
  await forEachLimit(records, deps.options.writeConcurrency, async (record) => {
    const key = crmKey(side.system, record.kind, record.id);
    try {
      const writeBack = await outboundRecord({ deps, side, record, link: linkByCrmId.get(record.id) ?? null, recorder });
      if (writeBack) writeBacks.push(writeBack);
      else await recorder.succeeded(key);
    } catch (error) {
      await recorder.fail({ key, operation: 'outbound', error, payload: { crmId: record.id, fields: record.fields } });
    }
  });
  await writeBackReferralIds({ deps, side, writeBacks, recorder });
}

async function outboundRecord(args: {
  deps: EngineDeps;
  side: CrmSide;
  record: CrmRecord;
  link: Link | null;
  recorder: RunRecorder;
}): Promise<WriteBack | null> {
  const { deps, side, record, link, recorder } = args;
  const om = side.mapping[record.kind];
  const key = crmKey(side.system, record.kind, record.id);
  if (!link || link.state === 'creating') {
    if (!link && !om.participates(record)) {
      recorder.outcome(key, 'outbound', 'skipped', 'not participating');
      return null;
    }
    return createReferral({ deps, side, om, record, link, recorder });
  }
  if (link.state === 'unlinked' || link.state === 'held' || link.referralId === null) {
    recorder.outcome(key, 'outbound', 'skipped', `link is ${link.state}`);
    return null;
  }
  const writeBack = link.state === 'writeBackPending' ? { link, record, referralId: link.referralId } : null;
  if (link.crmVersion === record.version) {
    if (!writeBack) recorder.outcome(key, 'outbound', 'skipped', 'unchanged since last sync');
    return writeBack;
  }
  await syncLinkedRecord({ deps, side, om, record, link, recorder });
  return writeBack;
}

/** Merges a linked record's current CRM values against the base and pushes what changed. */
async function syncLinkedRecord(args: {
  deps: EngineDeps;
  side: CrmSide;
  om: ObjectMapping;
  record: CrmRecord;
  link: Link;
  recorder: RunRecorder;
  /** Right after a create: say nothing when there is nothing more to send. */
  quietWhenUnchanged?: boolean;
}): Promise<void> {
  const { deps, side, om, record, link, recorder } = args;
  const projected = om.fromCrm(record, deps.ctx);
  if (projected.problems.length > 0) throw new InvalidRecordError(`CRM record ${record.id}`, projected.problems);
  const merged = mergeThreeWay({
    rules: om.rules,
    base: link.snapshot,
    crm: projected.values,
    partnerCenter: null,
    crmChangedAt: record.stamp,
    partnerCenterChangedAt: null,
  });
  const guarded = guardStatus({ base: link.snapshot, toPartnerCenter: merged.toPartnerCenter, toCrm: merged.toCrm });
  const nothing = Object.keys(guarded.toPartnerCenter).length === 0 && Object.keys(guarded.toCrm).length === 0;
  if (nothing && args.quietWhenUnchanged) return;
  await pushToReferral({ deps, side, om, record, link, crmValues: projected.values, guarded, mergedBase: merged.base, recorder });
}

async function createReferral(args: {
  deps: EngineDeps;
  side: CrmSide;
  om: ObjectMapping;
  record: CrmRecord;
  link: Link | null;
  recorder: RunRecorder;
}): Promise<WriteBack | null> {
  const { deps, side, om, record, recorder } = args;
  const key = crmKey(side.system, record.kind, record.id);
  const projected = om.fromCrm(record, deps.ctx);
  if (projected.problems.length > 0) throw new InvalidRecordError(`CRM record ${record.id}`, projected.problems);
  const dealType = om.dealType(record);
  const draft = om.toReferralDraft({ values: projected.values, externalReferenceId: record.id, dealType, ctx: deps.ctx });
  if (!draft.ok) throw new InvalidRecordError(`CRM record ${record.id} cannot become a referral`, draft.error);
  recorder.plan({
    target: 'partnerCenter',
    operation: 'create',
    recordKey: key,
    fields: projected.values,
    note: `deal type ${dealType.kind}${dealType.kind === 'coSell' ? ` (help: ${dealType.help})` : ''}`,
  });
  if (recorder.dryRun) {
    recorder.outcome(key, 'createReferral', 'planned');
    return null;
  }
  const pending =
    args.link ??
    (await deps.store.saveLink({
      crmSystem: side.system,
      crmKind: record.kind,
      crmId: record.id,
      referralId: null,
      engagementId: null,
      origin: 'crm',
      state: 'creating',
      snapshot: {},
      crmVersion: null,
      referralETag: null,
      respondBy: null,
    }));
  const created = await deps.partnerCenter.createReferral({ draft: draft.value, dealType });
  const link = await deps.store.saveLink({
    ...pending,
    referralId: created.referral.id,
    engagementId: created.referral.engagementId,
    state: 'writeBackPending',
    snapshot: { ...projected.values, status: `${created.referral.status}/${created.referral.substatus}` },
    referralETag: created.referral.eTag,
  });
  recorder.outcome(key, 'createReferral', 'written', created.existed ? 'found the referral an earlier attempt created' : null);
  deps.logger.info({ crmId: record.id, referralId: created.referral.id, existed: created.existed }, 'referral created');
  // Partner Center answers a create as Active/Accepted whatever was sent (PC §4): a deal that is
  // already won or lost in the CRM is closed right after.
  if (created.referral.status !== 'Closed') {
    await syncLinkedRecord({ deps, side, om, record, link, recorder, quietWhenUnchanged: true });
  }
  return { link, record, referralId: created.referral.id };
}

