/**
 * Microsoft's side of a co-sell lives on its own referral in the same engagement: when a
 * Microsoft seller accepts, declines or lets it expire, the partner's CRM record is told. The
 * canonical keys are `microsoftSide.status` and `microsoftMsxId`; the mapping decides which CRM
 * fields carry them. These fields are the sync's alone, so a record a person edited meanwhile is
 * written again on its current version.
 */
import type { Referral } from '../domain/referral.js';
import type { Link } from '../store/types.js';
import type { CrmWriteBatch } from './crm-writes.js';
import { moveLink } from './link-states.js';
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
  crmWrites: CrmWriteBatch;
  recorder: RunRecorder;
}): Promise<void> {
  const { deps, side, link, related, recorder } = args;
  const key = referralKey(related.id);
  const values = microsoftSideValues(related);
  const changed = changedKeys(Object.keys(values), link.snapshot, values);
  const known = link.microsoftSideId === related.id;
  if (changed.length === 0 || link.crmId === null) {
    if (!known && !recorder.dryRun) await moveLink(deps.store, link, { microsoftSideId: related.id });
    return recorder.outcome(key, 'microsoftSide', 'skipped', 'unchanged');
  }
  const crmId = link.crmId;
  const changes = Object.fromEntries(changed.map((k) => [k, values[k] ?? null]));
  const om = side.mapping[link.crmKind];
  const { fields } = om.toCrmFields({ values: changes, ctx: deps.ctx, mode: 'update' });
  recorder.plan({ target: side.system, operation: 'update', recordKey: key, fields: changes, note: "Microsoft's side of the co-sell", before: link.snapshot });
  if (recorder.dryRun) return recorder.outcome(key, 'microsoftSide', 'planned');
  const saved = async (): Promise<void> => {
    const fresh = (await deps.store.getLink(link.id)) ?? link;
    await moveLink(deps.store, fresh, { snapshot: { ...fresh.snapshot, ...changes }, microsoftSideId: related.id });
    deps.logger.info({ referralId: link.referralId, relatedReferralId: related.id, status: values['microsoftSide.status'] }, "Microsoft's side of a co-sell changed");
    recorder.outcome(key, 'microsoftSide', 'written');
  };
  if (Object.keys(fields).length === 0) return saved();
  const write = (version: string, firstTry: boolean): void =>
    args.crmWrites.add({
      kind: link.crmKind,
      id: crmId,
      version,
      fields,
      recordKey: key,
      done: async (outcome) => {
        if (!outcome.ok) throw outcome.error;
        await saved();
      },
      ...(firstTry
        ? {
            onMoved: async (current) => {
              if (current === null) return recorder.outcome(key, 'microsoftSide', 'skipped', 'CRM record gone');
              write(current.version, false);
            },
          }
        : {}),
    });
  write(link.crmVersion ?? '*', true);
}
