/**
 * The referral paths a rule may name, with their canonical type, how to read them from a
 * referral, and where they live in Partner Center's wire JSON for a PATCH. Built from
 * src/domain/referral.ts; the loader rejects any path not listed here.
 */
import {
  ASSISTANCE_REQUEST_CODES,
  REFERRAL_STATUSES,
  REFERRAL_SUBSTATUSES,
  type Member,
  type Referral,
  type Solution,
} from '../../src/domain/referral.js';
import type { CanonicalValue } from './types.js';

/** The canonical type of a referral path, which a rule's transform must yield. */
export type PathType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'dateTime' }
  | { kind: 'currency' }
  | { kind: 'country' }
  | { kind: 'status' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'members' }
  | { kind: 'solutions' };

/** What the mappings know of one referral path. */
export interface ReferralPath {
  type: PathType;
  /** The value on a referral; undefined when the referral itself does not carry it. */
  read(referral: Referral): CanonicalValue | undefined;
  /** Wire path for a JSON Patch, or null when a partner cannot change it after creation (Partner Center docs, "Update a referral"). */
  patch: string | null;
  /** Filled by Partner Center: a rule may only carry it to the CRM. */
  readOnly: boolean;
}

/** Every status/substatus pair the lifecycle allows (Partner Center docs, "Update a referral"), as 'Status/Substatus'. */
export const STATUS_PAIRS = [
  'New/Pending',
  'New/Received',
  'Active/Accepted',
  'Closed/Won',
  'Closed/Lost',
  'Closed/Declined',
  'Closed/Expired',
] as const;

const RESPOND_WITHIN_DAYS = 14;

/** Members and solutions as canonical objects (the same keys as the domain types). */
export const memberToCanonical = (m: Member): CanonicalValue => ({
  firstName: m.firstName,
  lastName: m.lastName,
  email: m.email,
  phoneNumber: m.phoneNumber,
  title: m.title,
});

export const solutionToCanonical = (s: Solution): CanonicalValue => ({ id: s.id, name: s.name, type: s.type });

const str: PathType = { kind: 'string' };
const entry = (type: PathType, read: (r: Referral) => CanonicalValue | undefined, patch: string | null, readOnly = false): ReferralPath => ({
  type,
  read,
  patch,
  readOnly,
});
const address = (key: keyof Referral['customerProfile']['address'], type: PathType = str): ReferralPath =>
  entry(type, (r) => r.customerProfile.address[key], null);

/** Every referral path a mapping rule may name. */
export const REFERRAL_PATHS: Readonly<Record<string, ReferralPath>> = {
  id: entry(str, (r) => r.id, null, true),
  engagementId: entry(str, (r) => r.engagementId, null, true),
  name: entry(str, (r) => r.name, '/name'),
  externalReferenceId: entry(str, (r) => r.externalReferenceId, '/externalReferenceId'),
  status: entry({ kind: 'status' }, (r) => `${r.status}/${r.substatus}`, '/status'),
  statusReason: entry(str, (r) => r.statusReason, '/statusReason'),
  type: entry({ kind: 'enum', values: ['Independent', 'Shared'] }, (r) => r.type, null),
  qualification: entry(
    { kind: 'enum', values: ['None', 'Direct', 'MarketingQualified', 'SalesQualified'] },
    (r) => r.qualification,
    null,
  ),
  direction: entry({ kind: 'enum', values: ['Incoming', 'Outgoing'] }, (r) => r.direction, null, true),
  campaignId: entry(str, (r) => r.campaignId, '/campaignId'),
  createdDateTime: entry({ kind: 'dateTime' }, (r) => r.createdDateTime, null, true),
  updatedDateTime: entry({ kind: 'dateTime' }, (r) => r.updatedDateTime, null, true),
  expirationDateTime: entry({ kind: 'dateTime' }, (r) => r.expirationDateTime, null, true),
  closedDateTime: entry({ kind: 'dateTime' }, (r) => r.closedDateTime, null, true),
  /**
   * Virtual: when a new inbound referral must be answered (its expiry, else 14 days after
   * creation; "Get a list of referrals"); null once answered or for our own deals.
   */
  respondBy: entry(
    { kind: 'dateTime' },
    (r) =>
      r.direction !== 'Incoming' || r.status !== 'New'
        ? null
        : (r.expirationDateTime ?? new Date(Date.parse(r.createdDateTime) + RESPOND_WITHIN_DAYS * 86_400_000).toISOString()),
    null,
    true,
  ),
  /**
   * Supplied by the engine from Microsoft's referral in the same engagement ('Accepted',
   * 'Declined (reason)', ...); a referral never carries it itself.
   */
  'microsoftSide.status': entry(str, () => undefined, null, true),
  microsoftMsxId: entry(str, (r) => r.microsoftMsxId, null, true),
  'details.notes': entry(str, (r) => r.details.notes, '/details/notes'),
  'details.dealValue': entry({ kind: 'number' }, (r) => r.details.dealValue, '/details/dealValue'),
  'details.currency': entry({ kind: 'currency' }, (r) => r.details.currency, '/details/currency'),
  'details.closingDateTime': entry({ kind: 'dateTime' }, (r) => r.details.closingDateTime, '/details/closingDateTime'),
  // The canonical model flattens the wire's details.requirements.solutions ("Referral resources").
  'details.solutions': entry(
    { kind: 'solutions' },
    (r) => r.details.solutions.map(solutionToCanonical),
    '/details/requirements/solutions',
  ),
  'customerProfile.name': entry(str, (r) => r.customerProfile.name, null),
  'customerProfile.size': entry(str, (r) => r.customerProfile.size, null),
  /** Virtual: the DUNS entry of customerProfile.ids. */
  'customerProfile.duns': entry(str, (r) => r.customerProfile.ids.find((i) => i.profileType === 'Duns')?.id ?? null, null),
  'customerProfile.address.addressLine1': address('addressLine1'),
  'customerProfile.address.addressLine2': address('addressLine2'),
  'customerProfile.address.city': address('city'),
  'customerProfile.address.state': address('state'),
  'customerProfile.address.postalCode': address('postalCode'),
  'customerProfile.address.region': address('region'),
  'customerProfile.address.country': address('country', { kind: 'country' }),
  'customerProfile.team': entry({ kind: 'members' }, (r) => r.customerProfile.team.map(memberToCanonical), null),
  team: entry({ kind: 'members' }, (r) => r.team.map(memberToCanonical), '/team/-'),
  'consent.consentToShareReferralWithMicrosoftSellers': entry(
    { kind: 'boolean' },
    (r) => r.consent.consentToShareReferralWithMicrosoftSellers,
    '/consent/consentToShareReferralWithMicrosoftSellers',
  ),
  'consent.consentToContact': entry({ kind: 'boolean' }, (r) => r.consent.consentToContact, null),
  'consent.consentToToShareInfoWithOthers': entry({ kind: 'boolean' }, (r) => r.consent.consentToToShareInfoWithOthers, null),
  'inviteContext.notes': entry(str, (r) => r.inviteContext?.notes ?? null, null),
  'inviteContext.assistanceRequestCode': entry(
    { kind: 'enum', values: ASSISTANCE_REQUEST_CODES },
    (r) => r.inviteContext?.assistanceRequestCode ?? null,
    null,
  ),
  'inviteContext.invitedBy.organizationId': entry(str, (r) => r.inviteContext?.invitedBy?.organizationId ?? null, null, true),
  'inviteContext.invitedBy.organizationName': entry(
    str,
    (r) => r.inviteContext?.invitedBy?.organizationName ?? null,
    null,
    true,
  ),
};

/** Splits 'Closed/Won' into a pair the domain accepts, or null. */
export function parseStatusPair(value: string): { status: Referral['status']; substatus: Referral['substatus'] } | null {
  if (!(STATUS_PAIRS as readonly string[]).includes(value)) return null;
  const [status, substatus] = value.split('/');
  const s = REFERRAL_STATUSES.find((x) => x === status);
  const sub = REFERRAL_SUBSTATUSES.find((x) => x === substatus);
  return s && sub ? { status: s, substatus: sub } : null;
}

/** The type in words, for problems an admin reads. */
export function describeType(type: PathType): string {
  switch (type.kind) {
    case 'enum':
      return `one of ${type.values.join(', ')}`;
    case 'status':
      return `a status pair (${STATUS_PAIRS.join(', ')})`;
    case 'members':
      return 'a list of people (Member[])';
    case 'solutions':
      return 'a list of solutions (Solution[])';
    case 'dateTime':
      return 'a UTC date-time';
    case 'currency':
      return 'an ISO 4217 currency code';
    case 'country':
      return 'an ISO 3166-1 alpha-2 country code';
    default:
      return `a ${type.kind}`;
  }
}
