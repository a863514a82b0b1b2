/**
 * Outbound: CRM changes -> Partner Center, record by record through the cycle's pipeline
 * (pipeline.ts). New participating records become referrals (outbound-create.ts); linked records
 * are reconciled field by field (reconcile-linked.ts). The CRM writes a page needs go out
 * together once the page's records are done.
 */
import type { CrmObjectKind, CrmRecord } from '../domain/crm-record.js';
import type { Link } from '../store/types.js';
import { adoptNamedReferral, namedReferralId } from './adopt.js';
import type { CrmWriteBatch } from './crm-writes.js';
import { FOLLOWED_STATES, moveLink } from './link-states.js';
import { createReferralFor } from './outbound-create.js';
import { reconcileLinked } from './reconcile-linked.js';
import { runPipeline, type RecordWork, type WorkPage } from './pipeline.js';
import type { RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';

/**
 * Which CRM objects become referrals when flagged. Leads reach Partner Center only when they came
 * from it (an inbound lead accepted or declined in the CRM); a lead made in the CRM is a contact
 * to qualify, not a deal to share.
 */
export const CREATES_REFERRALS: Readonly<Record<CrmObjectKind, boolean>> = { opportunity: true, lead: false };

/** Pages of CRM records through the pipeline, each record's outbound work done once. */
export function processCrmPages(args: { deps: EngineDeps; side: CrmSide; pages: AsyncIterable<WorkPage>; recorder: RunRecorder; signal?: AbortSignal }): Promise<void> {
  const { deps, side, recorder } = args;
  const work: RecordWork = (w) => outboundRecord({ deps, side, recorder, ...w });
  return runPipeline({ ...args, work });
}

/** One page of records (read again by id, as the heal does), through the same pipeline. */
export function processCrmRecords(args: { deps: EngineDeps; side: CrmSide; records: readonly CrmRecord[]; recorder: RunRecorder }): Promise<void> {
  if (args.records.length === 0) return Promise.resolve();
  return processCrmPages({ ...args, pages: onePage(args.records) });
}

async function* onePage(items: readonly CrmRecord[]): AsyncGenerator<WorkPage> {
  yield { items };
}

async function outboundRecord(args: {
  deps: EngineDeps;
  side: CrmSide;
  record: CrmRecord;
  link: Link | null;
  crmWrites: CrmWriteBatch;
  recorder: RunRecorder;
  recordKey: string;
}): Promise<void> {
  const { deps, side, record, link, recorder, recordKey: key } = args;
  const om = side.mapping[record.kind];
  const restart = link !== null && link.state === 'unlinked' && link.referralId === null;
  const named = link === null || restart ? namedReferralId(om, record) : null;
  if (named !== null) return adopt({ ...args, referralId: named });
  if (link === null || link.state === 'creating' || restart) {
    if (!om.participates(record)) {
      if (link?.state === 'creating') return abandonCreate({ ...args, link });
      return recorder.outcome(key, 'outbound', 'skipped', 'not participating');
    }
    if (!CREATES_REFERRALS[record.kind]) return recorder.outcome(key, 'outbound', 'skipped', `a ${record.kind} becomes a referral only when it came from Partner Center`);
    if (restart && !recorder.dryRun) return createReferralFor({ ...args, link: await moveLink(deps.store, link, { state: 'creating' }) });
    return createReferralFor({ ...args, link: restart ? null : link });
  }
  if (!FOLLOWED_STATES.includes(link.state) || link.referralId === null) return recorder.outcome(key, 'outbound', 'skipped', `link is ${link.state}`);
  await reconcileLinked({ ...args, link, referral: null });
}

/** A record without a link that names its referral is linked to it (adopt.ts), then reconciled. */
async function adopt(args: { deps: EngineDeps; side: CrmSide; record: CrmRecord; crmWrites: CrmWriteBatch; recorder: RunRecorder; recordKey: string; referralId: string }): Promise<void> {
  const { recorder, recordKey: key, referralId } = args;
  recorder.plan({ target: 'partnerCenter', operation: 'link', recordKey: key, fields: { referralId }, note: 'the record names its referral' });
  if (recorder.dryRun) return recorder.outcome(key, 'outbound', 'planned', `would link to referral ${referralId}, which the record names`);
  const { link, referral } = await adoptNamedReferral(args);
  recorder.outcome(key, 'outbound', 'written', `linked to referral ${referralId}, which the record names`);
  await reconcileLinked({ ...args, link, referral, quiet: true });
}

/**
 * A record unflagged while its create was unfinished: a referral an earlier attempt made is
 * linked (it exists, and must not be made again); otherwise the link is dropped, and flagging the
 * record again starts over.
 */
async function abandonCreate(args: { deps: EngineDeps; side: CrmSide; record: CrmRecord; link: Link; crmWrites: CrmWriteBatch; recorder: RunRecorder; recordKey: string }): Promise<void> {
  const { deps, record, link, recorder, recordKey: key } = args;
  if (recorder.dryRun) return recorder.outcome(key, 'outbound', 'skipped', 'no longer participating');
  const earlier = await deps.partnerCenter.findByExternalReferenceId(record.id);
  if (earlier === null) {
    await moveLink(deps.store, link, { state: 'unlinked' });
    return recorder.outcome(key, 'outbound', 'skipped', 'no longer participating; nothing had been created');
  }
  await createReferralFor(args);
}
