/**
 * Errors from vendor APIs are classified at the boundary into a closed set.
 * The engine switches on `kind`; it never reads messages.
 */

export const CONNECTOR_ERROR_KINDS = [
  'transient',
  'rateLimited',
  'auth',
  'notFound',
  'conflict',
  'invalid',
  'unknown',
] as const;
export type ConnectorErrorKind = (typeof CONNECTOR_ERROR_KINDS)[number];

export type ConnectorSystem = 'partnerCenter' | 'salesforce' | 'dynamics' | 'graph';

export interface ConnectorErrorInit {
  kind: ConnectorErrorKind;
  system: ConnectorSystem;
  message: string;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The vendor's own error code (`INVALID_SESSION_ID`, `0x80060882`, `preconditionFailed`). */
  vendorCode?: string;
  /** For `rateLimited` (and some `transient`): how long the server asked us to wait. */
  retryAfterMs?: number;
  /** Whether a write may have taken effect although no answer came (timeout, reset). */
  outcomeUnknown?: boolean;
  correlationId?: string;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind;
  readonly system: ConnectorSystem;
  readonly status: number | undefined;
  readonly vendorCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly outcomeUnknown: boolean;
  readonly correlationId: string | undefined;

  constructor(init: ConnectorErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ConnectorError';
    this.kind = init.kind;
    this.system = init.system;
    this.status = init.status;
    this.vendorCode = init.vendorCode;
    this.retryAfterMs = init.retryAfterMs;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.correlationId = init.correlationId;
  }

  /** The fields worth logging: never the vendor body, never secrets. */
  toLog(): Record<string, unknown> {
    return {
      kind: this.kind,
      system: this.system,
      status: this.status,
      vendorCode: this.vendorCode,
      retryAfterMs: this.retryAfterMs,
      outcomeUnknown: this.outcomeUnknown || undefined,
      correlationId: this.correlationId,
      message: this.message,
    };
  }
}

/**
 * What to change when a vendor refuses a sign-in, by its error code (`AADSTS7000215`,
 * `invalid_client`): the composition root knows the configuration keys and environment variables
 * and hands this in, so the connector's error can name them; null when it has nothing to add.
 */
export type SignInHint = (vendorCode: string | undefined) => string | null;

export const isConnectorError = (e: unknown): e is ConnectorError => e instanceof ConnectorError;

/** Parses a `Retry-After` header (seconds or HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Node's codes for a host that cannot be reached at all (the request never left). */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);
/** Node's codes for a server certificate it does not trust. */
const isTlsTrustCode = (code: string): boolean => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code);
/**
 * Vendor codes that say the org lacks what the mapping names (a field, an object, a property):
 * Salesforce `INVALID_FIELD` / `INVALID_TYPE` / `MALFORMED_QUERY` (REST API Developer Guide,
 * "Status Codes and Error Responses"); Dataverse `0x0` "Could not find a property named …" and
 * `0x8006088a` "Resource not found for the segment" (Web API, "Parse errors from the Web API").
 */
const SCHEMA_CODES = new Set(['INVALID_FIELD', 'INVALID_TYPE', 'MALFORMED_QUERY', '0x0', '0x8006088a']);

/**
 * Whether an error is about the connection to a system rather than the record at hand: a sign-in
 * that failed, a host that cannot be reached or trusted, a field or object the org does not have.
 * Every other record would fail the same way, so a sync cycle stops once, with one message,
 * instead of listing each record as failed.
 */
export function isConnectorWide(error: unknown): boolean {
  if (!isConnectorError(error)) return false;
  if (error.kind === 'auth') return true;
  const code = error.vendorCode;
  if (code === undefined) return false;
  if (error.status === undefined && (UNREACHABLE_CODES.has(code) || isTlsTrustCode(code))) return true;
  return error.kind === 'invalid' && SCHEMA_CODES.has(code);
}
