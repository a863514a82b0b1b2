/**
 * `$skiptoken` and `$deltatoken` texts. The skiptoken keeps the shape of the real paging cookie
 * (`<cookie pagenumber="2" pagingcookie="..." istracking="False" />`, Dataverse developer guide, "Query data using the Web API") with our cursor inside;
 * the delta token is `<version>!<MM/dd/yyyy HH:mm:ss>` like the real one ("Use change tracking to synchronize data with external systems").
 */
import type { Value } from '../model/row.js';

export interface PageState {
  page: number;
  /** Keyset cursor of the last row returned. */
  values?: Value[];
  id?: string;
  /** Delta paging: position in the change list and its version range. */
  offset?: number;
  from?: number;
  to?: number;
  /** Initial track-changes listing: the version its deltaLink will carry. */
  snapshot?: number;
}

export function encodeSkipToken(state: PageState, tracking: boolean): string {
  const cookie = Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
  return `<cookie pagenumber="${state.page}" pagingcookie="${cookie}" istracking="${tracking ? 'True' : 'False'}" />`;
}

export function decodeSkipToken(token: string): PageState | null {
  const match = /pagingcookie="([^"]*)"/.exec(token);
  if (!match) return null;
  try {
    const state = JSON.parse(Buffer.from(match[1] as string, 'base64url').toString('utf8')) as PageState;
    return typeof state.page === 'number' ? state : null;
  } catch {
    return null;
  }
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function encodeDeltaToken(version: number, at: Date): string {
  const stamp = `${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}/${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `${version}!${stamp}`;
}

export function decodeDeltaToken(token: string): { version: number; at: Date } | null {
  const match = /^(\d+)!(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(token);
  if (!match) return null;
  const [, version, mo, d, y, h, mi, s] = match.map(Number) as number[];
  return { version: version as number, at: new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s)) };
}

/** The query as sent minus the named options, plus new ones: how next/delta links keep `$select`. */
export function rewriteQuery(rawQuery: string, drop: readonly string[], add: Record<string, string>): string {
  const kept = rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .filter((p) => !drop.includes(decodeURIComponent(p.split('=')[0] ?? '')));
  // `!` is encoded too, as in the service's deltaLinks ("Use change tracking to synchronize data with external systems").
  for (const [name, value] of Object.entries(add)) kept.push(`${name}=${encodeURIComponent(value).replace(/!/g, '%21')}`);
  return kept.join('&');
}
