/**
 * Wire JSON -> canonical Referral. A malformed item becomes a `ConnectorError` of kind `invalid`
 * that names the offending field, so a caller can skip it and carry on with the rest of a page.
 */
import type { z } from 'zod';
import type {
  Address,
  CustomerId,
  InviteContext,
  Member,
  Referral,
  ReferralQualification,
  ReferralStatus,
  ReferralSubstatus,
  Solution,
  Target,
} from '../../src/domain/referral.js';
import { REFERRAL_STATUSES, REFERRAL_SUBSTATUSES } from '../../src/domain/referral.js';
import { ConnectorError } from '../errors.js';
import type { WireReferral } from './wire.js';
import type { wireAddressSchema, wireMemberSchema } from './wire.js';
import { assistanceRequestCodeSchema, wireReferralSchema } from './wire.js';

type WireMember = z.infer<typeof wireMemberSchema>;
type WireAddress = z.infer<typeof wireAddressSchema>;

const orNull = (v: string | null | undefined): string | null => (v === undefined || v === null ? null : v);
const orNullNonEmpty = (v: string | null | undefined): string | null => (v === undefined || v === null || v === '' ? null : v);

const invalid = (field: string, message: string, cause?: unknown): ConnectorError =>
  new ConnectorError({
    kind: 'invalid',
    system: 'partnerCenter',
    vendorCode: 'malformedResponse',
    message: `malformed referral from Partner Center: ${field}: ${message}`,
    ...(cause === undefined ? {} : { cause }),
  });

const toMember = (m: WireMember): Member => ({
  firstName: orNull(m.firstName),
  lastName: orNull(m.lastName),
  email: orNullNonEmpty(m.email),
  phoneNumber: orNullNonEmpty(m.phoneNumber),
  title: orNull(m.title),
});

/** Real data sometimes carries a US or Canadian state in `region` with `state: null`. */
function toAddress(a: WireAddress | null | undefined): Address {
  const country = orNullNonEmpty(a?.country)?.toUpperCase() ?? null;
  const region = orNullNonEmpty(a?.region);
  let state = orNullNonEmpty(a?.state);
  if (state === null && region !== null && (country === 'US' || country === 'CA') && /^[A-Za-z]{2}$/.test(region)) {
    state = region.toUpperCase();
  }
  return {
    addressLine1: orNull(a?.addressLine1),
    addressLine2: orNull(a?.addressLine2),
    city: orNull(a?.city),
    state,
    postalCode: orNullNonEmpty(a?.postalCode),
    region,
    country,
  };
}

function toCustomerIds(ids: readonly { profileType?: string | null | undefined; id?: string | null | undefined }[]): CustomerId[] {
  return ids
    .filter((i): i is { profileType?: string | null | undefined; id: string } => typeof i.id === 'string' && i.id.trim() !== '')
    .map((i) => ({ profileType: i.profileType === 'Duns' ? 'Duns' : 'External', id: i.id.trim() }));
}

function toDealValue(v: number | string | null | undefined): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw invalid('details.dealValue', `not a number: ${JSON.stringify(v).slice(0, 40)}`);
  return n;
}

function toSolutionType(t: string | null | undefined): Solution['type'] {
  return t === 'None' || t === 'Category' || t === 'Name' ? t : null;
}

function toTarget(t: { type: string; id: string }): Target {
  if (t.type !== 'None' && t.type !== 'BusinessProfileLocation' && t.type !== 'SolutionProfile') {
    throw invalid('target.type', `unknown target type ${JSON.stringify(t.type).slice(0, 40)}`);
  }
  return { type: t.type, id: t.id };
}

function toInviteContext(w: WireReferral['inviteContext']): InviteContext | null {
  if (w === undefined || w === null) return null;
  const code = w.assistanceRequestCode;
  const parsedCode = code === undefined || code === null || code === '' ? null : assistanceRequestCodeSchema.safeParse(code);
  return {
    notes: orNull(w.notes),
    // An assistance code newer than our enum (the docs' list may lag the UI's) reads as Unknown, not as a broken item.
    assistanceRequestCode: parsedCode === null ? null : parsedCode.success ? parsedCode.data : 'Unknown',
    invitedBy:
      w.invitedBy === undefined || w.invitedBy === null
        ? null
        : { organizationId: orNullNonEmpty(w.invitedBy.organizationId), organizationName: orNull(w.invitedBy.organizationName) },
  };
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(field, `unexpected value ${JSON.stringify(value).slice(0, 40)}`);
}

const QUALIFICATIONS = ['None', 'Direct', 'MarketingQualified', 'SalesQualified'] as const;

/** Parses one referral from the wire, or throws `invalid` naming the first bad field. */
export function parseReferral(raw: unknown): Referral {
  const parsed = wireReferralSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue ? issue.path.join('.') || '(root)' : '(root)', issue?.message ?? 'unreadable', parsed.error);
  }
  const w = parsed.data;
  const status: ReferralStatus = oneOf('status', w.status, REFERRAL_STATUSES);
  const substatus: ReferralSubstatus = oneOf('substatus', w.substatus, REFERRAL_SUBSTATUSES);
  const qualification: ReferralQualification = oneOf('qualification', w.qualification ?? 'None', QUALIFICATIONS);
  const cp = w.customerProfile;
  return {
    id: w.id,
    engagementId: w.engagementId,
    eTag: w.eTag,
    name: w.name ?? '',
    externalReferenceId: orNullNonEmpty(w.externalReferenceId),
    status,
    substatus,
    statusReason: orNullNonEmpty(w.statusReason),
    type: w.type,
    qualification,
    direction: w.direction,
    customerProfile: {
      name: orNull(cp?.name),
      size: orNullNonEmpty(cp?.size),
      address: toAddress(cp?.address),
      team: (cp?.team ?? []).map(toMember),
      ids: toCustomerIds(cp?.ids ?? []),
    },
    consent: {
      consentToShareReferralWithMicrosoftSellers: w.consent?.consentToShareReferralWithMicrosoftSellers ?? false,
      consentToContact: w.consent?.consentToContact ?? false,
      consentToToShareInfoWithOthers: w.consent?.consentToToShareInfoWithOthers ?? false,
    },
    details: {
      notes: orNull(w.details?.notes),
      dealValue: toDealValue(w.details?.dealValue),
      currency: orNullNonEmpty(w.details?.currency)?.toUpperCase() ?? null,
      closingDateTime: orNullNonEmpty(w.details?.closingDateTime),
      solutions: (w.details?.requirements?.solutions ?? []).map((s) => ({ id: s.id, name: orNull(s.name), type: toSolutionType(s.type) })),
    },
    team: (w.team ?? []).map(toMember),
    inviteContext: toInviteContext(w.inviteContext),
    target: (w.target ?? []).map(toTarget),
    campaignId: orNullNonEmpty(w.campaignId),
    createdDateTime: w.createdDateTime,
    updatedDateTime: w.updatedDateTime,
    expirationDateTime: orNullNonEmpty(w.expirationDateTime),
    acceptedDateTime: orNullNonEmpty(w.acceptedDateTime),
    closedDateTime: orNullNonEmpty(w.closedDateTime),
    microsoftMsxId: orNullNonEmpty(w.trackingInfo?.microsoftMsxId),
    registrations: (w.registrations ?? []).map((r) => ({
      id: orNullNonEmpty(r.id),
      type: orNullNonEmpty(r.type),
      status: orNullNonEmpty(r.status),
      statusReason: orNullNonEmpty(r.statusReason),
      registrationDateTime: orNullNonEmpty(r.registrationDateTime),
    })),
  };
}

/** The id of a raw item, for reporting an item that failed to parse. */
export function rawReferralId(raw: unknown): string | null {
  if (typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string') return raw.id;
  return null;
}
