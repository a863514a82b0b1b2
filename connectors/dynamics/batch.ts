/**
 * `$batch` (§6): one change set per logical write (atomic on its own: a failing record rolls back
 * only its own operations), GETs outside change sets, `Prefer: odata.continue-on-error` so one
 * bad record does not stop its neighbours. The answer is split back into one result per change
 * set / GET, in request order.
 */
import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../errors.js';
import { errorBodyOf, kindOf } from './classify-error.js';

export interface BatchOp {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Absolute URL (DWA and the docs use absolute inner URLs, §6). */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A group of operations: `changeSet` for writes, a lone GET otherwise. */
export type BatchGroup = { changeSet: BatchOp[] } | { get: BatchOp };

export interface PartResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The result of a group: the parts of its operations, or the error that rolled it back. */
export type GroupResult = { ok: true; parts: PartResult[] } | { ok: false; error: ConnectorError };

function httpPart(op: BatchOp, contentId: number | null): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== null) lines.push(`Content-ID: ${contentId}`);
  lines.push('', `${op.method} ${op.url} HTTP/1.1`);
  const headers = { ...op.headers };
  if (op.body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push('', op.body === undefined ? '' : JSON.stringify(op.body));
  return lines.join('\r\n');
}

export function buildBatch(groups: readonly BatchGroup[]): { boundary: string; text: string } {
  const boundary = `batch_${randomUUID()}`;
  let contentId = 1;
  const parts = groups.map((group) => {
    if ('get' in group) return httpPart(group.get, null);
    const cs = `changeset_${randomUUID()}`;
    const inner = group.changeSet.map((op) => `--${cs}\r\n${httpPart(op, contentId++)}`).join('\r\n');
    return `Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n${inner}\r\n--${cs}--`;
  });
  return { boundary, text: `${parts.map((p) => `--${boundary}\r\n${p}`).join('\r\n')}\r\n--${boundary}--\r\n` };
}

const boundaryOf = (contentType: string): string | null => /boundary="?([^";\s]+)"?/i.exec(contentType)?.[1] ?? null;

/** The pieces between `--boundary` lines (LF or CRLF). */
function split(text: string, boundary: string): string[] {
  const out: string[] = [];
  const chunks = text.split(`--${boundary}`);
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    out.push(chunk.replace(/^\r?\n/, ''));
  }
  return out;
}

function parseHeaders(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return headers;
}

/** Splits at the first blank line. */
function headAndBody(text: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(text);
  return m ? [text.slice(0, m.index), text.slice(m.index + m[0].length)] : [text, ''];
}

function parseHttpPart(part: string): PartResult {
  const [, message] = headAndBody(part);
  const [head, body] = headAndBody(message);
  const [statusLine = '', ...headerLines] = head.split(/\r?\n/);
  const status = Number(/HTTP\/1\.1\s+(\d{3})/.exec(statusLine)?.[1] ?? 0);
  return { status, headers: parseHeaders(headerLines.join('\n')), body: body.trim() };
}

/** A failed inner operation as a ConnectorError (the code of a batch part, pitfall 14). */
export function partError(part: PartResult, op: string): ConnectorError {
  const { code, message } = errorBodyOf(part.body);
  return new ConnectorError({
    kind: kindOf(part.status, code),
    system: 'dynamics',
    status: part.status,
    ...(code ? { vendorCode: code } : {}),
    message: `${op}: Dataverse answered ${part.status}${message ? `: ${message}` : ''}`,
  });
}

const ok = (status: number): boolean => status >= 200 && status < 300;

export function parseBatch(args: { contentType: string; body: string; groups: readonly BatchGroup[]; op: string }): GroupResult[] {
  const boundary = boundaryOf(args.contentType);
  if (boundary === null) throw new ConnectorError({ kind: 'unknown', system: 'dynamics', message: `${args.op}: a $batch answer without a boundary` });
  const parts = split(args.body, boundary);
  return args.groups.map((group, i): GroupResult => {
    const raw = parts[i];
    if (raw === undefined) return { ok: false, error: new ConnectorError({ kind: 'unknown', system: 'dynamics', message: `${args.op}: no answer for operation ${i + 1} of the batch` }) };
    const [head, body] = headAndBody(raw);
    const inner = boundaryOf(parseHeaders(head)['content-type'] ?? '');
    const results = inner !== null && /multipart\/mixed/i.test(head) ? split(body, inner).map(parseHttpPart) : [parseHttpPart(raw)];
    const failed = results.find((r) => !ok(r.status));
    // §6 UNCERTAIN: a failed change set answers one error part or a part per operation; both work.
    if (failed) return { ok: false, error: partError(failed, args.op) };
    return { ok: true, parts: results };
  });
}
