/** A preview as text for the terminal: the result JSON, then a table a person can scan. */
import type { DealType } from '../../src/domain/referral.js';
import type { PreviewReport } from './types.js';

const MAX_CELL = 48;

function cell(text: string): string {
  const points = Array.from(text.replace(/\s+/g, ' '));
  return points.length <= MAX_CELL ? points.join('') : `${points.slice(0, MAX_CELL - 1).join('')}…`;
}

const width = (s: string): number => Array.from(s).length;
const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - width(s)));

function dealTypeText(d: DealType | null): string {
  if (!d) return '';
  if (d.kind === 'coSell') return ` (deal type: co-sell, help ${d.help})`;
  return d.kind === 'partnerLed' ? ' (deal type: partner-led)' : ' (deal type: private)';
}

/** Heading, result JSON, a field table (source value | transform | result) and the problems. */
export function formatPreview(report: PreviewReport): string {
  const heading =
    report.target === 'partnerCenter'
      ? `CRM ${report.kind} ${report.sourceId} -> Partner Center referral${dealTypeText(report.dealType)}`
      : `Partner Center referral ${report.sourceId} -> CRM ${report.kind}`;
  const header =
    report.target === 'partnerCenter'
      ? ['CRM field', 'source value', 'transform', 'referral path', 'result']
      : ['referral path', 'source value', 'transform', 'CRM field', 'result'];
  const body = report.rows.map((r) => {
    const [from, to] = report.target === 'partnerCenter' ? [r.crmField, r.path] : [r.path, r.crmField];
    // The last column needs no alignment, so the result is shown whole.
    return [...[from, r.source, r.transform, to].map(cell), r.problem ? `${r.result}  !! ${r.problem}` : r.result];
  });
  const widths = header.map((h, i) => Math.max(width(h), ...body.map((row) => width(row[i] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join(' | ')
      .trimEnd();
  const table = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...body.map(line)];
  const result = report.result === null ? '(nothing: required data is missing, see problems)' : JSON.stringify(report.result, null, 2);
  const problems =
    report.problems.length === 0
      ? ['Problems: none']
      : ['Problems:', ...report.problems.map((p) => `  - ${p.path}${p.crmField ? ` (${p.crmField})` : ''}: ${p.message}`)];
  return [heading, '', 'Result:', result, '', 'Fields:', ...table, '', ...problems, ''].join('\n');
}
