/**
 * Record history on the status site: "what happened to this deal?" as a page (and JSON), the same
 * story `cosell-sync history` tells: reads, writes with values before and after, skips with their
 * reason, failures, held conflicts and their resolution, newest first with run ids. Values come
 * from the store already redacted (contact fields by name, e-mail addresses and phone numbers in
 * any text).
 */
import { escapeHtml as escape, pageShell } from '../server/admin/index.js';
import type { HistoryRecord } from '../store/history-types.js';
import type { HistoryQuery, RecordHistory } from '../store/record-history.js';

/** The query a request names: exactly one of `crmId` and `referralId`, not blank. */
export function historyQueryOf(query: { crmId?: unknown; referralId?: unknown }): HistoryQuery | null {
  const crmId = typeof query.crmId === 'string' ? query.crmId.trim() : '';
  const referralId = typeof query.referralId === 'string' ? query.referralId.trim() : '';
  if ((crmId === '') === (referralId === '')) return null;
  return crmId !== '' ? { crmId } : { referralId };
}

/** Where the history of a failure's or an outcome's record key is shown, or null for a key naming no id. */
export function historyHref(ids: { crmId: string | null; referralId: string | null }): string | null {
  if (ids.crmId !== null) return `/history?crmId=${encodeURIComponent(ids.crmId)}`;
  if (ids.referralId !== null) return `/history?referralId=${encodeURIComponent(ids.referralId)}`;
  return null;
}

/** The look-up forms (plain GET: nothing changes, so no CSRF token is needed). */
export function historyForms(current: HistoryQuery | null = null): string {
  const crm = current !== null && 'crmId' in current ? current.crmId : '';
  const referral = current !== null && 'referralId' in current ? current.referralId : '';
  return (
    `<form method="get" action="/history"><label>CRM record id <input type="text" name="crmId" value="${escape(crm)}"></label> <button type="submit">show history</button></form>` +
    `<form method="get" action="/history"><label>referral id <input type="text" name="referralId" value="${escape(referral)}"></label> <button type="submit">show history</button></form>`
  );
}

const shown = (value: unknown): string => (value === undefined ? '(none)' : JSON.stringify(value) ?? 'null');

function row(entry: HistoryRecord): string {
  const changes = entry.changes
    .map((c) => `${escape(c.target)} <code>${escape(c.field)}</code>: ${'before' in c ? `${escape(shown(c.before))} → ` : ''}${escape(shown(c.after))}`)
    .join('<br>');
  const cells = [
    escape(entry.at),
    escape(entry.event),
    escape(entry.action),
    escape(entry.recordKey),
    entry.runId === null ? '<span class="muted">by a person</span>' : `<code>${escape(entry.runId)}</code>`,
    escape(entry.detail ?? ''),
    changes,
  ];
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

/** `asked`: a record was named, wrongly (both ids, or blank), rather than none at all. */
export function renderHistoryPage(query: HistoryQuery | null, history: RecordHistory | null, asked = true): string {
  const back = '<p><a href="/">Back to the status page</a></p>';
  if (query === null || history === null) {
    const alert = asked ? '<p class="bad" role="alert">Name one record: a CRM record id or a referral id.</p>' : '';
    return pageShell('cosell-sync history', `${back}<h1>Record history</h1>${alert}${historyForms()}`);
  }
  const subject = 'crmId' in query ? `CRM record ${query.crmId}` : `referral ${query.referralId}`;
  const links = history.links
    .map((l) => `<li>${escape(`${l.crmSystem} ${l.crmKind} ${l.crmId ?? '(not yet created)'} ↔ referral ${l.referralId ?? '(not yet created)'} (${l.state})`)}</li>`)
    .join('');
  const table =
    history.entries.length === 0
      ? `<p><em>no history for ${escape(subject)}</em></p>`
      : `<table aria-label="history"><tr><th>time</th><th>event</th><th>action</th><th>record</th><th>run</th><th>detail</th><th>fields (before → after)</th></tr>${history.entries.map(row).join('')}</table>`;
  return pageShell(
    `cosell-sync history of ${subject}`,
    `${back}<h1>History of ${escape(subject)}</h1>${historyForms(query)}${links === '' ? '' : `<ul>${links}</ul>`}<p class="muted">newest first</p>${table}`,
  );
}
