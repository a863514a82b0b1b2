/**
 * Makes referrals of the kinds a partner's list holds (Partner Center docs, "Referrals API introduction"):
 * Microsoft leads and co-sell invitations coming in, and the partner's own deals going out.
 */
import type { Random } from '../shared/random.js';
import { ANSWER_WINDOW_MS, buildReferral } from './build-referral.js';
import { makeDealFields, microsoftInvite, type PartnerIdentity } from './fake-data.js';
import type { PartnerCenterOptions } from './options.js';
import type { ChangeActor, ReferralStore } from './store.js';
import { formatTicks } from './timestamps.js';
import type { JsonObject } from './validation.js';
import { MICROSOFT_LOCATION_ID, type WireDirection, type WireReferral, type WireStatus, type WireSubstatus } from './wire-types.js';

/** Partner Center docs, "Referrals API introduction": a qualified lead (Independent + Marketing/SalesQualified, invited by msft) or a co-sell invitation (Shared + SalesQualified). */
export type InboundCategory = 'lead' | 'coSellInvite';

/** "Create a referral" deal types a partner creates. */
export type OutgoingKind = 'private' | 'partnerLed' | 'coSell';

export interface FactoryDeps {
  store: ReferralStore;
  random: Random;
  partner: PartnerIdentity;
  options: PartnerCenterOptions;
}

interface Placement {
  at: Date;
  status: WireStatus;
  substatus: WireSubstatus;
  actor: ChangeActor;
  engagementId?: string;
  extra?: JsonObject;
}

function place(deps: FactoryDeps, fields: JsonObject, direction: WireDirection, placement: Placement): WireReferral {
  const { store, random, options } = deps;
  const { stamp, eTag } = store.nextVersion(placement.at);
  const pending = placement.status === 'New';
  const content: JsonObject = { ...fields, ...placement.extra };
  if (placement.substatus === 'Expired') content.customerProfile = withoutContacts(content.customerProfile);
  const referral = buildReferral({
    fields: content,
    id: random.guid(),
    engagementId: placement.engagementId ?? random.guid(),
    direction,
    status: placement.status,
    substatus: placement.substatus,
    stamp,
    // Seed data added after the start keeps its historical creation time; updatedDateTime stays
    // monotonic so a client's sync cursor still sees it.
    createdStamp: minStamp(formatTicks(placement.at.getTime(), 0), stamp),
    eTag,
    organization: { id: options.partnerOrganizationId, name: options.partnerOrganizationName, mpnId: options.partnerMpnId },
    expirationDateTime: pending ? formatTicks(placement.at.getTime() + ANSWER_WINDOW_MS, 0) : null,
  });
  return store.insert(referral, placement.actor);
}

export function makeInbound(deps: FactoryDeps, category: InboundCategory, placement: Placement): WireReferral {
  const { random } = deps;
  const deal = makeDealFields({ random, partner: deps.partner, closingAfter: placement.at });
  const lead = category === 'lead';
  const fields: JsonObject = {
    ...deal,
    team: [],
    type: lead ? 'Independent' : 'Shared',
    qualification: lead ? random.pick(['MarketingQualified', 'SalesQualified']) : 'SalesQualified',
    consent: { consentToToShareInfoWithOthers: true, consentToContact: true, consentToShareReferralWithMicrosoftSellers: true },
    inviteContext: microsoftInvite(random, lead ? 'Customer asked to be contacted by a partner.' : 'Please help us land this opportunity.'),
    referralSource: lead ? 'Microsoft' : 'MicrosoftSeller',
  };
  return place(deps, fields, 'Incoming', placement);
}

/**
 * The partner's own deal. A co-sell deal in the two-referral reading also gets its connected
 * Microsoft-side referral (Partner Center docs, "Create a referral", the shared-referral steps), returned second.
 */
export function makeOutgoing(
  deps: FactoryDeps,
  kind: OutgoingKind,
  placement: Placement & { microsideStatus?: { status: WireStatus; substatus: WireSubstatus; extra?: JsonObject } },
): WireReferral[] {
  const { random, options } = deps;
  const deal = makeDealFields({ random, partner: deps.partner, closingAfter: placement.at });
  const coSell = kind === 'coSell';
  const help = microsoftInvite(random, 'Customer needs help with licensing and architecture.');
  const fields: JsonObject = {
    ...deal,
    type: coSell ? 'Shared' : 'Independent',
    qualification: 'SalesQualified',
    externalReferenceId: null,
    consent: {
      consentToToShareInfoWithOthers: kind !== 'private',
      consentToContact: true,
      consentToShareReferralWithMicrosoftSellers: kind !== 'private',
    },
    inviteContext: coSell && options.coSellMode === 'singleReferral' ? { ...help, invitedBy: null } : null,
  };
  if (coSell && options.coSellMode === 'singleReferral') {
    fields.target = [...(fields.target as JsonObject[]), { type: 'BusinessProfileLocation', id: MICROSOFT_LOCATION_ID }];
  }
  const own = place(deps, fields, 'Outgoing', placement);
  if (!coSell || options.coSellMode !== 'twoReferrals') return [own];
  const side = placement.microsideStatus ?? { status: 'New' as const, substatus: 'Pending' as const };
  const microsoftSide = place(
    deps,
    { ...fields, target: [{ type: 'BusinessProfileLocation', id: MICROSOFT_LOCATION_ID }], inviteContext: { ...help, invitedBy: null } },
    'Outgoing',
    { ...placement, engagementId: own.engagementId, status: side.status, substatus: side.substatus, extra: { ...placement.extra, ...side.extra } },
  );
  return [own, microsoftSide];
}

/** Partner Center docs, "Manage leads": expired leads no longer show customer contact details. */
export function withoutContacts(profile: unknown): JsonObject {
  return { ...(profile as JsonObject), team: [] };
}

function minStamp(a: string, b: string): string {
  return a < b ? a : b;
}
