/**
 * Classifies what dynamics-web-api throws into the closed set of ConnectorError kinds: vendor code first, HTTP status second; never message text.
 *
 * The library's errors: an answer's error carries `status`, `headers` and the keys of the body's
 * `error` object (`code`, `message`); a failed `$batch` part nests them as `error.code`; a failure
 * without an answer is Node's own error with its `code` (`ECONNRESET`, a TLS trust code).
 */
import { ConnectorError, parseRetryAfter, type ConnectorErrorKind } from '../errors.js';
import { errorCodeKinds } from './descriptor.js';

interface AnsweredError {
  status: number;
  code?: unknown;
  message?: unknown;
  error?: { code?: unknown; message?: unknown } | null;
  headers?: Record<string, unknown> | null;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function kindOf(status: number, code: string | undefined): ConnectorErrorKind {
  // The daemon keys on HTTP 412; the code is secondary there.
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

const isAnswered = (error: unknown): error is AnsweredError => typeof (error as { status?: unknown } | null)?.status === 'number';

/** Node's codes for a server certificate it does not trust; retrying cannot help. */
export const isTlsTrustCode = (code: string): boolean => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(code);

/** Refused or unresolved connections never carried the request; anything else may have. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * `write`: the request may have changed data, so a failure without an answer leaves its outcome
 * unknown (the retry policy then does not resend it blindly).
 */
export function classifyError(args: { error: unknown; op: string; correlationId?: string; write: boolean; now: Date }): ConnectorError {
  const { error, op } = args;
  const correlation = args.correlationId === undefined ? {} : { correlationId: args.correlationId };
  if (isAnswered(error)) {
    const code = text(error.code) ?? text(error.error?.code);
    const message = text(error.message) ?? text(error.error?.message);
    const retryAfter = error.headers?.['retry-after'];
    const retryAfterMs = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, args.now);
    return new ConnectorError({
      kind: kindOf(error.status, code),
      system: 'dynamics',
      status: error.status,
      ...(code ? { vendorCode: code } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      ...correlation,
      message: `${op}: Dataverse answered ${error.status}${message ? `: ${message}` : ''}`,
    });
  }
  const code = text((error as { code?: unknown } | null)?.code);
  if (code === undefined) {
    return new ConnectorError({ kind: 'unknown', system: 'dynamics', ...correlation, cause: error, message: `${op}: ${error instanceof Error ? error.message : String(error)}` });
  }
  if (isTlsTrustCode(code)) {
    return new ConnectorError({
      kind: 'invalid',
      system: 'dynamics',
      vendorCode: code,
      ...correlation,
      cause: error,
      message: `${op}: the Dataverse server certificate is not trusted (${code}); behind a private CA, start the daemon with NODE_EXTRA_CA_CERTS naming the CA's PEM file (the sandbox writes it into sandbox.env)`,
    });
  }
  return new ConnectorError({
    kind: 'transient',
    system: 'dynamics',
    vendorCode: code,
    ...correlation,
    outcomeUnknown: args.write && !NEVER_SENT.has(code),
    cause: error,
    message: `${op}: no answer from Dataverse (${code})`,
  });
}
