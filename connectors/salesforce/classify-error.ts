/**
 * Classifies what jsforce throws into the closed set of ConnectorError kinds, by
 * vendor code first and HTTP status second; never by message text.
 */
import { ConnectorError, isConnectorError, parseRetryAfter, type ConnectorErrorKind } from '../errors.js';
import { errorCodeKinds } from './descriptor.js';
import type { CallObservation } from './transport.js';
import type { SalesforceSaveResult } from './wire/rest.js';
import { WireFormatError } from './wire/rest.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** jsforce's HttpApiError: `errorCode` (also `name`) and `data` (the error element or array). */
function vendorCodeOf(error: unknown): string | undefined {
  if (!isObject(error)) return undefined;
  const code = error['errorCode'];
  if (code === 'MULTIPLE_API_ERRORS' && Array.isArray(error['data'])) {
    const first: unknown = error['data'][0];
    if (isObject(first) && typeof first['errorCode'] === 'string') return first['errorCode'];
  }
  return typeof code === 'string' ? code : undefined;
}

function kindFromStatus(status: number | null): ConnectorErrorKind {
  if (status === null) return 'unknown';
  if (status === 401) return 'auth';
  if (status === 404) return 'notFound';
  if (status === 300 || status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'transient';
  if (status >= 400) return 'invalid';
  return 'unknown';
}

/** Node's codes for a server certificate it does not trust; retrying cannot help. */
export const isTlsTrustCode = (code: string): boolean => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code);

export function tlsTrustError(args: { code: string; correlationId?: string; cause: unknown }): ConnectorError {
  return new ConnectorError({
    kind: 'invalid',
    system: 'salesforce',
    vendorCode: args.code,
    ...(args.correlationId ? { correlationId: args.correlationId } : {}),
    cause: args.cause,
    message: `the Salesforce server certificate is not trusted (${args.code}); a sandbox behind a private CA needs the \`ca\` option`,
  });
}

export function kindOfVendorCode(code: string | undefined, status: number | null): ConnectorErrorKind {
  // "Conditional Requests" documents the 412 status but no errorCode, so the status decides.
  if (status === 412) return 'conflict';
  if (status === 429) return 'rateLimited';
  const known = code === undefined ? undefined : errorCodeKinds[code];
  return known ?? kindFromStatus(status);
}

export interface ClassifyArgs {
  error: unknown;
  observation: CallObservation;
  correlationId: string;
  /** True for writes: a request that got no answer may still have been applied. */
  isWrite: boolean;
  /** When the session refresh failed during this call, the grant's own error. */
  refreshError: ConnectorError | null;
  /** How long to hold back when the org's API allowance is used up (no Retry-After is sent then). */
  allowancePauseMs: number;
  now: Date;
}

/**
 * The two ways Salesforce says "slow down", told apart by status and code, never by message
 * (Salesforce REST API Developer Guide, "Status Codes and Error Responses"; Salesforce Developer
 * Limits and Allocations, "API Request Limits and Allocations"):
 * - `throttled`: HTTP 429, short-term; wait what `Retry-After` says, else back off, within the
 *   retry policy.
 * - `allowanceSpent`: `REQUEST_LIMIT_EXCEEDED` (HTTP 403): the org's rolling 24-hour request
 *   allocation, or its concurrent long-running request limit, is used up; it lasts minutes or
 *   hours, so every Salesforce call pauses for the budget poll.
 */
export type SalesforceLimit = 'throttled' | 'allowanceSpent';

export function limitOf(status: number | null | undefined, vendorCode: string | undefined): SalesforceLimit | null {
  if (status === 429) return 'throttled';
  if (vendorCode === 'REQUEST_LIMIT_EXCEEDED') return 'allowanceSpent';
  return null;
}

/** How long the server asked us to wait, for an error of this kind; undefined leaves it to the retry policy. */
function waitOf(args: { kind: ConnectorErrorKind; limit: SalesforceLimit | null; retryAfter: string | null; allowancePauseMs: number; now: Date }): number | undefined {
  if (args.limit === 'allowanceSpent') return args.allowancePauseMs;
  if (args.kind !== 'rateLimited' && args.kind !== 'transient') return undefined;
  return parseRetryAfter(args.retryAfter, args.now);
}

export function classifySalesforceError(args: ClassifyArgs): ConnectorError {
  const { error, observation, correlationId } = args;
  if (isConnectorError(error)) return error;
  const base = { system: 'salesforce' as const, correlationId, cause: error };
  if (args.refreshError) {
    return new ConnectorError({
      ...base,
      kind: args.refreshError.kind === 'transient' ? 'transient' : 'auth',
      message: `session refresh failed: ${args.refreshError.message}`,
      ...(args.refreshError.vendorCode ? { vendorCode: args.refreshError.vendorCode } : {}),
      ...(args.refreshError.status ? { status: args.refreshError.status } : {}),
    });
  }
  if (error instanceof WireFormatError) return new ConnectorError({ ...base, kind: 'unknown', message: error.message });
  if (observation.noAnswer) {
    const code = isObject(error) && typeof error['code'] === 'string' ? error['code'] : 'NETWORK';
    if (isTlsTrustCode(code)) return tlsTrustError({ code, correlationId, cause: error });
    return new ConnectorError({
      ...base,
      kind: 'transient',
      vendorCode: code,
      // A refused connection never reached the server; anything else might have.
      outcomeUnknown: args.isWrite && code !== 'ECONNREFUSED',
      message: `no answer from Salesforce (${code})`,
    });
  }
  const vendorCode = vendorCodeOf(error);
  const status = observation.lastStatus;
  const kind = kindOfVendorCode(vendorCode, status);
  const message = error instanceof Error ? error.message : 'Salesforce call failed';
  const retryAfterMs = waitOf({ kind, limit: limitOf(status, vendorCode), retryAfter: observation.retryAfter, allowancePauseMs: args.allowancePauseMs, now: args.now });
  return new ConnectorError({
    ...base,
    kind,
    message,
    ...(status === null ? {} : { status }),
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** One row of a collection call that failed, as its own ConnectorError. */
export function classifySaveError(result: SalesforceSaveResult, correlationId: string): ConnectorError {
  const first = result.errors[0];
  const vendorCode = first?.statusCode ?? 'UNKNOWN_EXCEPTION';
  const fields = first?.fields?.length ? ` [${first.fields.join(', ')}]` : '';
  return new ConnectorError({
    kind: kindOfVendorCode(vendorCode, null),
    system: 'salesforce',
    vendorCode,
    correlationId,
    message: `${first?.message ?? 'record not saved'}${fields}`,
  });
}

/** Anything caught at the connector boundary, as a ConnectorError (the contract allows nothing else). */
export function asConnectorError(error: unknown, what: string): ConnectorError {
  if (isConnectorError(error)) return error;
  if (error instanceof WireFormatError) return new ConnectorError({ kind: 'unknown', system: 'salesforce', message: error.message, cause: error });
  return new ConnectorError({ kind: 'unknown', system: 'salesforce', message: `${what} failed`, cause: error });
}
