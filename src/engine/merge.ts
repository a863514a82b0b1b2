/**
 * Three-way, per-field merge: the last synced value is the base; a field changed
 * on one side flows to the other; a field changed on both sides follows its declared policy.
 */
import type { Snapshot } from '../store/types.js';
import { sameValue } from './values.js';

export type ConflictPolicy = 'crmWins' | 'partnerCenterWins' | 'newestWins' | 'hold';
export type RuleDirection = 'both' | 'toPartnerCenter' | 'toCrm' | 'createOnly';

export interface MergeRule {
  path: string;
  direction: RuleDirection;
  policy: ConflictPolicy;
}

export interface HeldField {
  path: string;
  base: unknown;
  crmValue: unknown;
  partnerCenterValue: unknown;
}

export interface MergeResult {
  toPartnerCenter: Record<string, unknown>;
  toCrm: Record<string, unknown>;
  held: HeldField[];
  /** The base after this merge, assuming both writes land. */
  base: Snapshot;
}

export interface MergeInput {
  rules: readonly MergeRule[];
  base: Snapshot;
  /** Current CRM values by referral path; null when the CRM side was not read (unchanged). */
  crm: Record<string, unknown> | null;
  partnerCenter: Record<string, unknown> | null;
  crmChangedAt: string | null;
  partnerCenterChangedAt: string | null;
  /**
   * Whether a CRM read of `path` still means the base value: the CRM stores some values lossily
   * (a text cut to the field's length, two statuses on one stage), so a read that differs only that
   * way is not a CRM edit. Default: structural equality.
   */
  sameOnCrm?: (path: string, base: unknown, crm: unknown) => boolean;
}

const readsCrm = (d: RuleDirection): boolean => d === 'both' || d === 'toPartnerCenter';
const readsPartnerCenter = (d: RuleDirection): boolean => d === 'both' || d === 'toCrm';

function changed(side: Record<string, unknown> | null, path: string, base: Snapshot, same: (a: unknown, b: unknown) => boolean = sameValue): boolean {
  return side !== null && path in side && !same(base[path], side[path]);
}

export function mergeThreeWay(input: MergeInput): MergeResult {
  const out: MergeResult = { toPartnerCenter: {}, toCrm: {}, held: [], base: { ...input.base } };
  for (const rule of input.rules) {
    const { path } = rule;
    const sameOnCrm = input.sameOnCrm;
    const crmChanged = readsCrm(rule.direction) && changed(input.crm, path, input.base, sameOnCrm ? (a, b) => sameValue(a, b) || sameOnCrm(path, a, b) : sameValue);
    const pcChanged = readsPartnerCenter(rule.direction) && changed(input.partnerCenter, path, input.base);
    const crmValue = input.crm?.[path];
    const pcValue = input.partnerCenter?.[path];
    if (crmChanged && !pcChanged) {
      out.toPartnerCenter[path] = crmValue;
      out.base[path] = crmValue;
    } else if (pcChanged && !crmChanged) {
      out.toCrm[path] = pcValue;
      out.base[path] = pcValue;
    } else if (crmChanged && pcChanged) {
      if (sameValue(crmValue, pcValue)) {
        out.base[path] = crmValue;
        continue;
      }
      const winner = resolvePolicy(rule.policy, input);
      if (winner === 'crm') {
        out.toPartnerCenter[path] = crmValue;
        out.base[path] = crmValue;
      } else if (winner === 'partnerCenter') {
        out.toCrm[path] = pcValue;
        out.base[path] = pcValue;
      } else {
        out.held.push({ path, base: input.base[path], crmValue, partnerCenterValue: pcValue });
      }
    }
  }
  return out;
}

function resolvePolicy(policy: ConflictPolicy, input: MergeInput): 'crm' | 'partnerCenter' | 'hold' {
  switch (policy) {
    case 'crmWins':
      return 'crm';
    case 'partnerCenterWins':
      return 'partnerCenter';
    case 'hold':
      return 'hold';
    case 'newestWins': {
      // A CRM stamp names only the second of its change (Salesforce and Dataverse both stamp whole
      // seconds), so a Partner Center change within that second may be the older one. Such a tie
      // goes to the CRM: it is the system people edit by hand.
      const crmSecond = input.crmChangedAt ? Math.floor(Date.parse(input.crmChangedAt) / 1_000) : 0;
      const pcSecond = input.partnerCenterChangedAt ? Math.floor(Date.parse(input.partnerCenterChangedAt) / 1_000) : 0;
      return pcSecond > crmSecond ? 'partnerCenter' : 'crm';
    }
  }
}
