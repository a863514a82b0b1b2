/**
 * Realistic referral content from the seeded random: customers with ISO countries and contacts,
 * partner sellers, co-sell solutions `SOL-<digits>-<ABC>` (Partner Center docs, "Referral resources") and deal values.
 */
import type { Random } from '../shared/random.js';
import { ASSISTANCE_CODES, type WireMember } from './wire-types.js';
import type { JsonObject } from './validation.js';

const STREETS = ['Main Street', 'Harbour Road', 'Market Square', 'Station Avenue', 'Park Lane', 'Innovation Way', 'Rue de la Paix', 'Hauptstraße'];
const SIZES = ['1to50employees', '51to500employees', 'Morethan500employees'] as const;
const PRODUCTS = ['Azure', 'Microsoft365', 'Dynamics365Enterprise', 'PowerBI', 'Teams', 'SQL'] as const;
const CURRENCY_BY_COUNTRY: Readonly<Record<string, string>> = {
  US: 'USD', CA: 'CAD', GB: 'GBP', DE: 'EUR', FR: 'EUR', JP: 'JPY', AU: 'AUD', IN: 'INR', BR: 'BRL',
};
const DEAL_WORDS = ['Cloud migration', 'Data platform', 'Security modernisation', 'Copilot rollout', 'ERP upgrade', 'Analytics', 'Contact centre', 'Landing zone'];

export interface PartnerIdentity {
  organizationId: string;
  organizationName: string;
  domain: string;
  solutions: { id: string; name: string }[];
  sellers: WireMember[];
}

export function makePartnerIdentity(random: Random, organization: { id: string; name: string }): PartnerIdentity {
  const domain = 'partner.example';
  const letters = (): string => Array.from({ length: 3 }, () => String.fromCharCode(65 + random.int(0, 25))).join('');
  const solutions = ['Cloud Accelerator', 'Secure Workplace', 'Insights Hub'].map((name) => ({
    id: `SOL-${random.digits(random.int(5, 7))}-${letters()}`,
    name,
  }));
  const sellers = Array.from({ length: 5 }, () => person(random, domain, 'Account Executive'));
  return { organizationId: organization.id, organizationName: organization.name, domain, solutions, sellers };
}

function person(random: Random, domain: string, title: string): WireMember {
  const { first, last } = random.personName();
  return {
    firstName: first,
    lastName: last,
    email: random.email(first, last, domain),
    phoneNumber: random.phone(),
    title,
    contactPreference: { locale: 'en-us', disableNotifications: false },
  };
}

export function makeCustomer(random: Random): { profile: JsonObject; currency: string } {
  const name = random.companyName();
  const domain = `${name.toLowerCase().replace(/[^a-z]+/g, '-')}.example`;
  const place = random.city();
  const profile = {
    name,
    size: random.pick(SIZES),
    isMatchingComplete: random.bool(0.8),
    address: {
      addressLine1: `${random.int(1, 400)} ${random.pick(STREETS)}`,
      addressLine2: null,
      city: place.city,
      state: place.state === '' ? null : place.state,
      postalCode: place.postalCode,
      region: null,
      country: place.country,
    },
    team: [person(random, domain, random.pick(['CIO', 'IT Director', 'Head of Data', 'Procurement Lead']))],
    ids: random.bool(0.5) ? [{ profileType: 'Duns', id: random.digits(9) }] : [],
  };
  return { profile, currency: CURRENCY_BY_COUNTRY[place.country] ?? 'USD' };
}

/** The content of a deal: what a partner or Microsoft would type in. */
export function makeDealFields(args: {
  random: Random;
  partner: PartnerIdentity;
  closingAfter: Date;
}): JsonObject {
  const { random, partner } = args;
  const { profile, currency } = makeCustomer(random);
  const solution = random.pick(partner.solutions);
  const closing = new Date(args.closingAfter.getTime() + random.int(20, 200) * 86_400_000);
  return {
    name: `${profile.name as string} - ${random.pick(DEAL_WORDS)}`,
    customerProfile: profile,
    details: {
      notes: `Customer is evaluating ${solution.name}.`,
      dealValue: random.int(5, 500) * 1000,
      currency,
      closingDateTime: `${closing.toISOString().slice(0, 10)}T00:00:00Z`,
      customerRequestedContact: random.bool(0.3),
      requirements: {
        industries: [],
        products: [{ id: random.pick(PRODUCTS) }],
        services: [],
        solutions: [{ id: solution.id, name: solution.name, type: 'Name', solutionType: '3P' }],
        offers: [],
        salesPlays: [],
      },
    },
    team: [random.pick(partner.sellers)],
    target: [{ type: 'SolutionProfile', id: solution.id }],
  };
}

export function microsoftInvite(random: Random, notes: string): JsonObject {
  return {
    notes,
    assistanceRequestCode: random.pick(ASSISTANCE_CODES.slice(1)),
    invitedBy: { organizationId: 'msft', organizationName: 'Microsoft' },
  };
}

/** Microsoft's MSX opportunity id, surfaced as "Microsoft CRM Identifier" (Partner Center docs, "Referral resources", `trackingInfo`). */
export function msxId(random: Random): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return `7-${Array.from({ length: 10 }, () => alphabet.charAt(random.int(0, alphabet.length - 1))).join('')}`;
}

/** Partner Center docs, "Referrals FAQ": decline reasons Microsoft shows partners. */
export const DECLINE_REASONS = [
  'No corresponding Microsoft customer record could be found',
  'No Microsoft seller directly manages this customer',
] as const;
