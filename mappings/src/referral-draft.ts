/**
 * Canonical values -> the referral draft Partner Center creates. The deal type decides type,
 * visibility and the invitation (Partner Center docs, "Create a referral"); rules marked `required` and the fields
 * Partner Center itself insists on (name, customer name and country) are checked first, so a
 * create is never tried without them.
 */
import type { CustomerId, DealType, Member, ReferralDraft, Solution } from '../../src/domain/referral.js';
import { err, ok, type Result } from '../../src/domain/result.js';
import { checkCanonical } from './canonical-values.js';
import type { CompiledObject } from './compile.js';
import { parseStatusPair, REFERRAL_PATHS } from './referral-paths.js';
import type { CanonicalValue, FieldProblem, FieldSet } from './types.js';

/** Partner Center rejects a create without these ("Create a referral": the country is required). */
const ALWAYS_REQUIRED = ['name', 'customerProfile.name', 'customerProfile.address.country'] as const;
/** Sent when the CRM has no status rule: the create example in "Create a referral". */
const DEFAULT_CREATE_STATUS = 'New/Pending';

type Obj = { [k: string]: CanonicalValue };
const isObj = (v: CanonicalValue): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strOrNull = (v: CanonicalValue | undefined): string | null => (typeof v === 'string' ? v : null);

export const toMember = (m: Obj): Member => ({
  firstName: strOrNull(m['firstName']),
  lastName: strOrNull(m['lastName']),
  email: strOrNull(m['email']),
  phoneNumber: strOrNull(m['phoneNumber']),
  title: strOrNull(m['title']),
});

export const toSolution = (s: Obj): Solution => ({
  id: strOrNull(s['id']) ?? '',
  name: strOrNull(s['name']),
  type: s['type'] === 'None' || s['type'] === 'Category' || s['type'] === 'Name' ? s['type'] : null,
});

const blank = (v: CanonicalValue | undefined): boolean =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

export function toReferralDraft(
  object: CompiledObject,
  args: { values: FieldSet; externalReferenceId: string; dealType: DealType },
): Result<ReferralDraft, FieldProblem[]> {
  const { dealType } = args;
  const problems: FieldProblem[] = [];
  const defaults = new Map(object.rules.filter((r) => r.defaultValue !== undefined).map((r) => [r.info.path, r.defaultValue]));
  const crmFieldOf = (path: string): string | null => object.rules.find((r) => r.info.path === path)?.info.crmField ?? null;
  const value = (path: string): CanonicalValue | undefined => {
    const v = args.values[path];
    return blank(v) && defaults.has(path) ? defaults.get(path) : v;
  };
  for (const [path, v] of Object.entries(args.values)) {
    const known = REFERRAL_PATHS[path];
    const bad = known ? checkCanonical(known.type, v) : null;
    if (bad) problems.push({ path, crmField: crmFieldOf(path), message: bad });
  }
  const required = new Set<string>(ALWAYS_REQUIRED);
  for (const r of object.rules) {
    if (r.required === 'always' || (r.required === 'coSell' && dealType.kind === 'coSell')) required.add(r.info.path);
  }
  for (const path of required) {
    if (blank(value(path))) {
      const why = dealType.kind === 'coSell' && !ALWAYS_REQUIRED.includes(path as (typeof ALWAYS_REQUIRED)[number]) ? ' for a co-sell' : '';
      problems.push({ path, crmField: crmFieldOf(path), message: `required${why}: '${path}' has no value` });
    }
  }
  if (problems.length > 0) return err(problems);

  const s = (path: string): string | null => strOrNull(value(path));
  const n = (path: string): number | null => {
    const v = value(path);
    return typeof v === 'number' ? v : null;
  };
  const b = (path: string): boolean | null => {
    const v = value(path);
    return typeof v === 'boolean' ? v : null;
  };
  const people = (path: string): Member[] => {
    const v = value(path);
    return Array.isArray(v) ? v.filter(isObj).map(toMember) : [];
  };
  const pair = parseStatusPair(s('status') ?? DEFAULT_CREATE_STATUS) ?? { status: 'New' as const, substatus: 'Pending' as const };
  const solutions = ((): Solution[] => {
    const v = value('details.solutions');
    return Array.isArray(v) ? v.filter(isObj).map(toSolution) : [];
  })();
  const duns = s('customerProfile.duns');
  const ids: CustomerId[] = duns ? [{ profileType: 'Duns', id: duns }] : [];
  const shared = dealType.kind !== 'private';
  const firstSolution = solutions[0];

  return ok({
    name: s('name') ?? '',
    externalReferenceId: args.externalReferenceId,
    status: pair.status,
    substatus: pair.substatus,
    statusReason: s('statusReason'),
    type: dealType.kind === 'coSell' ? 'Shared' : 'Independent',
    // Partner-created deals carry SalesQualified ("Referral resources", ReferralQualification).
    qualification: 'SalesQualified',
    customerProfile: {
      name: s('customerProfile.name'),
      size: s('customerProfile.size'),
      address: {
        addressLine1: s('customerProfile.address.addressLine1'),
        addressLine2: s('customerProfile.address.addressLine2'),
        city: s('customerProfile.address.city'),
        state: s('customerProfile.address.state'),
        postalCode: s('customerProfile.address.postalCode'),
        region: s('customerProfile.address.region'),
        country: s('customerProfile.address.country'),
      },
      team: people('customerProfile.team'),
      ids,
    },
    consent: {
      // Partner-led and co-sell deals are visible to Microsoft sellers by definition ("Create a referral";
      // the docs show only the private example, so partner-led as Independent with this consent is our reading).
      consentToShareReferralWithMicrosoftSellers: shared || b('consent.consentToShareReferralWithMicrosoftSellers') === true,
      consentToContact: b('consent.consentToContact') ?? false,
      consentToToShareInfoWithOthers: b('consent.consentToToShareInfoWithOthers') ?? false,
    },
    details: {
      notes: s('details.notes'),
      dealValue: n('details.dealValue'),
      currency: s('details.currency'),
      closingDateTime: s('details.closingDateTime'),
      solutions,
    },
    team: people('team'),
    inviteContext:
      dealType.kind === 'coSell'
        ? { notes: dealType.notes ?? s('inviteContext.notes'), assistanceRequestCode: dealType.help, invitedBy: null }
        : null,
    target: dealType.kind === 'coSell' && firstSolution ? [{ type: 'SolutionProfile', id: firstSolution.id }] : [],
    campaignId: s('campaignId'),
  });
}
