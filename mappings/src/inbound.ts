/**
 * Which CRM object an inbound referral becomes (Partner Center docs, "Referrals API introduction"): by type, qualification and who
 * invited us. The first matching row of the file's `inbound.rules` wins.
 */
import type { CrmObjectKind } from '../../src/domain/crm-record.js';
import type { Referral } from '../../src/domain/referral.js';
import type { CompiledMapping } from './compile.js';

/** Microsoft's organization id in `inviteContext.invitedBy` (Partner Center docs, "Referral resources"). */
const MICROSOFT_ORG_ID = 'msft';

export function invitedByOf(referral: Referral): 'msft' | 'partner' | 'none' {
  const org = referral.inviteContext?.invitedBy?.organizationId ?? null;
  if (org === null || org === '') return 'none';
  return org.toLowerCase() === MICROSOFT_ORG_ID ? 'msft' : 'partner';
}

export function inboundKind(inbound: CompiledMapping['inbound'], referral: Referral): CrmObjectKind | null {
  const invitedBy = invitedByOf(referral);
  const status = `${referral.status}/${referral.substatus}`;
  const row = inbound.rules.find(({ when }) => {
    const fits = <T>(allowed: readonly T[] | undefined, actual: T): boolean => !allowed || allowed.includes(actual);
    return (
      fits(when.type, referral.type) &&
      fits(when.qualification, referral.qualification) &&
      fits(when.invitedBy, invitedBy) &&
      fits(when.direction, referral.direction) &&
      fits<string>(when.status, status)
    );
  });
  const becomes = row ? row.becomes : inbound.otherwise;
  return becomes === 'skip' ? null : becomes;
}
