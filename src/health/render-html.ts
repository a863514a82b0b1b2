/**
 * The co-sell health section of the status site: an HTML fragment (no script, no external
 * assets; charts are inline SVG) that the status page includes, and a page of its own. Rendered
 * from the same `HealthReport` as the terminal report and the digest.
 */
import { FINDING_RULES } from './hygiene.js';
import type { HealthReport } from './report.js';
import { hours, rate } from './render-text.js';

const escape = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string =>
  rows.length === 0
    ? '<p><em>none</em></p>'
    : `<table><tr>${headers.map((h) => `<th>${escape(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('')}</table>`;

const W = 560;
const H = 180;
const PAD = 30;

/** Weekly p50 and p90 response time, in hours, as two lines with points. */
export function responseTrendSvg(report: HealthReport): string {
  const rows = report.responseTimes.week;
  const values = rows.flatMap((r) => [r.p50Hours, r.p90Hours]).filter((v): v is number => v !== null);
  if (values.length === 0) return '<p><em>no answered referrals in the period</em></p>';
  const max = Math.max(...values, 1);
  const x = (i: number) => PAD + (rows.length === 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (rows.length - 1));
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  const series = (key: 'p50Hours' | 'p90Hours', colour: string) => {
    const points = rows.flatMap((r, i) => (r[key] === null ? [] : [[x(i), y(r[key] as number), r[key] as number, r.period] as const]));
    return (
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}"/>` +
      points.map(([px, py, v, p]) => `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="3" fill="${colour}"><title>${escape(p)} ${key.slice(0, 3)} ${hours(v)}</title></circle>`).join('')
    );
  };
  const labels = rows.map((r, i) => `<text x="${x(i).toFixed(1)}" y="${H - 8}" font-size="10" text-anchor="middle">${escape(r.period.slice(5))}</text>`).join('');
  return `<svg role="img" aria-label="Response time by week (p50 and p90, hours)" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" xmlns="http://www.w3.org/2000/svg">
<line x1="${PAD}" y1="${H - PAD}" x2="${W - PAD}" y2="${H - PAD}" stroke="#999"/><text x="4" y="${PAD}" font-size="10">${hours(max)}</text>
${series('p90Hours', '#c0504d')}${series('p50Hours', '#4f81bd')}${labels}
<text x="${W - PAD}" y="14" font-size="10" text-anchor="end"><tspan fill="#4f81bd">p50</tspan> <tspan fill="#c0504d">p90</tspan></text></svg>`;
}

const OUTCOME_COLOURS = { accepted: '#9bbb59', declined: '#c0504d', expired: '#7f7f7f', awaiting: '#dddddd' } as const;

/** Accepted / declined / expired / awaiting by source, as stacked horizontal bars. */
export function acceptanceBySourceSvg(report: HealthReport): string {
  const rows = report.acceptance.filter((r) => r.dimension === 'source');
  if (rows.length === 0) return '<p><em>no inbound referrals in the period</em></p>';
  const max = Math.max(...rows.map((r) => r.accepted + r.declined + r.expired + r.awaiting));
  const barH = 22;
  const height = rows.length * (barH + 10) + 24;
  const bars = rows
    .map((r, i) => {
      let left = 100;
      const y = 8 + i * (barH + 10);
      const segments = (Object.keys(OUTCOME_COLOURS) as (keyof typeof OUTCOME_COLOURS)[])
        .map((k) => {
          const width = (r[k] / max) * (W - 140);
          const rect = r[k] === 0 ? '' : `<rect x="${left.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${barH}" fill="${OUTCOME_COLOURS[k]}"><title>${escape(r.value)}: ${r[k]} ${k}</title></rect>`;
          left += width;
          return rect;
        })
        .join('');
      return `<text x="4" y="${y + 15}" font-size="12">${escape(r.value)}</text>${segments}<text x="${(left + 4).toFixed(1)}" y="${y + 15}" font-size="11">${rate(r.acceptRate)}</text>`;
    })
    .join('');
  const legend = Object.entries(OUTCOME_COLOURS)
    .map(([k, c], i) => `<rect x="${100 + i * 90}" y="${height - 14}" width="10" height="10" fill="${c}"/><text x="${114 + i * 90}" y="${height - 5}" font-size="10">${k}</text>`)
    .join('');
  return `<svg role="img" aria-label="Accepted, declined and expired by source" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" xmlns="http://www.w3.org/2000/svg">${bars}${legend}</svg>`;
}

/** The section the status page includes. */
export function renderHealthSection(report: HealthReport): string {
  const { inbound } = report;
  return `<section id="co-sell-health"><h2>Co-sell health</h2>
<p>Since ${escape(report.since.slice(0, 10))}: ${inbound.received} inbound referrals received, ${inbound.answered} answered, ${inbound.expired} expired unanswered, ${inbound.awaiting} awaiting an answer. Response time p50 <strong>${hours(inbound.p50Hours)}</strong>, p90 <strong>${hours(inbound.p90Hours)}</strong>.</p>
<h3>Response time by week</h3>${responseTrendSvg(report)}
${table(['week', 'received', 'answered', 'expired', 'awaiting', 'p50', 'p90'], report.responseTimes.week.map((r) => [r.period, String(r.received), String(r.answered), String(r.expired), String(r.awaiting), hours(r.p50Hours), hours(r.p90Hours)]))}
<h3>Response time by month</h3>
${table(['month', 'received', 'answered', 'expired', 'awaiting', 'p50', 'p90'], report.responseTimes.month.map((r) => [r.period, String(r.received), String(r.answered), String(r.expired), String(r.awaiting), hours(r.p50Hours), hours(r.p90Hours)]))}
<h3>Accepted, declined, expired by source</h3>${acceptanceBySourceSvg(report)}
${table(['by', 'value', 'accepted', 'declined', 'expired', 'awaiting', 'accept rate'], report.acceptance.map((r) => [r.dimension, r.value, String(r.accepted), String(r.declined), String(r.expired), String(r.awaiting), rate(r.acceptRate)]))}
<h3>Awaiting an answer (${report.awaiting.length})</h3>
${table(['referral', 'deal', 'respond by', 'days left'], report.awaiting.map((a) => [a.referralId, a.name, a.respondBy.slice(0, 16).replace('T', ' '), String(a.daysLeft)]))}
<h3>Findings (${report.findings.length})</h3>
${table(['finding', 'record', 'deal', 'why', 'fix'], report.findings.map((f) => [FINDING_RULES[f.rule], f.record, f.name ?? '', f.why, f.fix]))}
<p>Reminders: ${report.reminders.sent} sent (${report.reminders.toOwner} to owners, ${report.reminders.toOperators} to operators), ${report.reminders.failed} failed. Deal registrations: ${report.registrations.registered} registered, ${report.registrations.pending} in progress, ${report.registrations.waiting} waiting for contract fields, ${report.registrations.refused} refused.</p>
</section>`;
}

export function renderHealthPage(report: HealthReport): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>cosell-sync: co-sell health</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head>
<body><p><a href="/">status</a></p>${renderHealthSection(report)}</body></html>`;
}
