/**
 * GET list (Partner Center docs, "Get a list of referrals"): `$filter`, `$orderby` on createdDateTime/updatedDateTime, `$top` capped,
 * `$skip`, `$select`, and `$skiptoken` paging with `@odata.nextLink` and `@odata.count`.
 *
 * The skiptoken carries the whole query plus the sort key and id of the last referral served
 * (keyset paging), never an offset: creates and updates between pages cannot shift the next page,
 * so no referral is skipped or served twice because of them. With `$orderby=updatedDateTime`, a
 * referral updated while a client pages moves to its new place in the order (a cursor client
 * sees it again, with its new data) — the one thing a snapshot-free cursor cannot hide.
 */
import { invalidRequest } from './errors.js';
import { compileFilter, FilterUnsupportedError, type FilterCapabilities } from './filter/compile.js';
import { FilterSyntaxError } from './filter/tokenizer.js';
import type { WireReferral } from './wire-types.js';

export type OrderField = 'createdDateTime' | 'updatedDateTime';

export interface ListQuery {
  filter: string | null;
  orderBy: OrderField;
  descending: boolean;
  top: number;
  select: string[] | null;
}

interface Cursor {
  key: string;
  id: string;
}

interface SkipToken extends ListQuery {
  cursor: Cursor;
}

export interface ListPage {
  items: WireReferral[];
  count: number;
  /** The skiptoken for the next page, or null on the last page. */
  nextToken: string | null;
  select: string[] | null;
}

/** Reads the query options of a list request (or the query stored in its skiptoken). */
export function readListQuery(params: URLSearchParams, maxTop: number): { query: ListQuery; cursor: Cursor | null; skip: number } {
  const token = params.get('$skiptoken');
  if (token !== null) {
    const decoded = decodeToken(token);
    // A client that re-issues the token against the base URL without its other options still
    // continues the same query ("Get a list of referrals" advises exactly that re-issue).
    return { query: { ...decoded, top: Math.min(decoded.top, maxTop) }, cursor: decoded.cursor, skip: 0 };
  }
  return {
    query: {
      filter: params.get('$filter'),
      ...readOrderBy(params.get('$orderby')),
      top: readTop(params.get('$top'), maxTop),
      select: readSelect(params.get('$select')),
    },
    cursor: null,
    skip: readCount(params.get('$skip'), '$skip') ?? 0,
  };
}

export function listReferrals(args: {
  referrals: Iterable<WireReferral>;
  query: ListQuery;
  cursor: Cursor | null;
  skip: number;
  capabilities: FilterCapabilities;
}): ListPage {
  const { query } = args;
  const predicate = makePredicate(query.filter, args.capabilities);
  const matching: WireReferral[] = [];
  for (const referral of args.referrals) if (predicate(referral)) matching.push(referral);
  const field = query.orderBy;
  const direction = query.descending ? -1 : 1;
  const compare = (aKey: string, aId: string, bKey: string, bId: string): number =>
    direction * (aKey < bKey ? -1 : aKey > bKey ? 1 : aId < bId ? -1 : aId > bId ? 1 : 0);
  matching.sort((a, b) => compare(a[field], a.id, b[field], b.id));
  const start = args.cursor ? firstAfter(matching, args.cursor, (r, c) => compare(r[field], r.id, c.key, c.id)) : args.skip;
  const items = matching.slice(start, start + query.top);
  const last = items[items.length - 1];
  const hasMore = start + query.top < matching.length;
  return {
    items,
    count: matching.length,
    nextToken: hasMore && last ? encodeToken({ ...query, cursor: { key: last[field], id: last.id } }) : null,
    select: query.select,
  };
}

/** Index of the first referral sorting after the cursor (binary search over the sorted list). */
function firstAfter(sorted: readonly WireReferral[], cursor: Cursor, compare: (r: WireReferral, c: Cursor) => number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (compare(sorted[mid] as WireReferral, cursor) > 0) high = mid;
    else low = mid + 1;
  }
  return low;
}

function makePredicate(filter: string | null, capabilities: FilterCapabilities): (r: WireReferral) => boolean {
  if (filter === null || filter.trim() === '') return () => true;
  try {
    return compileFilter(filter, capabilities);
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw invalidRequest(`Invalid $filter: ${error.message}`, '$filter');
    if (error instanceof FilterUnsupportedError) throw invalidRequest(error.message, '$filter');
    throw error;
  }
}

function readOrderBy(value: string | null): { orderBy: OrderField; descending: boolean } {
  // The docs do not say what order an unordered list has; oldest first is the emulator's choice.
  if (value === null || value.trim() === '') return { orderBy: 'createdDateTime', descending: false };
  const match = /^\s*(createdDateTime|updatedDateTime)(?:\s+(asc|desc))?\s*$/.exec(value);
  if (!match) throw invalidRequest('$orderby takes createdDateTime or updatedDateTime, optionally asc or desc', '$orderby');
  return { orderBy: match[1] as OrderField, descending: match[2] === 'desc' };
}

function readTop(value: string | null, maxTop: number): number {
  const top = readCount(value, '$top');
  if (top === 0) throw invalidRequest('$top must be at least 1', '$top');
  // "Get a list of referrals" states no cap (the 2018 docs: 100); a larger $top is served capped, not refused.
  return Math.min(top ?? maxTop, maxTop);
}

function readCount(value: string | null, name: string): number | null {
  if (value === null) return null;
  if (!/^\d+$/.test(value.trim())) throw invalidRequest(`${name} must be a non-negative integer`, name);
  return Number(value);
}

function readSelect(value: string | null): string[] | null {
  if (value === null || value.trim() === '') return null;
  return value.split(',').map((field) => field.trim()).filter((field) => field !== '');
}

function encodeToken(token: SkipToken): string {
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
}

function decodeToken(raw: string): SkipToken {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as SkipToken;
    if (typeof token.top === 'number' && typeof token.cursor?.id === 'string' && typeof token.cursor.key === 'string') {
      readOrderBy(`${token.orderBy} ${token.descending ? 'desc' : 'asc'}`);
      return token;
    }
  } catch {
    // Falls through to the 400 below: a token the emulator did not make.
  }
  throw invalidRequest('The $skiptoken is not valid', '$skiptoken');
}
