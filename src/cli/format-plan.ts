/** Plain-text rendering of cycle reports and dry-run plans, for people at a terminal. */
import type { CycleReport, PlannedWrite } from '../engine/types.js';

const show = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.length} item${value.length === 1 ? '' : 's'}]`;
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
};

export function formatPlannedWrite(write: PlannedWrite): string {
  const head = `${write.operation.padEnd(12)} ${write.target.padEnd(13)} ${write.recordKey}${write.note ? `  (${write.note})` : ''}`;
  const fields = Object.entries(write.fields).map(([path, value]) => `    ${path} = ${show(value)}`);
  return [head, ...fields].join('\n');
}

export function formatReport(report: CycleReport, args: { showPlan: boolean }): string {
  const summary = `${report.direction}: read ${report.read}, written ${report.written}, skipped ${report.skipped}, failed ${report.failed}, held ${report.held}`;
  if (!args.showPlan) return summary;
  const plan = report.plan.length === 0 ? ['  nothing to write'] : report.plan.map(formatPlannedWrite);
  return [summary, ...plan].join('\n');
}
