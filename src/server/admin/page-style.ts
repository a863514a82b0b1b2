/**
 * The one stylesheet of the admin pages, inline, allowed by its hash in the Content-Security-Policy
 * (no script at all, no other source).
 */
import { createHash } from 'node:crypto';

export const PAGE_STYLE = [
  'body{font:14px system-ui,sans-serif;margin:2em;color:#222}',
  'table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}',
  'th{background:#f4f4f4}form{display:inline;margin:0 4px 0 0}button{cursor:pointer}',
  '.ok{color:#1a7f37}.bad{color:#b42318}.warn{color:#9a6700}.muted{color:#666}',
  'nav form{float:right}input[type=password],input[type=text]{width:24em}',
].join('');

const STYLE_HASH = createHash('sha256').update(PAGE_STYLE, 'utf8').digest('base64');

/**
 * Headers every admin response carries. The referrer policy is `same-origin`, not `no-referrer`:
 * under `no-referrer` a browser sends `Origin: null` with the page's own form posts (Fetch
 * standard, "serializing a request origin"), which the cross-site check must refuse; with
 * `same-origin` the page's posts carry its origin and other sites still get no referrer.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

export const escapeHtml = (value: unknown): string =>
  String(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export const pageShell = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`;
