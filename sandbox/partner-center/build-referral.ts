/**
 * Assembles a stored referral from validated fields plus the server-filled ones (Partner Center docs, "Referral resources").
 */
import type { WireDirection, WireReferral, WireStatus, WireSubstatus } from './wire-types.js';
import type { JsonObject } from './validation.js';

/** Properties a client may not set; the server fills them ("Referral resources"). */
export const SERVER_FILLED = [
  'id',
  'engagementId',
  'eTag',
  'createdDateTime',
  'updatedDateTime',
  'direction',
  'organizationId',
  'organizationName',
  'acceptedDateTime',
  'closedDateTime',
  'links',
  '@odata.context',
] as const;

export const DAY_MS = 86_400_000;

/** Partner Center docs, "Get a list of referrals": inbound referrals and co-sell requests get 14 days for an answer. */
export const ANSWER_WINDOW_MS = 14 * DAY_MS;

export function buildReferral(args: {
  fields: JsonObject;
  id: string;
  engagementId: string;
  direction: WireDirection;
  status: WireStatus;
  substatus: WireSubstatus;
  stamp: string;
  /** When it was created, if earlier than `stamp` (seed data added later); defaults to `stamp`. */
  createdStamp?: string;
  eTag: string;
  organization: { id: string; name: string; mpnId: string };
  expirationDateTime?: string | null;
}): WireReferral {
  const fields: JsonObject = { ...args.fields };
  for (const key of SERVER_FILLED) delete fields[key];
  const closed = args.status === 'Closed';
  const accepted = args.status === 'Active' || args.substatus === 'Won' || args.substatus === 'Lost';
  const created = args.createdStamp ?? args.stamp;
  const trackingInfo = (fields.trackingInfo as JsonObject | undefined) ?? {};
  return {
    statusReason: null,
    campaignId: null,
    externalReferenceId: null,
    inviteContext: null,
    team: [],
    target: [],
    // Deal registrations are added with `add /registrations/-` (the Referrals connector's
    // `CreateDealRegistrationByReferralId`), so the array is always there.
    registrations: [],
    mpnId: args.organization.mpnId,
    ...fields,
    trackingInfo: { microsoftMsxId: null, ...trackingInfo },
    id: args.id,
    engagementId: args.engagementId,
    organizationId: args.organization.id,
    organizationName: args.organization.name,
    direction: args.direction,
    status: args.status,
    substatus: args.substatus,
    createdDateTime: created,
    updatedDateTime: args.stamp,
    // "Referral resources": acceptedDateTime equals createdDateTime for outgoing referrals.
    acceptedDateTime: accepted ? created : null,
    closedDateTime: closed ? created : null,
    expirationDateTime: args.expirationDateTime ?? null,
    eTag: args.eTag,
  } as unknown as WireReferral;
}
