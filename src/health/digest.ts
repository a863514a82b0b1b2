/**
 * The weekly co-sell health digest (opt-in): the report of the last 7 days, mailed to the
 * operators through Graph. Sent once per ISO week: the week sent is kept in the store, so a
 * restart or a second instance does not send it again.
 */
import type { Notifier } from '../../connectors/types.js';
import type { HealthReport } from './report.js';
import { isoWeekOf } from './periods.js';
import { renderReportText, hours } from './render-text.js';
import type { StateStore } from '../store/types.js';

const DIGEST_CURSOR = 'health:digest-week';
const WEEK_MS = 7 * 86_400_000;

export const digestSince = (now: Date): string => new Date(now.getTime() - WEEK_MS).toISOString();

export function digestMail(report: HealthReport): { subject: string; body: string } {
  const week = isoWeekOf(report.generatedAt);
  return {
    subject: `Co-sell health ${week}: ${report.inbound.received} inbound, p50 ${hours(report.inbound.p50Hours)}, ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}`,
    body: renderReportText(report),
  };
}

/** Sends this week's digest unless it went already; true when it was sent now. */
export async function sendWeeklyDigest(args: { store: StateStore; mailer: Notifier; report: HealthReport }): Promise<boolean> {
  const week = isoWeekOf(args.report.generatedAt);
  if ((await args.store.getCursor(DIGEST_CURSOR)) === week) return false;
  await args.mailer.notify({ kind: 'healthDigest', ...digestMail(args.report) });
  await args.store.setCursor(DIGEST_CURSOR, week);
  return true;
}
