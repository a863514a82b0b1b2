/**
 * A participating CRM record becomes a referral exactly once, across crashes and processes: the
 * link is stored (`creating`) before the POST, and a link found still `creating` means an earlier
 * attempt may have posted, so the referral is looked up by `externalReferenceId` (the CRM id)
 * before anything is posted again. The engine decides this, not connector memory. The own
 * referral is linked at once; a co-sell's invitation to Microsoft is a separate step.
 */
import type { CrmRecord } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import type { CrmWriteBatch } from './crm-writes.js';
import { beginLink, moveLink } from './link-states.js';
import { CO_SELL_MARK } from './microsoft-invite.js';
import { reconcileLinked } from './reconcile-linked.js';
import { InvalidRecordError, type RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';

export async function createReferralFor(args: {
  deps: EngineDeps;
  side: CrmSide;
  record: CrmRecord;
  /** The link an earlier attempt left in `creating`, or null for a record never tried. */
  link: Link | null;
  crmWrites: CrmWriteBatch;
  recorder: RunRecorder;
  recordKey: string;
}): Promise<void> {
  const { deps, side, record, recorder, recordKey: key } = args;
  const om = side.mapping[record.kind];
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
  if (recorder.dryRun) return recorder.outcome(key, 'createReferral', 'planned');
  const pending =
    args.link ??
    (await beginLink(deps.store, {
      crmSystem: side.system,
      crmKind: record.kind,
      crmId: record.id,
      referralId: null,
      engagementId: null,
      origin: 'crm',
      snapshot: {},
      crmVersion: null,
      referralETag: null,
      respondBy: null,
    }));
  // An earlier attempt may have posted it (a crash, an answer lost for good): look before posting.
  const earlier: Referral | null = args.link ? await deps.partnerCenter.findByExternalReferenceId(record.id) : null;
  const referral = earlier ?? (await deps.partnerCenter.createReferral({ draft: draft.value, dealType })).referral;
  const asksMicrosoft = dealType.kind === 'coSell' && deps.partnerCenter.invitesMicrosoftSeparately;
  const linked = await moveLink(deps.store, pending, {
    state: 'writeBackPending',
    referralId: referral.id,
    engagementId: referral.engagementId,
    referralETag: referral.eTag,
    // The base is what the referral holds: what was just sent, or, for a referral an earlier
    // attempt made, the values of that time (the record may have changed since; the merge below
    // sends the difference). Partner Center answers a create as Active/Accepted whatever was
    // sent: the merge then closes a deal that is already won or lost in the CRM.
    snapshot: {
      ...om.fromReferral(referral, deps.ctx).values,
      ...(earlier ? {} : projected.values),
      status: `${referral.status}/${referral.substatus}`,
      ...(asksMicrosoft ? { [CO_SELL_MARK]: true } : {}),
    },
    crmVersion: null,
  });
  recorder.outcome(key, 'createReferral', 'written', earlier ? 'found the referral an earlier attempt created' : null);
  deps.logger.info({ crmId: record.id, referralId: referral.id, engagementId: referral.engagementId, existed: earlier !== null }, earlier ? 'referral found from an earlier attempt; linked' : 'referral created');
  await reconcileLinked({ deps, side, record, projected, link: linked, referral: earlier, crmWrites: args.crmWrites, recorder, recordKey: key, fresh: earlier === null, quiet: true });
}
