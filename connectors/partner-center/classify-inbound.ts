import type { InboundCategory, Referral } from '../../src/domain/referral.js';
import { partnerCenterFacts } from './options.js';

/**
 * Lead or opportunity, by type + qualification + who invited (Partner Center docs,
 * "Referrals API introduction", "About referrals"):
 * Independent/Direct from Microsoft or nobody is a marketplace lead; Independent and
 * Sales- or MarketingQualified from Microsoft is a qualified lead; the rest (invited by the
 * partner's own org or another partner, or Shared) is a co-sell opportunity.
 */
export function classifyInbound(referral: Pick<Referral, 'type' | 'qualification' | 'inviteContext'>): InboundCategory {
  const invitedBy = referral.inviteContext?.invitedBy?.organizationId ?? null;
  const byMicrosoft = invitedBy !== null && invitedBy.toLowerCase() === partnerCenterFacts.microsoftLocationId;
  if (referral.type === 'Independent') {
    if (referral.qualification === 'Direct' && (byMicrosoft || invitedBy === null)) return 'marketplaceLead';
    if ((referral.qualification === 'SalesQualified' || referral.qualification === 'MarketingQualified') && byMicrosoft) return 'qualifiedLead';
  }
  // Marketing-qualified referrals come from Microsoft marketing, whatever their type says.
  if (referral.qualification === 'MarketingQualified' && (byMicrosoft || invitedBy === null)) return 'qualifiedLead';
  return 'coSellOpportunity';
}
