/**
 * A CRM record that already names its referral (the mapping's referral-id field holds one) but has
 * no link of its own is linked to that referral, never given a second one. It happens when an
 * inbound create wrote the record and the process stopped before the link was saved (the waiting
 * inbound link is then completed), when the state store was lost and is being rebuilt, and at
 * cut-over from another co-sell connector that left the ids behind.
 *
 * The base of the three-way merge is what both sides agree on: a field that differs between them
 * has no base, so the mapping's conflict policy decides it instead of one side silently winning.
 */
import type { ObjectMapping } from '../../mappings/index.js';
import type { CrmRecord } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { Link, Snapshot } from '../store/types.js';
import { respondBy } from './lifecycle.js';
import { beginLink, moveLink } from './link-states.js';
import { InvalidRecordError } from './recorder.js';
import type { CrmSide, EngineDeps } from './types.js';
import { sameValue } from './values.js';

/** The referral id a record carries in its referral-id field, if any. */
export function namedReferralId(om: ObjectMapping, record: CrmRecord): string | null {
  const value = record.fields[om.externalIdField];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Paths on which the record and the referral hold the same value: what the pair agrees on. */
export function agreedBase(crm: Record<string, unknown>, referral: Record<string, unknown>): Snapshot {
  return Object.fromEntries(Object.entries(crm).filter(([path, value]) => path in referral && sameValue(value, referral[path])));
}

/**
 * Links `record` to the referral it names, in one transaction: a link waiting for this record (an
 * inbound create that did not finish) is completed; otherwise a new link is stored as `linked`.
 * Refuses, with how to fix it, a name that points nowhere or at another record's referral (a
 * copied record keeps the field).
 */
export async function adoptNamedReferral(args: { deps: EngineDeps; side: CrmSide; record: CrmRecord; referralId: string }): Promise<{ link: Link; referral: Referral }> {
  const { deps, side, record, referralId } = args;
  const om = side.mapping[record.kind];
  const field = om.externalIdField;
  const referral = await deps.partnerCenter.getReferral(referralId);
  if (referral === null) {
    throw new InvalidRecordError(`CRM record ${record.id} names referral ${referralId}`, [
      { path: field, message: `Partner Center has no referral ${referralId}; clear ${field} to share the record as a new referral` },
    ]);
  }
  const base = agreedBase(om.fromCrm(record, deps.ctx).values, om.fromReferral(referral, deps.ctx).values);
  const linkChanges = {
    crmSystem: side.system,
    crmKind: record.kind,
    crmId: record.id,
    referralId: referral.id,
    engagementId: referral.engagementId,
    referralETag: referral.eTag,
    crmVersion: null,
    snapshot: base,
    state: 'linked' as const,
  };
  const link = await deps.store.transaction(async (tx) => {
    const [existing] = await tx.findLinksByReferralIds([referral.id]);
    if (existing && existing.crmId !== null && existing.crmId !== record.id) {
      throw new InvalidRecordError(`CRM record ${record.id} names referral ${referral.id}`, [
        { path: field, message: `that referral is linked to ${existing.crmKind} ${existing.crmId} (a copied record keeps the field); clear ${field} to share this record as a new referral` },
      ]);
    }
    if (existing) return moveLink(tx, existing, linkChanges);
    const fresh = await beginLink(tx, { ...linkChanges, origin: referral.direction === 'Incoming' ? 'partnerCenter' : 'crm', respondBy: respondBy(referral) });
    return moveLink(tx, fresh, linkChanges);
  });
  deps.logger.info({ crmId: record.id, referralId: referral.id }, 'the record names its referral; linked to it');
  return { link, referral };
}
