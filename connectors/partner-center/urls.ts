/**
 * Referral URLs and OData query strings, plus the nextLink quirk: the documented sample link uses
 * http and drops `/engagements` (Partner Center docs, "Get a list of referrals"), so only its paging token is trusted and the next
 * request always goes to the configured base URL (and never carries our token elsewhere).
 */
import { partnerCenterFacts } from './options.js';

export type Query = Record<string, string>;

/** Encodes spaces as %20 (OData), not as the form encoding's `+`. */
export const encodeQuery = (q: Query): string =>
  Object.entries(q)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');

/** The collection URL under the configured base (origin, optionally with a path prefix or the full path). */
export function referralsUrl(baseUrl: string, suffix = '', query?: Query): URL {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const collection = prefix.endsWith('/engagements/referrals') ? prefix : `${prefix}${partnerCenterFacts.referralsPath}`;
  const url = new URL(`${base.origin}${collection}${suffix}`);
  if (query !== undefined && Object.keys(query).length > 0) url.search = `?${encodeQuery(query)}`;
  return url;
}

/** OData string literal: single quotes are doubled. */
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/**
 * The request for the next page: the original query plus the paging parameters the link carries
 * (`$skiptoken`, or `$skip` for links that page by offset), against the configured base.
 */
export function nextPageUrl(args: { current: URL; nextLink: string; baseUrl: string }): URL | null {
  let link: URL;
  try {
    link = new URL(args.nextLink, args.current);
  } catch {
    return null;
  }
  const query: Query = {};
  for (const [k, v] of args.current.searchParams) query[k] = v;
  const skipToken = link.searchParams.get('$skiptoken');
  const skip = link.searchParams.get('$skip');
  if (skipToken === null && skip === null) {
    // A link with an opaque cursor of its own is followed only when it points at our own collection.
    const own = referralsUrl(args.baseUrl);
    return link.origin === own.origin && link.pathname === own.pathname ? link : null;
  }
  delete query.$skiptoken;
  delete query.$skip;
  if (skipToken !== null) query.$skiptoken = skipToken;
  if (skip !== null) query.$skip = skip;
  return referralsUrl(args.baseUrl, '', query);
}
