/**
 * The referral as it travels on the wire (V3 contract; Partner Center docs, "Referral resources"). The emulator keeps
 * referrals in this shape; it is deliberately loose where the real service is loose.
 */

/** Partner Center docs, "Referral resources": ReferralStatus / ReferralSubstatus. */
export const STATUSES = ['New', 'Active', 'Closed'] as const;
export type WireStatus = (typeof STATUSES)[number];
export const SUBSTATUSES = ['Pending', 'Received', 'Accepted', 'Won', 'Lost', 'Declined', 'Expired'] as const;
export type WireSubstatus = (typeof SUBSTATUSES)[number];

export const REFERRAL_TYPES = ['Independent', 'Shared'] as const;
export const QUALIFICATIONS = ['None', 'Direct', 'MarketingQualified', 'SalesQualified'] as const;
export const TARGET_TYPES = ['None', 'BusinessProfileLocation', 'SolutionProfile'] as const;
export const ASSISTANCE_CODES = [
  'Unknown',
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
] as const;

export type WireDirection = 'Incoming' | 'Outgoing';

/** Partner Center docs, "Referral resources": Member. */
export interface WireMember {
  firstName?: string | null;
  lastName?: string | null;
  phoneNumber?: string | null;
  email?: string | null;
  title?: string | null;
  contactPreference?: { locale?: string | null; disableNotifications?: boolean | null };
}

export interface WireAddress {
  addressLine1?: string | null;
  addressLine2?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  region?: string | null;
  country: string;
}

export interface WireCustomerProfile {
  name: string;
  size?: string | null;
  isMatchingComplete?: boolean;
  address: WireAddress;
  team: WireMember[];
  ids?: { profileType: string; id: string }[];
}

export interface WireConsent {
  consentToToShareInfoWithOthers: boolean;
  consentToContact: boolean;
  consentToShareReferralWithMicrosoftSellers: boolean;
  consentToMicrosoftToContactSpecificPartners?: boolean | null;
}

export interface WireSolution {
  id: string;
  name?: string | null;
  type?: string | null;
  [extra: string]: unknown;
}

export interface WireDetails {
  notes?: string | null;
  dealValue?: number | null;
  currency?: string | null;
  closingDateTime?: string | null;
  customerRequestedContact?: boolean | null;
  requirements?: { solutions?: WireSolution[]; [extra: string]: unknown };
  [extra: string]: unknown;
}

export interface WireInviteContext {
  notes?: string | null;
  assistanceRequestCode?: string | null;
  invitedMpnId?: string | null;
  invitedBy?: { organizationId: string | null; organizationName: string | null } | null;
}

export interface WireTarget {
  type: string;
  id: string;
}

export interface WireTrackingInfo {
  microsoftMsxId: string | null;
  microsoftUSFedOpportunityId?: string | null;
  microsoftUSFedLeadId?: string | null;
  [extra: string]: unknown;
}

/**
 * A stored referral. `links` are added when it is presented (they depend on the emulator's URL).
 * Unknown properties a client sends are kept, as the real service echoes them.
 */
export interface WireReferral {
  id: string;
  engagementId: string;
  name: string;
  organizationId: string;
  organizationName: string;
  externalReferenceId: string | null;
  createdDateTime: string;
  updatedDateTime: string;
  expirationDateTime: string | null;
  acceptedDateTime: string | null;
  closedDateTime: string | null;
  status: WireStatus;
  substatus: WireSubstatus;
  statusReason: string | null;
  type: string;
  qualification: string;
  direction: WireDirection;
  customerProfile: WireCustomerProfile;
  consent: WireConsent;
  details: WireDetails;
  team: WireMember[];
  inviteContext: WireInviteContext | null;
  target: WireTarget[];
  trackingInfo: WireTrackingInfo;
  eTag: string;
  campaignId: string | null;
  mpnId: string | null;
  [extra: string]: unknown;
}

/** Partner Center docs, "Referral resources", `links`: a ready-made related-referrals query and the referral's own URL. */
export interface ReferralLinks {
  relatedReferrals: { uri: string; method: 'GET' };
  self: { uri: string; method: 'GET' };
}

export type PresentedReferral = WireReferral & { links: ReferralLinks };

/** The Microsoft location id a co-sell request targets (Partner Center docs, "Create a referral"). */
export const MICROSOFT_LOCATION_ID = 'msft';

/** True when the referral is the request that asks Microsoft to join (Partner Center docs, "Create a referral", the shared-referral steps). */
export function targetsMicrosoft(referral: Pick<WireReferral, 'target'>): boolean {
  return referral.target.some((t) => t.type === 'BusinessProfileLocation' && t.id === MICROSOFT_LOCATION_ID);
}
