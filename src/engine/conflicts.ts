/**
 * Resolving a held conflict: the chosen value is checked against the field's type first (nothing
 * is written anywhere when it does not fit), then written to whichever side does not have it
 * (never to a closed referral), the base becomes that value, and the conflict is closed.
 */
import type { FieldSet } from '../../mappings/index.js';
import type { ConflictRecord } from '../store/types.js';
import { resolutionEntry } from './history.js';
import { isTerminal } from './lifecycle.js';
import { moveLink } from './link-states.js';
import { readFieldsFor } from './read-fields.js';
import type { EngineDeps } from './types.js';

export type ConflictChoice = { take: 'crm' } | { take: 'partnerCenter' } | { take: 'value'; value: unknown };

/** A resolution that cannot be applied as asked; nothing was written. */
export class ResolutionError extends Error {
  override readonly name = 'ResolutionError';
}

export async function resolveHeldConflict(deps: EngineDeps, args: { conflictId: string; choice: ConflictChoice }): Promise<ConflictRecord> {
  const open = await deps.store.listConflicts({ open: true });
  const conflict = open.find((c) => c.id === args.conflictId);
  if (!conflict) throw new ResolutionError(`no open conflict with id ${args.conflictId}`);
  const link = await deps.store.getLink(conflict.linkId);
  if (!link) throw new ResolutionError(`the link of conflict ${conflict.id} is gone`);
  const side = deps.crms.find((s) => s.system === link.crmSystem);
  if (!side) throw new ResolutionError(`conflict ${conflict.id} belongs to ${link.crmSystem}, which is not configured`);
  const value =
    args.choice.take === 'crm' ? conflict.crmValue : args.choice.take === 'partnerCenter' ? conflict.partnerCenterValue : args.choice.value;
  const om = side.mapping[link.crmKind];
  const deleted = conflict.path === '$deleted';
  if (!deleted) {
    const problem = om.checkValue(conflict.path, value);
    if (problem !== null) throw new ResolutionError(`${conflict.path} cannot take ${JSON.stringify(value)}: ${problem}; nothing was written`);
  }
  const change = { [conflict.path]: value } as FieldSet;
  let { referralETag, crmVersion } = link;
  if (!deleted && args.choice.take !== 'partnerCenter' && link.referralId) {
    const current = await deps.partnerCenter.getReferral(link.referralId);
    if (current && !isTerminal(current)) {
      const updated = await deps.partnerCenter.updateReferral({ id: link.referralId, eTag: current.eTag, patch: om.toReferralPatch(change, current) });
      referralETag = updated.eTag;
    }
  }
  if (!deleted && args.choice.take !== 'crm' && link.crmId) {
    const [record] = await side.connector.getRecords({ kind: link.crmKind, ids: [link.crmId], fields: await readFieldsFor(side, link.crmKind) });
    if (record) {
      const { fields, problems } = om.toCrmFields({ values: change, ctx: deps.ctx, mode: 'update' });
      if (problems.length > 0) throw new ResolutionError(`${conflict.path}: ${problems.map((p) => p.message).join('; ')}`);
      const [outcome] = await side.connector.updateRecords([{ kind: link.crmKind, id: link.crmId, version: record.version, fields }]);
      if (outcome && !outcome.ok) throw outcome.error;
      if (outcome?.ok) crmVersion = outcome.version;
    }
  }
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (tx) => {
    await moveLink(tx, link, {
      snapshot: deleted ? link.snapshot : { ...link.snapshot, [conflict.path]: value },
      referralETag,
      crmVersion,
      state: link.state === 'held' ? (deleted ? 'unlinked' : 'linked') : link.state,
    });
    const resolved = await tx.resolveConflict({ id: conflict.id, resolution: args.choice.take, value, at });
    if (!resolved) throw new ResolutionError(`conflict ${conflict.id} was resolved by someone else`);
    await tx.appendHistory([resolutionEntry({ link, path: conflict.path, take: args.choice.take, value, at })]);
    deps.logger.info({ conflictId: conflict.id, path: conflict.path, resolution: args.choice.take }, 'conflict resolved');
    return resolved;
  });
}
