/**
 * The health report as terminal text (`cosell-sync report`, and the weekly digest's body): plain
 * aligned tables, no colour, so it reads the same in a terminal, a mail and a log.
 */
import { FINDING_RULES } from './hygiene.js';
import type { HealthReport } from './report.js';
import type { ResponseTimeRow } from './response-times.js';

/** Aligned columns; numbers right-aligned. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '  (none)\n';
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.every((r) => /^[-\d.,%h ]*$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]) =>
    `  ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return `${[line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}\n`;
}

export const hours = (h: number | null): string => (h === null ? '-' : `${h.toFixed(1)}h`);
export const rate = (r: number | null): string => (r === null ? '-' : `${Math.round(r * 100)}%`);

const responseRows = (rows: readonly ResponseTimeRow[]) => rows.map((r) => [r.period, String(r.received), String(r.answered), String(r.expired), String(r.awaiting), hours(r.p50Hours), hours(r.p90Hours)]);
const RESPONSE_HEADERS = ['period', 'received', 'answered', 'expired', 'awaiting', 'p50', 'p90'];

export function renderReportText(report: HealthReport): string {
  const { inbound } = report;
  const parts = [
    `Co-sell health since ${report.since.slice(0, 10)} (as of ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC)\n`,
    `Inbound referrals: ${inbound.received} received, ${inbound.answered} answered, ${inbound.expired} expired unanswered, ${inbound.awaiting} awaiting an answer\n`,
    `Response time: p50 ${hours(inbound.p50Hours)}, p90 ${hours(inbound.p90Hours)}\n`,
    '\nResponse time by week\n',
    textTable(RESPONSE_HEADERS, responseRows(report.responseTimes.week)),
    '\nResponse time by month\n',
    textTable(RESPONSE_HEADERS, responseRows(report.responseTimes.month)),
    '\nAccepted, declined, expired\n',
    textTable(
      ['by', 'value', 'accepted', 'declined', 'expired', 'awaiting', 'accept rate'],
      report.acceptance.map((r) => [r.dimension, r.value, String(r.accepted), String(r.declined), String(r.expired), String(r.awaiting), rate(r.acceptRate)]),
    ),
    `\nAwaiting an answer (${report.awaiting.length})\n`,
    textTable(['referral', 'deal', 'respond by', 'days left'], report.awaiting.map((a) => [a.referralId, a.name, a.respondBy.slice(0, 16).replace('T', ' '), String(a.daysLeft)])),
    `\nFindings (${report.findings.length})\n`,
    report.findings.length === 0
      ? '  (none)\n'
      : report.findings.map((f) => `  [${FINDING_RULES[f.rule]}] ${f.record}${f.name ? ` "${f.name}"` : ''}\n    why: ${f.why}\n    fix: ${f.fix}\n`).join(''),
    `\nReminders: ${report.reminders.sent} sent (${report.reminders.toOwner} to owners, ${report.reminders.toOperators} to operators), ${report.reminders.failed} failed, ${report.reminders.skipped} skipped\n`,
    `Deal registrations: ${report.registrations.registered} registered, ${report.registrations.pending} in progress, ${report.registrations.waiting} waiting for contract fields, ${report.registrations.refused} refused` +
      `${Object.keys(report.registrations.byStatus).length === 0 ? '' : ` (${Object.entries(report.registrations.byStatus).map(([s, n]) => `${s} ${n}`).join(', ')})`}\n`,
  ];
  return parts.join('');
}
