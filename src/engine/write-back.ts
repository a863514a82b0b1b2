/**
 * Writes the referral id back to the CRM records that became referrals, in API batches. Until
 * it lands the link stays `writeBackPending`, so a crash here is finished by the next cycle.
 */
import type { CrmRecord } from '../domain/crm-record.js';
import type { Link } from '../store/types.js';
import { crmKey, type RunRecorder } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';

export interface WriteBack {
  link: Link;
  record: CrmRecord;
  referralId: string;
}

export async function writeBackReferralIds(args: {
  deps: EngineDeps;
  side: CrmSide;
  writeBacks: readonly WriteBack[];
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, writeBacks, recorder } = args;
  if (writeBacks.length === 0 || recorder.dryRun) return;
  const updates = writeBacks.map(({ record, referralId }) => ({
    kind: record.kind,
    id: record.id,
    version: record.version,
    fields: { [side.mapping[record.kind].externalIdField]: referralId },
  }));
  const outcomes = await side.connector.updateRecords(updates);
  await Promise.all(
    writeBacks.map(async (wb, i) => {
      const outcome = outcomes[i];
      const key = crmKey(side.system, wb.record.kind, wb.record.id);
      const link = (await deps.store.getLink(wb.link.id)) ?? wb.link;
      if (outcome?.ok) {
        // Our write-back bumps the CRM version; remembering it keeps the echo from syncing again.
        await deps.store.saveLink({ ...link, state: 'linked', crmVersion: outcome.version });
        await recorder.succeeded(key);
        return;
      }
      if (outcome && outcome.error.kind === 'conflict') {
        // A person edited the record meanwhile: keep the link pending and let the next cycle
        // read their edit (crmVersion stays unknown so it is compared field by field).
        await deps.store.saveLink({ ...link, crmVersion: null });
        recorder.outcome(key, 'writeBack', 'skipped', 'record changed meanwhile; retried next cycle');
        return;
      }
      if (outcome && outcome.error.kind === 'invalid') {
        // The CRM will not store the id (Dataverse keeps won and lost opportunities read-only).
        // The link itself lives in the state store, so the deal stays linked without it.
        await deps.store.saveLink({ ...link, state: 'linked', crmVersion: wb.record.version });
        deps.logger.warn({ crmId: wb.record.id, referralId: wb.referralId, reason: outcome.error.message }, 'the CRM refused the referral id; the link is kept in the state store');
        recorder.outcome(key, 'writeBack', 'skipped', `CRM refused the referral id: ${outcome.error.message}`);
        return;
      }
      await recorder.fail({ key, operation: 'writeBack', error: outcome?.error ?? new Error('no outcome'), payload: updates[i] });
    }),
  );
}
