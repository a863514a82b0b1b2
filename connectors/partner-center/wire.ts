/**
 * The Referrals API's own JSON (V3 contract; Partner Center docs, "Referral resources"), as zod schemas. Lenient where real
 * data is inconsistent (nulls, empty strings, missing blocks); strict on what the sync needs.
 * The canonical model lives in src/domain/referral.ts; parse.ts maps between the two.
 */
import { z } from 'zod';
import { ASSISTANCE_REQUEST_CODES } from '../../src/domain/referral.js';

const str = z.string().nullish();
const bool = z.boolean().nullish();

export const wireMemberSchema = z.looseObject({
  firstName: str,
  lastName: str,
  email: str,
  phoneNumber: str,
  title: str,
});

export const wireAddressSchema = z.looseObject({
  addressLine1: str,
  addressLine2: str,
  city: str,
  state: str,
  postalCode: str,
  region: str,
  country: str,
});

export const wireCustomerProfileSchema = z.looseObject({
  name: str,
  size: str,
  address: wireAddressSchema.nullish(),
  team: z.array(wireMemberSchema).nullish(),
  ids: z.array(z.looseObject({ profileType: str, id: str })).nullish(),
});

export const wireSolutionSchema = z.looseObject({ id: z.string(), name: str, type: str });

export const wireDetailsSchema = z.looseObject({
  notes: str,
  /** A decimal; some samples send it as a string ("10000"), so both are read. */
  dealValue: z.union([z.number(), z.string()]).nullish(),
  currency: str,
  closingDateTime: str,
  requirements: z.looseObject({ solutions: z.array(wireSolutionSchema).nullish() }).nullish(),
});

export const wireInviteContextSchema = z.looseObject({
  notes: str,
  assistanceRequestCode: str,
  invitedBy: z.looseObject({ organizationId: str, organizationName: str }).nullish(),
});

export const wireTargetSchema = z.looseObject({ type: z.string(), id: z.string() });

/** One deal registration ("Referral resources", `registrations[]`); only what the sync reads. */
export const wireRegistrationSchema = z.looseObject({ id: str, type: str, status: str, statusReason: str, registrationDateTime: str });

export const wireReferralSchema = z.looseObject({
  id: z.string().min(1),
  engagementId: z.string().min(1),
  name: str,
  externalReferenceId: str,
  createdDateTime: z.string(),
  updatedDateTime: z.string(),
  expirationDateTime: str,
  acceptedDateTime: str,
  closedDateTime: str,
  status: z.string(),
  substatus: z.string(),
  statusReason: str,
  type: z.enum(['Independent', 'Shared']),
  qualification: str,
  direction: z.enum(['Incoming', 'Outgoing']),
  customerProfile: wireCustomerProfileSchema.nullish(),
  consent: z
    .looseObject({
      consentToShareReferralWithMicrosoftSellers: bool,
      consentToContact: bool,
      consentToToShareInfoWithOthers: bool,
    })
    .nullish(),
  details: wireDetailsSchema.nullish(),
  team: z.array(wireMemberSchema).nullish(),
  inviteContext: wireInviteContextSchema.nullish(),
  target: z.array(wireTargetSchema).nullish(),
  eTag: z.string().min(1),
  campaignId: str,
  trackingInfo: z.looseObject({ microsoftMsxId: str }).nullish(),
  registrations: z.array(wireRegistrationSchema).nullish(),
});
export type WireReferral = z.infer<typeof wireReferralSchema>;

/** An OData collection page ("Get a list of referrals"). `value` items are parsed one by one. */
export const wireListSchema = z.looseObject({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().nullish(),
  '@odata.count': z.number().nullish(),
});

/** The error shapes seen: Partner API `{error:{code,message}}`, CSP `{code,description}`, 429 `{statusCode,message}`. */
export const wireErrorSchema = z.looseObject({
  error: z.looseObject({ code: z.unknown().optional(), message: z.unknown().optional() }).nullish(),
  code: z.unknown().optional(),
  description: z.unknown().optional(),
  message: z.unknown().optional(),
});

export const assistanceRequestCodeSchema = z.enum(ASSISTANCE_REQUEST_CODES);

/** The body of a create (POST); server-filled fields are absent. */
export interface WireReferralCreate {
  name: string;
  externalReferenceId?: string;
  engagementId?: string;
  status: string;
  substatus: string;
  statusReason?: string | null;
  type: 'Independent' | 'Shared';
  qualification: string;
  customerProfile: unknown;
  consent: unknown;
  details: unknown;
  team: unknown[];
  inviteContext?: unknown;
  target: { type: string; id: string }[];
  campaignId?: string | null;
}
