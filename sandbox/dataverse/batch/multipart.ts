/**
 * Parses a `$batch` body (Dataverse developer guide, "Execute batch operations using the Web API"; dynamics-web-api sends
 * CRLF line endings and absolute URLs): `multipart/mixed` with any
 * boundary (`dwa_batch_...`, `batch_...`), LF or CRLF line endings, change sets, `Content-ID`
 * headers and inner HTTP requests with absolute, rooted or relative URLs.
 */

export interface InnerRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  contentId: string | null;
}

export type BatchPart = { kind: 'request'; request: InnerRequest } | { kind: 'changeset'; requests: InnerRequest[] };

export class BatchSyntaxError extends Error {}

export function boundaryOf(contentType: string | undefined): string | null {
  const match = /boundary=("?)([^";,\s]+)\1/i.exec(contentType ?? '');
  return match ? (match[2] as string) : null;
}

/** Splits a multipart body into the text of its parts (without delimiter lines). */
function splitParts(body: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | null = null;
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) {
      if (current) parts.push(current.join('\n'));
      return parts;
    }
    if (trimmed === `--${boundary}`) {
      if (current) parts.push(current.join('\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join('\n'));
  return parts;
}

/** Header block up to the first blank line; names lower-cased. */
function readHeaders(lines: string[], start: number): { headers: Record<string, string>; next: number } {
  const headers: Record<string, string> = {};
  let i = start;
  while (i < lines.length && (lines[i] as string).trim() === '') i++;
  while (i < lines.length && (lines[i] as string).trim() !== '') {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    i++;
  }
  return { headers, next: i + 1 };
}

function parseInner(text: string, partHeaders: Record<string, string>): InnerRequest {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let i = 0;
  while (i < lines.length && (lines[i] as string).trim() === '') i++;
  const requestLine = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d\.\d)?$/.exec((lines[i] ?? '').trim());
  if (!requestLine) throw new BatchSyntaxError(`invalid request line '${lines[i] ?? ''}'`);
  const { headers, next } = readHeaders(lines, i + 1);
  const body = lines.slice(next).join('\n').trim();
  return { method: requestLine[1] as string, url: requestLine[2] as string, headers, body, contentId: partHeaders['content-id'] ?? null };
}

function parsePart(text: string): BatchPart {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const { headers, next } = readHeaders(lines, 0);
  const type = headers['content-type'] ?? '';
  if (/^multipart\/mixed/i.test(type)) {
    const boundary = boundaryOf(type);
    if (!boundary) throw new BatchSyntaxError('change set without a boundary');
    const requests = splitParts(lines.slice(next).join('\n'), boundary).map((partText) => {
      const inner = partText.split('\n');
      const parsed = readHeaders(inner, 0);
      return parseInner(inner.slice(parsed.next).join('\n'), parsed.headers);
    });
    return { kind: 'changeset', requests };
  }
  if (!/^application\/http/i.test(type)) throw new BatchSyntaxError(`unexpected part content type '${type}'`);
  return { kind: 'request', request: parseInner(lines.slice(next).join('\n'), headers) };
}

export function parseBatch(body: string, boundary: string): BatchPart[] {
  return splitParts(body, boundary).map(parsePart);
}

export function operationCount(parts: readonly BatchPart[]): number {
  return parts.reduce((n, p) => n + (p.kind === 'changeset' ? p.requests.length : 1), 0);
}
