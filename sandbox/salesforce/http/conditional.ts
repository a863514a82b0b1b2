import { createHash } from 'node:crypto';
import type { EmuRequest } from '../../shared/http.js';
import { floorTo, parseHttpDate } from '../model/datetime.js';
import { requestError } from '../model/sf-error.js';
import type { Row } from '../model/table.js';

/** Account rows carry an ETag (Salesforce REST API Developer Guide, "Conditional Requests"), e.g. `"U5iWijwWbQD18jeiXwsqxeGpZQk=--gzip"`. */
export function etagOf(row: Row): string {
  const digest = createHash('sha1').update(`${String(row['Id'])}:${String(row['SystemModstamp'])}`).digest('base64');
  return `"${digest}--gzip"`;
}

function header(req: EmuRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((t) => t.trim() === '*' || t.trim() === etag);
}

/** GET: 304 when `If-Modified-Since` is not older than LastModifiedDate, or `If-None-Match` matches ("Conditional Requests"). */
export function readNotModified(req: EmuRequest, row: Row, withEtag: boolean): boolean {
  const ims = header(req, 'if-modified-since');
  const since = ims === undefined ? undefined : parseHttpDate(ims);
  if (since !== undefined && floorTo(row['LastModifiedDate'] as number, 1000) <= since) return true;
  const inm = header(req, 'if-none-match');
  return withEtag && inm !== undefined && etagMatches(inm, etagOf(row));
}

/**
 * PATCH preconditions ("Conditional Requests"): `If-Unmodified-Since` fails when LastModifiedDate is later than
 * that second; on Account rows `If-Match` must match and `If-None-Match` must not. A malformed
 * date is 400. The 412 errorCode is not documented; callers key on the status.
 */
export function checkWritePreconditions(req: EmuRequest, row: Row, withEtag: boolean): void {
  const ius = header(req, 'if-unmodified-since');
  if (ius !== undefined) {
    const at = parseHttpDate(ius);
    if (at === undefined) throw requestError(400, 'INVALID_HEADER_TYPE', `Invalid If-Unmodified-Since header: ${ius}`);
    if (floorTo(row['LastModifiedDate'] as number, 1000) > at) {
      throw requestError(412, 'PRECONDITION_FAILED', 'The requested resource has been modified since the If-Unmodified-Since date');
    }
  }
  if (!withEtag) return;
  const etag = etagOf(row);
  const ifMatch = header(req, 'if-match');
  if (ifMatch !== undefined && !etagMatches(ifMatch, etag)) {
    throw requestError(412, 'PRECONDITION_FAILED', 'The ETag does not match the current version of the record');
  }
  const ifNoneMatch = header(req, 'if-none-match');
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, etag)) {
    throw requestError(412, 'PRECONDITION_FAILED', 'The record matches the If-None-Match ETag');
  }
}
