/** What every operation gets: the org, the clock, the options and the per-request view. */
import type { OrgStore } from '../model/store.js';
import type { Preferences } from '../odata/prefer.js';
import type { ResolvedOptions } from '../options.js';
import type { SerializeContext } from '../wire/serialize.js';

export interface NowSource {
  now(): Date;
}

export interface Service {
  store: OrgStore;
  clock: NowSource;
  options: ResolvedOptions;
  /** The systemuser that owns rows created through the API (the calling application user). */
  callerId(): string;
  /** The org base currency, the default of transactioncurrencyid (common behaviour, not stated in the docs). */
  baseCurrencyId(): string;
}

/** One inner or outer request, already split into parts. */
export interface DvRequest {
  method: string;
  /** Path after `/api/data/v9.x/`, percent-decoded. */
  resource: string;
  /** The query string as sent, without `?`; nextLinks and deltaLinks keep it. */
  rawQuery: string;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  /** `https://127.0.0.1:PORT/api/data/v9.2/`: absolute links are built on it (Dataverse developer guide, "Page results using the Web API", "Create a table row using the Web API"). */
  apiBase: string;
  /** `$n` -> entity URL of an earlier operation in the same change set ("Execute batch operations using the Web API"). */
  contentIds?: Map<string, string>;
}

export interface DvResponse {
  status: number;
  headers: Record<string, string>;
  /** Objects are JSON; strings are sent as text. */
  body?: unknown;
  /** The written row's URL, for `$n` references in a change set; never sent. */
  entityUrl?: string;
}

export interface RequestContext {
  service: Service;
  request: DvRequest;
  prefs: Preferences;
  serialize: SerializeContext;
}

export const JSON_TYPE = 'application/json; odata.metadata=minimal';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): DvResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, 'OData-Version': '4.0', ...headers }, body };
}

export function noContent(headers: Record<string, string> = {}): DvResponse {
  return { status: 204, headers: { 'OData-Version': '4.0', ...headers } };
}
