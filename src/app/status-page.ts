/** The operator's status page: plain HTML forms, no script (the CSP forbids any). */
import { escapeHtml as escape, pageShell } from '../server/admin/index.js';
import { historyForms, historyHref } from './history-page.js';
import type { StatusSnapshot as Snapshot } from './status-snapshot.js';

const table = (caption: string, headers: string[], rows: string[][]): string =>
  rows.length === 0
    ? '<p><em>none</em></p>'
    : `<table aria-label="${escape(caption)}"><tr>${headers.map((h) => `<th>${h}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`;

/** The text, linked to the history of the record it names when there is one. */
const toHistory = (text: string, ids: { crmId: string | null; referralId: string | null }): string => {
  const href = historyHref(ids);
  return href === null ? escape(text) : `<a href="${escape(href)}">${escape(text)}</a>`;
};

/** A one-button form posting to `action`; the session's CSRF token rides along. */
const button = (args: { action: string; label: string; csrf: string | null; fields?: Record<string, string> }): string =>
  `<form method="post" action="${escape(args.action)}">${args.csrf === null ? '' : `<input type="hidden" name="_csrf" value="${escape(args.csrf)}">`}${Object.entries(args.fields ?? {})
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('')}<button type="submit">${escape(args.label)}</button></form>`;

export function renderStatusPage(s: Snapshot, viewer: { csrf: string | null; user: string | null }): string {
  const { csrf } = viewer;
  const connectors = Object.entries(s.connectors).map(([name, h]) => [escape(name), escape(h.state), escape(h.detail ?? ''), escape(h.pausedUntil ?? '')]);
  const summary = (counts: Record<string, number>): string => escape(Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', '));
  const loops = s.loops.map((l) => [
    escape(l.loop),
    l.lastCycle === null ? '<em>none yet</em>' : `${escape(l.lastCycle.finishedAt ?? `running since ${l.lastCycle.startedAt}`)} ${escape(l.lastCycle.status)}<br>${summary(l.lastCycle.summary)}`,
    escape(l.lastSucceededAt ?? ''),
    `${escape(l.nextRunAt ?? '')} <span class="muted">(${escape(l.schedule)})</span>`,
  ]);
  const runs = s.runs.map((r) => [escape(r.kind), `<code>${escape(r.id)}</code>`, escape(r.startedAt), escape(r.status), summary(r.summary)]);
  const conflicts = s.conflicts.map((c) => [
    toHistory(c.crmId ?? c.referralId ?? c.linkId, c),
    escape(c.path),
    escape(c.base),
    escape(c.crmValue),
    escape(c.partnerCenterValue),
    button({ action: `/conflicts/${encodeURIComponent(c.id)}/resolve`, label: 'keep CRM', csrf, fields: { take: 'crm' } }) +
      button({ action: `/conflicts/${encodeURIComponent(c.id)}/resolve`, label: 'keep Partner Center', csrf, fields: { take: 'partnerCenter' } }),
  ]);
  const failures = s.failures.map((f) => [
    toHistory(f.key, f),
    escape(f.operation),
    escape(f.reason),
    escape(f.attempts),
    escape(f.nextAttemptAt),
    button({ action: `/failures/${encodeURIComponent(f.key)}/retry`, label: 'retry now', csrf }),
  ]);
  /** "12,097; the 100 due soonest shown (cosell-sync failures list shows all)" when not all fit. */
  const count = (total: number, shown: number, which: string, command: string): string =>
    total <= shown ? escape(total) : `${escape(total.toLocaleString('en'))}; the ${escape(shown)} ${escape(which)} shown, <code>${escape(command)}</code> lists all`;
  const signedIn = viewer.user === null ? '' : `<nav>${button({ action: '/signout', label: 'sign out', csrf })}<span class="muted">signed in: ${escape(viewer.user)}</span></nav>`;
  return pageShell(
    'cosell-sync status',
    `${signedIn}<h1>cosell-sync</h1><p>${escape(s.links)} linked records · <a href="/co-sell">co-sell health</a></p>
<h2>Connectors</h2>${table('connectors', ['connector', 'state', 'detail', 'paused until'], connectors)}
<h2>Sync loops</h2>${table('sync loops', ['loop', 'last cycle', 'last success', 'next run'], loops)}
<h2>Held conflicts (${count(s.open.conflicts, s.conflicts.length, 'oldest', 'cosell-sync conflicts list')})</h2>${table('held conflicts', ['record', 'field', 'base', 'CRM', 'Partner Center', 'resolve'], conflicts)}
<h2>Failed records (${count(s.open.failures, s.failures.length, 'due soonest', 'cosell-sync failures list')})</h2>${table('failed records', ['record', 'operation', 'reason', 'attempts', 'next attempt', ''], failures)}
<h2>Record history</h2><p>${historyForms()}</p>
<h2>Recent runs</h2>${table('recent runs', ['run', 'run id', 'started', 'status', 'summary'], runs)}`,
  );
}
