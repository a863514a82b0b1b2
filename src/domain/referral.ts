/**
 * The canonical referral: what the engine and the mappings reason about. It follows the
 * Partner Center V3 contract (Partner Center docs, "Referral resources") closely, but it is parsed, normalised and typed;
 * the raw wire JSON lives with the Partner Center connector, never here.
 */

export const REFERRAL_STATUSES = ['New', 'Active', 'Closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_SUBSTATUSES = ['Pending', 'Received', 'Accepted', 'Won', 'Lost', 'Declined', 'Expired'] as const;
export type ReferralSubstatus = (typeof REFERRAL_SUBSTATUSES)[number];

export type ReferralType = 'Independent' | 'Shared';
export type ReferralDirection = 'Incoming' | 'Outgoing';
export type ReferralQualification = 'None' | 'Direct' | 'MarketingQualified' | 'SalesQualified';

export const ASSISTANCE_REQUEST_CODES = [
  'Unknown',
  'GeneralOrOther',
  'CustomerTechnicalArchitecture',
  'ProofOfConceptOrDemo',
  'QuotesOrLicensing',
  'PostSalesCustomerSuccess',
  'WorkloadSpecificValueProposition',
] as const;
export type AssistanceRequestCode = (typeof ASSISTANCE_REQUEST_CODES)[number];

/** A person: a partner seller (`team`) or a customer contact (`customerProfile.team`). */
export interface Member {
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phoneNumber: string | null;
  title: string | null;
}

export interface Address {
  addressLine1: string | null;
  addressLine2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  region: string | null;
  /** ISO 3166-1 alpha-2; required by Partner Center. */
  country: string | null;
}

export interface CustomerId {
  profileType: 'Duns' | 'External';
  id: string;
}

export interface CustomerProfile {
  name: string | null;
  size: string | null;
  address: Address;
  team: Member[];
  ids: CustomerId[];
}

export interface Consent {
  consentToShareReferralWithMicrosoftSellers: boolean;
  consentToContact: boolean;
  /** Spelt with the doubled "To", exactly as the API does ("Referral resources"). */
  consentToToShareInfoWithOthers: boolean;
}

export interface Solution {
  id: string;
  name: string | null;
  type: 'None' | 'Category' | 'Name' | null;
}

export interface ReferralDetails {
  notes: string | null;
  dealValue: number | null;
  /** ISO 4217 code. */
  currency: string | null;
  /** UTC ISO-8601 date-time. */
  closingDateTime: string | null;
  solutions: Solution[];
}

export interface InviteContext {
  notes: string | null;
  assistanceRequestCode: AssistanceRequestCode | null;
  invitedBy: { organizationId: string | null; organizationName: string | null } | null;
}

export interface Target {
  type: 'None' | 'BusinessProfileLocation' | 'SolutionProfile';
  id: string;
}

/** The deal type a partner asks for when it shares a deal ("Create a referral"). */
export type DealType =
  | { kind: 'private' }
  | { kind: 'partnerLed' }
  | { kind: 'coSell'; help: AssistanceRequestCode; notes: string | null };

/** The fields a partner can write on create. Server-filled fields are absent. */
export interface ReferralDraft {
  name: string;
  externalReferenceId: string;
  status: ReferralStatus;
  substatus: ReferralSubstatus;
  statusReason: string | null;
  type: ReferralType;
  qualification: ReferralQualification;
  customerProfile: CustomerProfile;
  consent: Consent;
  details: ReferralDetails;
  team: Member[];
  inviteContext: InviteContext | null;
  target: Target[];
  campaignId: string | null;
}

export interface Referral extends Omit<ReferralDraft, 'externalReferenceId'> {
  id: string;
  engagementId: string;
  /** Opaque concurrency token, sent back verbatim in `If-Match`. */
  eTag: string;
  externalReferenceId: string | null;
  direction: ReferralDirection;
  createdDateTime: string;
  updatedDateTime: string;
  expirationDateTime: string | null;
  /** When it became Active/Accepted (for an outgoing referral, when it was created); null before. */
  acceptedDateTime: string | null;
  closedDateTime: string | null;
  /** Microsoft's CRM (MSX) id, once Microsoft accepts a co-sell. */
  microsoftMsxId: string | null;
  /** Deal registrations of a won deal ("Referral resources", `registrations`); empty when none. */
  registrations: DealRegistration[];
}

/** A deal registration as Partner Center reports it (Azure IP co-sell). */
export interface DealRegistration {
  id: string | null;
  type: string | null;
  /** ReviewPending, ActionRequired, Approved, Passed, Failed, Closed, or a newer value. */
  status: string | null;
  statusReason: string | null;
  registrationDateTime: string | null;
}

/** How an inbound referral lands in a CRM ("Referrals API introduction"). */
export type InboundCategory = 'marketplaceLead' | 'qualifiedLead' | 'coSellOpportunity';
