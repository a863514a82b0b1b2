/**
 * Keep deals current: hygiene findings computed from what the store knows (links and their last
 * synced values, held conflicts, failed records, referral facts). Each finding names the record,
 * why it is a finding, and the fix. The rules are a table; each is a pure function of the inputs.
 */
import type { CrmObjectKind, CrmSystem } from '../domain/crm-record.js';
import type { ReferralFacts, RegistrationRecord } from '../store/health-types.js';
import type { ConflictRecord, FailureRecord, Link } from '../store/types.js';

const DAY_MS = 86_400_000;

export const FINDING_RULES = {
  closeDatePassed: 'close date passed, referral still open',
  closedInCrmOnly: 'won or lost in the CRM, referral still open',
  valuesDiffer: 'value or close date differs between the systems',
  neverBecameReferral: 'flagged for co-sell, never became a referral',
  acceptedNotLinked: 'accepted in Partner Center, not in the CRM',
  registrationWaiting: 'won, deal registration waits for the contract',
} as const;
export type FindingRule = keyof typeof FINDING_RULES;

export interface Finding {
  rule: FindingRule;
  /** The record as an operator finds it: `salesforce opportunity 006…`, `referral 1b2c…`. */
  record: string;
  /** The deal's name when known. */
  name: string | null;
  why: string;
  fix: string;
  /** Since when it has been so, when known (ISO-8601). */
  since: string | null;
}

/** What the CRM record says its status is (`Closed/Won`...), through the mapping; null when it cannot tell. */
export type CrmStatusOf = (args: { system: CrmSystem; kind: CrmObjectKind; id: string; fields: Record<string, unknown> }) => string | null;

export interface HygieneInputs {
  now: string;
  /** Links the sync follows (linked, writeBackPending, held). */
  links: readonly Link[];
  openConflicts: readonly ConflictRecord[];
  failures: readonly FailureRecord[];
  /** Every referral fact (inbound referrals and outgoing ones made by hand in Partner Center). */
  facts: readonly ReferralFacts[];
  /** Referral ids some link points at (the partner's own or Microsoft's side). */
  linkedReferralIds: ReadonlySet<string>;
  crmStatusOf: CrmStatusOf | null;
  /** Deal registrations of won deals, as the registration runs left them. */
  registrations: readonly RegistrationRecord[];
}

export interface HygieneOptions {
  /** A held value or close date conflict older than this many days is a finding. */
  conflictAgeDays: number;
}

const CLOSE_DATE = 'details.closingDateTime';
const DEAL_VALUE = 'details.dealValue';
const isOpen = (status: unknown): boolean => typeof status === 'string' && (status.startsWith('New/') || status.startsWith('Active/'));
const isClosedDeal = (status: unknown): status is string => status === 'Closed/Won' || status === 'Closed/Lost';
const recordOf = (l: Link): string => `${l.crmSystem} ${l.crmKind} ${l.crmId ?? '(not yet created)'}`;
const nameOf = (l: Link): string | null => (typeof l.snapshot['name'] === 'string' ? l.snapshot['name'] : null);
const crmKeyOf = (l: Link): string | null => (l.crmId === null ? null : `${l.crmSystem}:${l.crmKind}:${l.crmId}`);
const day = (iso: string): string => iso.slice(0, 10);

type Rule = (inputs: HygieneInputs, options: HygieneOptions) => Finding[];

const closeDatePassed: Rule = ({ now, links }) =>
  links.flatMap((l) => {
    const close = l.snapshot[CLOSE_DATE];
    if (typeof close !== 'string' || !isOpen(l.snapshot['status']) || Date.parse(close) >= Date.parse(now)) return [];
    return [
      {
        rule: 'closeDatePassed' as const,
        record: `${recordOf(l)} (referral ${l.referralId ?? '-'})`,
        name: nameOf(l),
        why: `its close date ${day(close)} has passed and the referral is still ${String(l.snapshot['status'])}`,
        fix: 'move the close date in the CRM, or mark the deal won or lost; the sync carries it to Partner Center',
        since: close,
      },
    ];
  });

const closedInCrmOnly: Rule = ({ links, openConflicts, failures, crmStatusOf }) => {
  const linkById = new Map(links.map((l) => [l.id, l]));
  const heldLinks = new Set<string>();
  const held = openConflicts.flatMap((c) => {
    const l = linkById.get(c.linkId);
    if (c.path !== 'status' || l === undefined || !isClosedDeal(c.crmValue) || isClosedDeal(c.partnerCenterValue)) return [];
    heldLinks.add(l.id);
    return [
      {
        rule: 'closedInCrmOnly' as const,
        record: `${recordOf(l)} (referral ${l.referralId ?? '-'})`,
        name: nameOf(l),
        why: `${c.crmValue.slice(7)} in the CRM while Partner Center says ${String(c.partnerCenterValue)}: a conflict is held for a person`,
        fix: `resolve conflict ${c.id} (cosell-sync conflicts resolve ${c.id} --crm)`,
        since: c.createdAt,
      },
    ];
  });
  const linkByKey = new Map(links.flatMap((l) => (crmKeyOf(l) === null ? [] : [[crmKeyOf(l) as string, l] as const])));
  const failed = failures.flatMap((f) => {
    const l = linkByKey.get(f.key);
    if (l === undefined || l.crmId === null || crmStatusOf === null || !isOpen(l.snapshot['status'])) return [];
    const fields = payloadFields(f.payload);
    const status = fields === null ? null : crmStatusOf({ system: l.crmSystem, kind: l.crmKind, id: l.crmId, fields });
    if (!isClosedDeal(status) || heldLinks.has(l.id)) return [];
    return [
      {
        rule: 'closedInCrmOnly' as const,
        record: `${recordOf(l)} (referral ${l.referralId ?? '-'})`,
        name: nameOf(l),
        why: `${status.slice(7)} in the CRM, but the sync failed to carry it (${f.attempts} attempt${f.attempts === 1 ? '' : 's'}): ${f.reason}`,
        fix: `fix what the reason says, then cosell-sync failures retry ${f.key}`,
        since: f.firstFailedAt,
      },
    ];
  });
  return [...held, ...failed];
};

const valuesDiffer: Rule = ({ now, links, openConflicts }, { conflictAgeDays }) => {
  const linkById = new Map(links.map((l) => [l.id, l]));
  return openConflicts.flatMap((c) => {
    const l = linkById.get(c.linkId);
    const ageDays = (Date.parse(now) - Date.parse(c.createdAt)) / DAY_MS;
    if ((c.path !== DEAL_VALUE && c.path !== CLOSE_DATE) || l === undefined || ageDays <= conflictAgeDays) return [];
    const what = c.path === DEAL_VALUE ? 'value' : 'close date';
    return [
      {
        rule: 'valuesDiffer' as const,
        record: `${recordOf(l)} (referral ${l.referralId ?? '-'})`,
        name: nameOf(l),
        why: `the ${what} is ${show(c.crmValue)} in the CRM and ${show(c.partnerCenterValue)} in Partner Center, held for ${Math.floor(ageDays)} days`,
        fix: `pick one: cosell-sync conflicts resolve ${c.id} --crm (or --partner-center)`,
        since: c.createdAt,
      },
    ];
  });
};

const neverBecameReferral: Rule = ({ failures, links }) => {
  const referred = new Set(links.filter((l) => l.referralId !== null).flatMap((l) => crmKeyOf(l) ?? []));
  return failures.flatMap((f) => {
    if (f.operation !== 'outbound' || !f.key.includes(':opportunity:') || referred.has(f.key)) return [];
    const problems = payloadProblems(f.payload);
    const [system, kind, id] = f.key.split(':');
    const fields = problems.map((p) => p.crmField ?? p.path);
    return [
      {
        rule: 'neverBecameReferral' as const,
        record: `${system} ${kind} ${id}`,
        name: null,
        why: problems.length > 0 ? problems.map((p) => `${p.crmField ?? p.path}: ${p.message}`).join('; ') : f.reason,
        fix: fields.length > 0 ? `fill ${fields.join(', ')} in the CRM record; the next cycle creates the referral` : `fix what the reason says, then cosell-sync failures retry ${f.key}`,
        since: f.firstFailedAt,
      },
    ];
  });
};

const acceptedNotLinked: Rule = ({ facts, linkedReferralIds }) =>
  facts.flatMap((f) => {
    if (!f.status.startsWith('Active/') || linkedReferralIds.has(f.referralId)) return [];
    const how = f.direction === 'Incoming' ? 'accepted in Partner Center' : 'created by hand in Partner Center';
    return [
      {
        rule: 'acceptedNotLinked' as const,
        record: `referral ${f.referralId}`,
        name: f.name,
        why: `${how}; no CRM record follows it, so its progress is nowhere in the CRM`,
        fix:
          f.direction === 'Incoming'
            ? 'check cosell-sync failures list for why its CRM record was not created (or whether the inbound rules skip it), fix and retry'
            : "create the opportunity in the CRM with this referral's id in its referral id field, so the sync links it",
        since: f.answeredAt ?? f.receivedAt,
      },
    ];
  });

const registrationWaiting: Rule = ({ links, registrations }) => {
  const byReferral = new Map(links.flatMap((l) => (l.referralId === null ? [] : [[l.referralId, l] as const])));
  return registrations.flatMap((r) => {
    if (r.state !== 'waiting') return [];
    const l = byReferral.get(r.referralId);
    return [
      {
        rule: 'registrationWaiting' as const,
        record: l === undefined ? `referral ${r.referralId}` : `${recordOf(l)} (referral ${r.referralId})`,
        name: l === undefined ? null : nameOf(l),
        why: 'won with an Azure IP co-sell eligible solution, but the CRM record lacks its contract, so the deal is not registered',
        fix: `fill the contract in the CRM record (${r.detail ?? 'start, end and sign dates, term, value'}); the next registration run registers the deal`,
        since: r.attemptedAt,
      },
    ];
  });
};

/** The rules, in the order the report shows them. */
export const HYGIENE_RULES: Readonly<Record<FindingRule, Rule>> = { closeDatePassed, closedInCrmOnly, valuesDiffer, neverBecameReferral, acceptedNotLinked, registrationWaiting };

export function hygieneFindings(inputs: HygieneInputs, options: HygieneOptions): Finding[] {
  return (Object.keys(HYGIENE_RULES) as FindingRule[]).flatMap((rule) => HYGIENE_RULES[rule](inputs, options));
}

function show(value: unknown): string {
  return value === null || value === undefined ? 'empty' : typeof value === 'string' ? value.slice(0, 40) : JSON.stringify(value);
}

function payloadFields(payload: unknown): Record<string, unknown> | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const fields = (payload as { fields?: unknown }).fields;
  return typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? (fields as Record<string, unknown>) : null;
}

interface StoredProblem {
  path: string;
  crmField: string | null;
  message: string;
}

/** The field problems an outbound failure stored with its payload (the engine records them). */
function payloadProblems(payload: unknown): StoredProblem[] {
  const raw = typeof payload === 'object' && payload !== null ? (payload as { problems?: unknown }).problems : undefined;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p: unknown) => {
    if (typeof p !== 'object' || p === null) return [];
    const { path, crmField, message } = p as Record<string, unknown>;
    if (typeof path !== 'string' || typeof message !== 'string') return [];
    return [{ path, crmField: typeof crmField === 'string' ? crmField : null, message }];
  });
}
