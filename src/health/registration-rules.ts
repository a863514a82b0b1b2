/**
 * Deal registration of won deals, as pure decisions: which linked deal is a candidate, what
 * Partner Center already holds, and the registration built from the CRM's contract fields.
 * Microsoft Learn, "Azure IP co-sell deal registration": a deal is registered once it is won, with
 * an Azure IP co-sell eligible solution, shared with Microsoft (partner-led or co-sell); the
 * registration carries the contract (start, end and sign dates, term Perpetual or Finite, value)
 * and the solution details. Operation CreateDealRegistrationByReferralId of the "Partner Center
 * Referrals (Preview)" connector adds it with JSON Patch `add /registrations/-`.
 */
import type { FieldValue } from '../domain/crm-record.js';
import type { DealRegistration, Referral } from '../domain/referral.js';
import type { Result } from '../domain/result.js';
import type { MappingHealth } from '../../mappings/index.js';
import type { RegistrationRecord } from '../store/health-types.js';

export const REGISTRATION_TYPE = 'AzureIPCoSell';

/** Statuses after which Microsoft's review is over: nothing more to read back. */
export const FINAL_STATUSES: ReadonlySet<string> = new Set(['Approved', 'Passed', 'Failed', 'Closed']);

export type ContractFields = NonNullable<MappingHealth['registration']>;

/** The solution ids a link's last synced snapshot holds (`details.solutions`). */
export function solutionIdsOf(snapshot: Record<string, unknown>): string[] {
  const solutions = snapshot['details.solutions'];
  if (!Array.isArray(solutions)) return [];
  return solutions.flatMap((s) => (typeof s === 'object' && s !== null && typeof (s as { id?: unknown }).id === 'string' ? [(s as { id: string }).id] : []));
}

/** What to do with a linked deal on this run, from the store alone (no API call). */
export type CandidateStep = 'register' | 'refresh' | 'none';

export function candidateStep(args: { snapshot: Record<string, unknown>; eligible: ReadonlySet<string>; record: RegistrationRecord | null }): CandidateStep {
  const { record } = args;
  if (record !== null) {
    if (record.state === 'refused') return 'none';
    if (record.state === 'registered') return record.status !== null && FINAL_STATUSES.has(record.status) && record.statusInCrm === record.status ? 'none' : 'refresh';
    // `registering`: a run stopped between claiming and saving; `waiting`: contract fields were missing.
    return 'register';
  }
  if (args.snapshot['status'] !== 'Closed/Won') return 'none';
  return solutionIdsOf(args.snapshot).some((id) => args.eligible.has(id)) ? 'register' : 'none';
}

/** The registration Partner Center already holds for the deal (one added earlier, maybe by a run that died). */
export const existingRegistration = (referral: Pick<Referral, 'registrations'>): DealRegistration | null =>
  referral.registrations.find((r) => r.type === null || r.type === REGISTRATION_TYPE) ?? null;

/** Why Partner Center would not take a registration for this referral now; null when it would. */
export function notEligible(referral: Referral, eligible: ReadonlySet<string>): string | null {
  if (referral.substatus !== 'Won') return `the referral is ${referral.status}/${referral.substatus}, not won`;
  if (!referral.consent.consentToShareReferralWithMicrosoftSellers) return 'a private deal (not shared with Microsoft sellers) cannot be registered';
  if (!referral.details.solutions.some((s) => eligible.has(s.id))) return 'no Azure IP co-sell eligible solution (health.registrations.solutions) on the deal';
  return null;
}

export interface RegistrationValue {
  type: typeof REGISTRATION_TYPE;
  solutionDetails: { id: string; value: number; currency: string | null }[];
  contract: { value: number; currency: string | null; startDateTime: string; endDateTime: string; signDateTime: string; term: 'Perpetual' | 'Finite' };
}

/** A CRM date or date-time as Partner Center's UTC ISO-8601; null when it is not one. */
function utc(value: FieldValue | undefined): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * The registration for a won deal from its CRM record's contract fields: every missing or
 * malformed field is named, so the fix says which field to fill.
 */
export function registrationFrom(args: { referral: Referral; eligible: ReadonlySet<string>; fields: ContractFields; record: Record<string, FieldValue> }): Result<RegistrationValue, string[]> {
  const { fields, record, referral } = args;
  const problems: string[] = [];
  const date = (field: string): string => {
    const value = utc(record[field]);
    if (value === null) problems.push(`${field} (a date) has no value`);
    return value ?? '';
  };
  const startDateTime = date(fields.startDate);
  const endDateTime = date(fields.endDate);
  const signDateTime = date(fields.signDate);
  if (startDateTime !== '' && endDateTime !== '' && endDateTime < startDateTime) problems.push(`${fields.endDate} is before ${fields.startDate}`);
  const rawValue = record[fields.value];
  const value = typeof rawValue === 'number' ? rawValue : typeof rawValue === 'string' && rawValue.trim() !== '' ? Number(rawValue) : Number.NaN;
  if (!(value >= 0)) problems.push(`${fields.value} (the contract value) has no value`);
  const rawTerm = fields.term === null ? 'Finite' : record[fields.term];
  const term = rawTerm === 'Perpetual' || rawTerm === 'Finite' ? rawTerm : null;
  if (term === null) problems.push(`${fields.term ?? 'term'} must be Perpetual or Finite`);
  if (problems.length > 0 || term === null) return { ok: false, error: problems };
  const currency = referral.details.currency;
  return {
    ok: true,
    value: {
      type: REGISTRATION_TYPE,
      solutionDetails: referral.details.solutions.filter((s) => args.eligible.has(s.id)).map((s) => ({ id: s.id, value, currency })),
      contract: { value, currency, startDateTime, endDateTime, signDateTime, term },
    },
  };
}
