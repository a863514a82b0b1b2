/** The operator's status page: plain HTML, no script, readable in a terminal browser too. */
import type { statusSnapshot } from './status-routes.js';

type Snapshot = Awaited<ReturnType<typeof statusSnapshot>>;

const escape = (value: unknown): string =>
  String(typeof value === 'string' ? value : JSON.stringify(value) ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const table = (headers: string[], rows: string[][]): string =>
  rows.length === 0
    ? '<p><em>none</em></p>'
    : `<table><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;

export function renderStatusPage(s: Snapshot): string {
  const connectors = Object.entries(s.connectors).map(([name, h]) => [escape(name), escape(h.state), escape(h.detail ?? ''), escape(h.pausedUntil ?? '')]);
  const runs = s.runs.map((r) => [escape(r.kind), escape(r.startedAt), escape(r.status), escape(Object.entries(r.summary).map(([k, v]) => `${k} ${v}`).join(', '))]);
  const conflicts = s.conflicts.map((c) => [
    escape(c.path),
    escape(c.base),
    escape(c.crmValue),
    escape(c.partnerCenterValue),
    ['crm', 'partnerCenter']
      .map((take) => `<form method="post" action="/conflicts/${escape(c.id)}/resolve?take=${take}"><button name="take" value="${take}">keep ${take === 'crm' ? 'CRM' : 'Partner Center'}</button></form>`)
      .join(''),
  ]);
  const failures = s.failures.map((f) => [escape(f.key), escape(f.operation), escape(f.reason), escape(f.attempts), escape(f.nextAttemptAt)]);
  return `<!doctype html><html><head><meta charset="utf-8"><title>cosell-sync status</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}</style></head>
<body><h1>cosell-sync</h1><p>${escape(s.links)} linked records</p>
<h2>Connectors</h2>${table(['connector', 'state', 'detail', 'paused until'], connectors)}
<h2>Held conflicts (${s.conflicts.length})</h2>${table(['field', 'base', 'CRM', 'Partner Center', 'resolve'], conflicts)}
<h2>Failed records (${s.failures.length})</h2>${table(['record', 'operation', 'reason', 'attempts', 'next attempt'], failures)}
<h2>Recent runs</h2>${table(['run', 'started', 'status', 'summary'], runs)}
</body></html>`;
}
