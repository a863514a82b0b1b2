/**
 * Checks a create body the way the service does (Partner Center docs, "Create a referral", "Referrals API response codes"): required fields, enums and
 * the 2-letter country. Failures are 400 invalidRequest with the field as `target`.
 */
import { invalidRequest } from './errors.js';
import { isValidPair } from './lifecycle.js';
import {
  ASSISTANCE_CODES,
  QUALIFICATIONS,
  REFERRAL_TYPES,
  TARGET_TYPES,
  type WireConsent,
  type WireCustomerProfile,
  type WireDetails,
  type WireInviteContext,
  type WireMember,
  type WireTarget,
} from './wire-types.js';

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireObject(value: unknown, target: string): JsonObject {
  if (!isObject(value)) throw invalidRequest(`'${target}' is required and must be an object`, target);
  return value;
}

function requireString(value: unknown, target: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidRequest(`'${target}' is required`, target);
  return value;
}

function optionalString(value: unknown, target: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalidRequest(`'${target}' must be a string`, target);
  return value;
}

function oneOf(value: unknown, allowed: readonly string[], target: string): string {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw invalidRequest(`'${target}' must be one of ${allowed.join(', ')}`, target);
  }
  return value;
}

/** Partner Center docs, "Referral resources": ISO 3166-1 alpha-2 and mandatory. */
export function checkCountry(value: unknown, target = 'customerProfile.address.country'): string {
  if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value)) {
    throw invalidRequest(`'${target}' is required and must be an ISO 3166-1 alpha-2 code`, target);
  }
  return value;
}

export function checkMembers(value: unknown, target: string): WireMember[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidRequest(`'${target}' must be an array`, target);
  return value.map((member, index) => checkMember(member, `${target}[${index}]`));
}

export function checkMember(value: unknown, target: string): WireMember {
  const member = requireObject(value, target);
  for (const key of ['firstName', 'lastName', 'email', 'phoneNumber', 'title']) optionalString(member[key], `${target}.${key}`);
  return member as WireMember;
}

export function checkCustomerProfile(value: unknown): WireCustomerProfile {
  const profile = requireObject(value, 'customerProfile');
  requireString(profile.name, 'customerProfile.name');
  const address = requireObject(profile.address, 'customerProfile.address');
  checkCountry(address.country);
  const team = checkMembers(profile.team, 'customerProfile.team');
  return { ...profile, address, team } as unknown as WireCustomerProfile;
}

export function checkConsent(value: unknown): WireConsent {
  const consent = requireObject(value, 'consent');
  for (const key of ['consentToToShareInfoWithOthers', 'consentToContact', 'consentToShareReferralWithMicrosoftSellers']) {
    const flag = consent[key];
    if (flag !== undefined && typeof flag !== 'boolean') throw invalidRequest(`'consent.${key}' must be a boolean`, `consent.${key}`);
  }
  return {
    ...consent,
    consentToToShareInfoWithOthers: consent.consentToToShareInfoWithOthers === true,
    consentToContact: consent.consentToContact === true,
    consentToShareReferralWithMicrosoftSellers: consent.consentToShareReferralWithMicrosoftSellers === true,
  } as WireConsent;
}

export function checkDetails(value: unknown): WireDetails {
  const details = requireObject(value, 'details');
  const dealValue = details.dealValue;
  // The "Update a referral" sample sends dealValue as a string, which the service accepts.
  const numeric = typeof dealValue === 'string' && dealValue.trim() !== '' ? Number(dealValue) : dealValue;
  if (numeric !== undefined && numeric !== null && (typeof numeric !== 'number' || !Number.isFinite(numeric))) {
    throw invalidRequest("'details.dealValue' must be a number", 'details.dealValue');
  }
  if (details.currency !== undefined && details.currency !== null && !/^[A-Z]{3}$/.test(String(details.currency))) {
    throw invalidRequest("'details.currency' must be an ISO 4217 code", 'details.currency');
  }
  return numeric === undefined ? (details as WireDetails) : ({ ...details, dealValue: numeric } as WireDetails);
}

export function checkTargets(value: unknown): WireTarget[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidRequest("'target' must be an array", 'target');
  return value.map((item, index) => {
    const target = requireObject(item, `target[${index}]`);
    return {
      type: oneOf(target.type, TARGET_TYPES, `target[${index}].type`),
      id: requireString(target.id, `target[${index}].id`),
    };
  });
}

export function checkInviteContext(value: unknown): WireInviteContext | null {
  if (value === undefined || value === null) return null;
  const context = requireObject(value, 'inviteContext');
  if (context.assistanceRequestCode !== undefined && context.assistanceRequestCode !== null) {
    oneOf(context.assistanceRequestCode, ASSISTANCE_CODES, 'inviteContext.assistanceRequestCode');
  }
  return context as WireInviteContext;
}

/** The fields of a create body the emulator keeps, validated (Partner Center docs, "Create a referral"). */
export function checkCreateBody(body: unknown): JsonObject & {
  name: string;
  type: string;
  qualification: string;
  customerProfile: WireCustomerProfile;
  consent: WireConsent;
  details: WireDetails;
  team: WireMember[];
  target: WireTarget[];
  inviteContext: WireInviteContext | null;
  externalReferenceId: string | null;
} {
  const input = requireObject(body, 'referral');
  if (input.status !== undefined || input.substatus !== undefined) {
    if (!isValidPair(String(input.status), String(input.substatus))) {
      throw invalidRequest(`Substatus '${String(input.substatus)}' is not valid with status '${String(input.status)}'`, 'substatus');
    }
  }
  return {
    ...input,
    name: requireString(input.name, 'name'),
    type: oneOf(input.type, REFERRAL_TYPES, 'type'),
    qualification: input.qualification === undefined ? 'SalesQualified' : oneOf(input.qualification, QUALIFICATIONS, 'qualification'),
    customerProfile: checkCustomerProfile(input.customerProfile),
    consent: checkConsent(input.consent),
    details: checkDetails(input.details),
    team: checkMembers(input.team, 'team'),
    target: checkTargets(input.target),
    inviteContext: checkInviteContext(input.inviteContext),
    externalReferenceId: optionalString(input.externalReferenceId, 'externalReferenceId'),
  };
}
