/**
 * The co-sell health report: every metric and finding, computed once from the store, so the
 * terminal report, the status page and the weekly digest show the same numbers (they only
 * render a `HealthReport`). Reading the store is `readHealthData`; the rest is pure.
 */
import type { RegistrationRecord, ReferralFacts, ReminderRecord } from '../store/health-types.js';
import type { ConflictRecord, FailureRecord, Link, LinkState, StateStore } from '../store/types.js';
import { acceptance, type AcceptanceRow } from './acceptance.js';
import { hygieneFindings, type CrmStatusOf, type Finding, type HygieneOptions } from './hygiene.js';
import { hoursToAnswer, responseTimes, type ResponseTimeRow } from './response-times.js';
import { percentile } from './percentile.js';

const DAY_MS = 86_400_000;
/** Links whose deals the findings look at: the ones the sync follows, and the ones held. */
const WATCHED_STATES: readonly LinkState[] = ['linked', 'writeBackPending', 'held'];
const PAGE = 500;

export interface HealthData {
  facts: ReferralFacts[];
  links: Link[];
  openConflicts: ConflictRecord[];
  failures: FailureRecord[];
  reminders: ReminderRecord[];
  registrations: RegistrationRecord[];
  linkedReferralIds: Set<string>;
}

/** Reads what the report needs; links page by page. */
export async function readHealthData(store: StateStore, args: { remindersSince: string }): Promise<HealthData> {
  const links: Link[] = [];
  for (const state of WATCHED_STATES) {
    for (let afterId: string | undefined; ; ) {
      const page = await store.listLinks({ state, limit: PAGE, ...(afterId === undefined ? {} : { afterId }) });
      links.push(...page);
      if (page.length < PAGE) break;
      afterId = page[page.length - 1]?.id;
    }
  }
  const facts = await store.listReferralFacts({});
  const linkedReferralIds = new Set<string>();
  for (let i = 0; i < facts.length; i += PAGE) {
    const found = await store.findLinksByReferralIds(facts.slice(i, i + PAGE).map((f) => f.referralId));
    for (const l of found) if (l.referralId !== null) linkedReferralIds.add(l.referralId);
  }
  return {
    facts,
    links,
    openConflicts: await store.listConflicts({ open: true }),
    failures: await store.listFailures(),
    reminders: await store.listReminders({ since: args.remindersSince }),
    registrations: await store.listRegistrations(),
    linkedReferralIds,
  };
}

export interface AwaitingRow {
  referralId: string;
  name: string;
  respondBy: string;
  daysLeft: number;
}

export interface HealthReport {
  generatedAt: string;
  /** Metrics count referrals received at or after this instant. Findings are as of now. */
  since: string;
  inbound: { received: number; answered: number; expired: number; awaiting: number; p50Hours: number | null; p90Hours: number | null };
  responseTimes: { week: ResponseTimeRow[]; month: ResponseTimeRow[] };
  acceptance: AcceptanceRow[];
  awaiting: AwaitingRow[];
  findings: Finding[];
  reminders: { sent: number; failed: number; skipped: number; toOwner: number; toOperators: number };
  registrations: { registered: number; refused: number; pending: number; waiting: number; byStatus: Record<string, number> };
}

export interface ReportOptions extends HygieneOptions {
  now: string;
  since: string;
  crmStatusOf: CrmStatusOf | null;
}

/** The default period: the last 90 days. */
export const defaultSince = (now: string): string => new Date(Date.parse(now) - 90 * DAY_MS).toISOString();

export function buildHealthReport(data: HealthData, options: ReportOptions): HealthReport {
  const { now, since } = options;
  const sinceMs = Date.parse(since);
  const inPeriod = data.facts.filter((f) => Date.parse(f.receivedAt) >= sinceMs);
  const inbound = inPeriod.filter((f) => f.direction === 'Incoming');
  const hours = inbound.map(hoursToAnswer).filter((h): h is number => h !== null);
  const round = (h: number | null): number | null => (h === null ? null : Math.round(h * 10) / 10);
  const reminders = data.reminders.filter((r) => Date.parse(r.claimedAt) >= sinceMs);
  const byStatus: Record<string, number> = {};
  for (const r of data.registrations) if (r.status !== null) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    generatedAt: now,
    since,
    inbound: {
      received: inbound.length,
      answered: hours.length,
      expired: inbound.filter((f) => f.answer === 'expired').length,
      awaiting: inbound.filter((f) => f.answer === null).length,
      p50Hours: round(percentile(hours, 50)),
      p90Hours: round(percentile(hours, 90)),
    },
    responseTimes: { week: responseTimes(inPeriod, 'week'), month: responseTimes(inPeriod, 'month') },
    acceptance: acceptance(inPeriod),
    awaiting: data.facts
      .filter((f) => f.direction === 'Incoming' && f.answer === null && f.respondBy !== null && Date.parse(f.respondBy) > Date.parse(now))
      .map((f) => ({ referralId: f.referralId, name: f.name, respondBy: f.respondBy as string, daysLeft: Math.floor((Date.parse(f.respondBy as string) - Date.parse(now)) / DAY_MS) }))
      .sort((a, b) => a.respondBy.localeCompare(b.respondBy)),
    findings: hygieneFindings(
      { now, links: data.links, openConflicts: data.openConflicts, failures: data.failures, facts: data.facts, linkedReferralIds: data.linkedReferralIds, crmStatusOf: options.crmStatusOf, registrations: data.registrations },
      { conflictAgeDays: options.conflictAgeDays },
    ),
    reminders: {
      sent: reminders.filter((r) => r.state === 'sent').length,
      failed: reminders.filter((r) => r.state === 'failed').length,
      skipped: reminders.filter((r) => r.state === 'skipped').length,
      toOwner: reminders.filter((r) => r.state === 'sent' && r.recipient === 'owner').length,
      toOperators: reminders.filter((r) => r.state === 'sent' && r.recipient === 'operators').length,
    },
    registrations: {
      registered: data.registrations.filter((r) => r.state === 'registered').length,
      refused: data.registrations.filter((r) => r.state === 'refused').length,
      pending: data.registrations.filter((r) => r.state === 'registering').length,
      waiting: data.registrations.filter((r) => r.state === 'waiting').length,
      byStatus,
    },
  };
}
