/**
 * Classifies Dataverse answers and transport failures into the closed set of ConnectorError
 * kinds (STYLE.md 6): vendor code first (§8.3), HTTP status second; never message text.
 */
import { ConnectorError, isConnectorError, parseRetryAfter, type ConnectorErrorKind } from '../errors.js';
import { errorCodeKinds } from './descriptor.js';
import { NoAnswerError, type HttpResponse } from './http.js';

/** `{"error":{"code","message"}}` (§8.1), reduced to the two known fields. */
export function errorBodyOf(body: string): { code: string | undefined; message: string | undefined } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof parsed.error?.code === 'string' && parsed.error.code !== '' ? parsed.error.code : undefined;
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : undefined;
    return { code, message };
  } catch {
    return { code: undefined, message: undefined };
  }
}

export function kindOf(status: number, code: string | undefined): ConnectorErrorKind {
  // §4: the daemon keys on HTTP 412, the code is secondary.
  if (status === 412) return 'conflict';
  if (status === 429) return 'rateLimited';
  if (status === 401) return 'auth';
  const known = code === undefined ? undefined : errorCodeKinds[code];
  if (known) return known;
  if (status === 403) return 'auth';
  if (status === 404) return 'notFound';
  if (status === 408 || status >= 500) return 'transient';
  if (status >= 400) return 'invalid';
  return 'unknown';
}

export function responseError(args: { response: HttpResponse; op: string; correlationId: string; now: Date }): ConnectorError {
  const { response, op, correlationId } = args;
  const { code, message } = errorBodyOf(response.body);
  const kind = kindOf(response.status, code);
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], args.now);
  return new ConnectorError({
    kind,
    system: 'dynamics',
    status: response.status,
    ...(code ? { vendorCode: code } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    correlationId,
    message: `${op}: Dataverse answered ${response.status}${message ? `: ${message}` : ''}`,
  });
}

/** Node's codes for a server certificate it does not trust; retrying cannot help. */
const isTlsTrustCode = (code: string): boolean => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code);

/** A failure without an HTTP answer. `write`: the request may have been applied. */
export function transportError(args: { error: unknown; op: string; correlationId: string; write: boolean }): ConnectorError {
  const { error, op, correlationId } = args;
  if (isConnectorError(error)) return error;
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'UNKNOWN';
  if (isTlsTrustCode(code)) {
    return new ConnectorError({
      kind: 'invalid',
      system: 'dynamics',
      vendorCode: code,
      correlationId,
      cause: error,
      message: `${op}: the Dataverse server certificate is not trusted (${code}); an org behind a private CA needs the \`ca\` option`,
    });
  }
  // Refused or unresolved connections never carried the request; anything else may have.
  const neverSent = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
  const unknownOutcome = args.write && !neverSent && (error instanceof NoAnswerError || code === 'ECONNRESET' || code === 'ETIMEDOUT');
  return new ConnectorError({
    kind: 'transient',
    system: 'dynamics',
    vendorCode: code,
    correlationId,
    outcomeUnknown: unknownOutcome,
    cause: error,
    message: `${op}: no answer from Dataverse (${code})`,
  });
}
