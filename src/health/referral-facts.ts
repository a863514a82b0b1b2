/**
 * What co-sell health keeps of a referral the sync read (a pure function, tested on its own):
 * inbound referrals, for response times and acceptance analytics, and outgoing referrals made
 * by hand in Partner Center (no CRM id, not Microsoft's side of a co-sell), which no CRM record
 * follows. The partner's own synced deals are already in the links.
 */
import { classifyInbound } from '../../connectors/partner-center/classify-inbound.js';
import type { Referral } from '../domain/referral.js';
import type { ReferralAnswer, ReferralFacts, ReferralSource } from '../store/health-types.js';

/** Partner Center gives an inbound referral 14 days to be accepted or declined, then expires it. */
export const ANSWER_WINDOW_MS = 14 * 86_400_000;

const MICROSOFT_ORG = 'msft';

/** The answer a status stands for: won or lost deals were accepted before. */
export function answerOf(referral: Pick<Referral, 'status' | 'substatus'>): ReferralAnswer | null {
  if (referral.status === 'Active') return 'accepted';
  if (referral.status !== 'Closed') return null;
  if (referral.substatus === 'Declined') return 'declined';
  if (referral.substatus === 'Expired') return 'expired';
  return 'accepted';
}

/** When the answer was given, as Partner Center stamped it; null when the referral does not say. */
function answeredAt(referral: Referral, answer: ReferralAnswer | null, respondBy: string | null): string | null {
  switch (answer) {
    case null:
      return null;
    case 'accepted':
      // Seen Active right now: its last change is the acceptance, if Partner Center gave no stamp.
      return referral.acceptedDateTime ?? (referral.status === 'Active' ? referral.updatedDateTime : null);
    case 'declined':
      return referral.closedDateTime ?? referral.updatedDateTime;
    case 'expired':
      return referral.closedDateTime ?? respondBy;
  }
}

export function sourceOf(referral: Pick<Referral, 'inviteContext'>): ReferralSource {
  const invitedBy = referral.inviteContext?.invitedBy?.organizationId ?? null;
  return invitedBy !== null && invitedBy.toLowerCase() !== MICROSOFT_ORG ? 'partner' : 'microsoft';
}

const targetsMicrosoft = (referral: Referral): boolean => referral.target.some((t) => t.type === 'BusinessProfileLocation' && t.id.toLowerCase() === MICROSOFT_ORG);

/** The facts to keep of `referral` as seen at `now`, or null when health does not follow it. */
export function factsOf(referral: Referral, now: string): ReferralFacts | null {
  const incoming = referral.direction === 'Incoming';
  if (!incoming && (referral.externalReferenceId !== null || targetsMicrosoft(referral))) return null;
  const respondBy = incoming ? new Date(Date.parse(referral.createdDateTime) + ANSWER_WINDOW_MS).toISOString() : null;
  const answer = incoming ? answerOf(referral) : null;
  const solution = referral.details.solutions[0];
  return {
    referralId: referral.id,
    direction: referral.direction,
    name: referral.name,
    receivedAt: referral.createdDateTime,
    respondBy,
    status: `${referral.status}/${referral.substatus}`,
    answer,
    answeredAt: answeredAt(referral, answer, respondBy),
    source: sourceOf(referral),
    dealType: incoming ? classifyInbound(referral) : referral.type === 'Shared' ? 'coSell' : 'manual',
    solution: solution ? (solution.name ?? solution.id) : null,
    country: referral.customerProfile.address.country,
    size: referral.customerProfile.size,
    dealValue: referral.details.dealValue,
    currency: referral.details.currency,
    firstSeenAt: now,
    lastSeenAt: now,
  };
}
