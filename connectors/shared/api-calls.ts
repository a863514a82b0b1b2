/**
 * Every vendor call, told to whoever counts them (the daemon's `cosell_api_calls_total`): one
 * report per request sent (retries included), from the one place each connector sends through.
 */

export interface ApiCall {
  system: 'partnerCenter' | 'salesforce' | 'dynamics';
  /** Low-cardinality: the connector's operation name, or the method and path with ids replaced by `{id}`. */
  operation: string;
  /**
   * The HTTP status when an answer came; `ok` for a success whose status the client library
   * hides (dynamics-web-api); `noAnswer` when none came (timeout, reset, refused connection).
   */
  status: string;
  /** The vendor's daily API allowance as this answer reported it (Salesforce `Sforce-Limit-Info`). */
  budget?: { used: number; limit: number };
}

export type ApiCallObserver = (call: ApiCall) => void;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path segment that names one record (a GUID, a number, an id with digits) rather than a resource. */
function isId(segment: string): boolean {
  return GUID.test(segment) || /^\d+$/.test(segment) || (segment.length >= 12 && /\d/.test(segment) && /^[\w-]+$/.test(segment));
}

/** `GET /v1.0/engagements/referrals/{id}` from a method and a URL path: one series per kind of call. */
export function operationOf(method: string, path: string): string {
  const template = path
    .split('/')
    .map((segment) => (isId(segment) ? '{id}' : segment.replace(/\([^)]*\)/g, '({id})')))
    .join('/');
  return `${method.toUpperCase()} ${template}`;
}

/** Calls `observer` and never lets it break the call being counted. */
export function report(observer: ApiCallObserver | undefined, call: ApiCall): void {
  if (observer === undefined) return;
  try {
    observer(call);
  } catch {
    // Counting is best effort: a broken counter must not fail a sync.
  }
}
