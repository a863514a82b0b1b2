/**
 * Deal registrations (Azure IP co-sell) as the service takes them: a won referral gains one with
 * a JSON Patch `add /registrations/-` (operation CreateDealRegistrationByReferralId of the
 * "Partner Center Referrals (Preview)" connector); the service fills its id, date and status, and
 * Microsoft reviews it later. Eligibility as Microsoft Learn "Deal registration" pages state it:
 * the referral is Won and the registration names a solution of the deal.
 */
import { invalidRequest } from './errors.js';
import type { PatchOperation } from './json-patch.js';
import { isObject, type JsonObject } from './validation.js';
import type { WireReferral } from './wire-types.js';

export const REGISTRATION_STATUSES = ['ReviewPending', 'ActionRequired', 'Approved', 'Passed', 'Failed', 'Closed'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** Statuses after which Microsoft's review is over. */
export const FINAL_REGISTRATION_STATUSES: ReadonlySet<string> = new Set(['Approved', 'Passed', 'Failed', 'Closed']);

/** Below this contract value (USD) Microsoft does not approve a registration. */
export const MIN_REGISTRATION_VALUE_USD = 25_000;

const TERMS = ['Perpetual', 'Finite'];
/** Paths under `/registrations/{n}/` a partner may replace; the rest is the service's. */
const EDITABLE = /^(contract\/(startDateTime|endDateTime|signDateTime|term|value|currency)|solutionDetails\/\d+\/.+)$/;

export interface StoredRegistration extends JsonObject {
  id: string;
  type: string;
  registrationDateTime: string;
  status: RegistrationStatus;
  statusReason: string | null;
  contract: JsonObject;
  solutionDetails: JsonObject[];
  statusHistory: Record<string, string>;
}

export const touchesRegistrations = (op: PatchOperation): boolean => op.path[0] === 'registrations';

/**
 * Checks the registration operations of a patch against `current` and gives them back with the
 * service's fields filled in for each new registration. Other operations pass unchanged.
 */
export function prepareRegistrationOps(args: { current: WireReferral; operations: readonly PatchOperation[]; now: string; newId: () => string }): PatchOperation[] {
  const { current } = args;
  return args.operations.map((op) => {
    if (!touchesRegistrations(op)) return op;
    const pointer = `/${op.path.join('/')}`;
    if (op.op === 'add' && op.path.length === 2 && op.path[1] === '-') {
      if (current.substatus !== 'Won') throw invalidRequest(`Only a won referral can be registered; this one is ${current.status}/${current.substatus}`, 'registrations');
      return { ...op, value: newRegistration({ value: op.value, referral: current, now: args.now, id: args.newId() }) };
    }
    // A full replace (legacy PUT) sends back the registrations it read: unchanged, they pass.
    if (op.op === 'replace' && op.path.length === 1 && JSON.stringify(op.value) === JSON.stringify(registrationsOf(current))) return op;
    if (op.op === 'replace' && op.path.length >= 3 && /^\d+$/.test(op.path[1] ?? '') && EDITABLE.test(op.path.slice(2).join('/'))) return op;
    throw invalidRequest(`'${pointer}' cannot be changed: add a registration with /registrations/- or replace its contract and solution details`, pointer);
  });
}

function newRegistration(args: { value: unknown; referral: WireReferral; now: string; id: string }): StoredRegistration {
  const { value, referral } = args;
  if (!isObject(value)) throw invalidRequest('A registration must be an object', 'registrations');
  if (value.type !== 'AzureIPCoSell') throw invalidRequest("A registration's type must be AzureIPCoSell", 'registrations.type');
  const contract = value.contract;
  if (!isObject(contract)) throw invalidRequest("A registration needs its 'contract'", 'registrations.contract');
  for (const key of ['startDateTime', 'endDateTime', 'signDateTime'] as const) {
    const date = contract[key];
    if (typeof date !== 'string' || Number.isNaN(Date.parse(date))) throw invalidRequest(`'contract.${key}' must be a date`, `registrations.contract.${key}`);
  }
  if (Date.parse(String(contract.endDateTime)) < Date.parse(String(contract.startDateTime))) {
    throw invalidRequest("'contract.endDateTime' is before 'contract.startDateTime'", 'registrations.contract.endDateTime');
  }
  if (!TERMS.includes(String(contract.term))) throw invalidRequest("'contract.term' must be Perpetual or Finite", 'registrations.contract.term');
  if (typeof contract.value !== 'number' || !(contract.value >= 0)) throw invalidRequest("'contract.value' must be a number", 'registrations.contract.value');
  const details = value.solutionDetails;
  if (!Array.isArray(details) || details.length === 0 || !details.every(isObject)) {
    throw invalidRequest("A registration needs at least one of the deal's solutions in 'solutionDetails'", 'registrations.solutionDetails');
  }
  const onDeal = new Set((referral.details.requirements?.solutions ?? []).map((s) => s.id));
  for (const detail of details as JsonObject[]) {
    if (typeof detail.id !== 'string' || !onDeal.has(detail.id)) {
      throw invalidRequest(`Solution '${String(detail.id)}' is not on the deal`, 'registrations.solutionDetails.id');
    }
  }
  return {
    ...value,
    id: args.id,
    type: 'AzureIPCoSell',
    registrationDateTime: args.now,
    status: 'ReviewPending',
    statusReason: null,
    contract,
    solutionDetails: details as JsonObject[],
    statusHistory: { reviewPendingDateTime: args.now },
  };
}

/** The registrations stored on a referral (none on a referral made before they existed). */
export const registrationsOf = (referral: WireReferral): StoredRegistration[] =>
  Array.isArray(referral['registrations']) ? (referral['registrations'] as StoredRegistration[]) : [];

/** Microsoft's review as the simulation plays it: approved at the minimum value or above, else failed. */
export function reviewOutcome(registration: StoredRegistration): { status: RegistrationStatus; reason: string | null } {
  const value = registration.contract['value'];
  const currency = registration.contract['currency'] ?? 'USD';
  // The emulator knows no exchange rates: a contract in another currency is taken at face value.
  return typeof value === 'number' && value >= MIN_REGISTRATION_VALUE_USD
    ? { status: 'Approved', reason: null }
    : { status: 'Failed', reason: `The contract value is below USD ${MIN_REGISTRATION_VALUE_USD.toLocaleString('en-US')} (${String(value)} ${String(currency)})` };
}

/** Sets a registration's status as Microsoft's review does, stamping its history. */
export function setRegistrationStatus(registration: StoredRegistration, status: RegistrationStatus, reason: string | null, at: string): void {
  registration.status = status;
  registration.statusReason = reason;
  registration.statusHistory = { ...registration.statusHistory, [`${status.charAt(0).toLowerCase()}${status.slice(1)}DateTime`]: at };
}
