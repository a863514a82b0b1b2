/**
 * The health report as CSV in long form (section, group, name, metric, value): one file a
 * spreadsheet can pivot, every number of the terminal report in it.
 */
import { stringify } from 'csv-stringify/sync';
import type { HealthReport } from './report.js';

type Row = [section: string, group: string, name: string, metric: string, value: string | number | null];

export function renderReportCsv(report: HealthReport): string {
  const rows: Row[] = [];
  for (const [metric, value] of Object.entries(report.inbound)) rows.push(['inbound', '', '', metric, value]);
  for (const granularity of ['week', 'month'] as const) {
    for (const r of report.responseTimes[granularity]) {
      for (const metric of ['received', 'answered', 'expired', 'awaiting', 'p50Hours', 'p90Hours'] as const) rows.push(['responseTime', granularity, r.period, metric, r[metric]]);
    }
  }
  for (const r of report.acceptance) {
    for (const metric of ['accepted', 'declined', 'expired', 'awaiting', 'acceptRate'] as const) rows.push(['acceptance', r.dimension, r.value, metric, r[metric]]);
  }
  for (const a of report.awaiting) rows.push(['awaiting', a.referralId, a.name, 'respondBy', a.respondBy]);
  for (const f of report.findings) {
    rows.push(['finding', f.rule, f.record, 'why', f.why]);
    rows.push(['finding', f.rule, f.record, 'fix', f.fix]);
  }
  for (const [metric, value] of Object.entries(report.reminders)) rows.push(['reminders', '', '', metric, value]);
  for (const metric of ['registered', 'pending', 'waiting', 'refused'] as const) rows.push(['registrations', '', '', metric, report.registrations[metric]]);
  for (const [status, n] of Object.entries(report.registrations.byStatus)) rows.push(['registrations', 'status', status, 'count', n]);
  return stringify(rows, { header: true, columns: ['section', 'group', 'name', 'metric', 'value'] });
}
