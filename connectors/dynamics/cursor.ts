/**
 * The readChanges cursor, opaque to the engine (base64url JSON):
 * - `delta`: a change-tracking link ("Use change tracking to synchronize data with external systems"): the deltaLink of the last page, or a delta nextLink;
 * - `scan`: the first full read, ordered by modifiedon, with the baseline deltaLink taken
 *   before it started (so nothing that changes during the scan is lost) and the last stamp read;
 * - `mark`: the modifiedon watermark for tables without change tracking, with the ids already
 *   read inside the overlap window (the same >= + overlap + de-dup as the Salesforce connector).
 */
import { ConnectorError } from '../errors.js';

export type DvCursor =
  | { m: 'delta'; link: string }
  | { m: 'scan'; link: string; after: { stamp: string; ids: string[] } | null }
  | { m: 'mark'; w: string | null; seen: [string, string][] };

export function encodeCursor(cursor: DvCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor })).toString('base64url');
}

export function decodeCursor(cursor: string): DvCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as DvCursor & { v: number };
    if (parsed.v !== 1 || !['delta', 'scan', 'mark'].includes(parsed.m)) throw new Error('unknown cursor');
    const { v: _v, ...rest } = parsed;
    return rest as DvCursor;
  } catch (cause) {
    throw new ConnectorError({ kind: 'invalid', system: 'dynamics', message: 'unreadable Dataverse cursor', cause });
  }
}
