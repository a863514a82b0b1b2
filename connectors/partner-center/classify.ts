/**
 * HTTP status -> the closed set of error kinds, keeping the vendor code, the
 * server's message (bounded) and the server's wait. Pure, so every branch is unit-tested.
 */
import { ConnectorError, parseRetryAfter } from '../errors.js';
import type { ConnectorErrorKind, ConnectorSystem } from '../errors.js';
import { partnerCenterFacts } from './options.js';
import { wireErrorSchema } from './wire.js';

/** The code and message of a vendor error body, whatever its shape. */
export interface VendorErrorBody {
  code: string | undefined;
  message: string | undefined;
}

const asText = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined);

/** Reads the error body defensively: Partner API, CSP and throttling shapes
 * (Partner Center docs, "Referrals API response codes", "API throttling guidance"). */
export function readVendorError(body: string): VendorErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { code: undefined, message: body.trim() === '' ? undefined : body.slice(0, partnerCenterFacts.maxErrorMessageLength) };
  }
  const parsed = wireErrorSchema.safeParse(json);
  if (!parsed.success) return { code: undefined, message: undefined };
  const e = parsed.data;
  const code = asText(e.error?.code) ?? asText(e.code);
  const message = asText(e.error?.message) ?? asText(e.description) ?? asText(e.message);
  return { code, message: message?.slice(0, partnerCenterFacts.maxErrorMessageLength) };
}

function kindFor(status: number): ConnectorErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404 || status === 410) return 'notFound';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429 || status === 503) return 'rateLimited';
  if (status >= 500) return 'transient';
  if (status >= 400) return 'invalid';
  return 'unknown';
}

/** The error for a non-2xx response (null for success). */
export function classifyResponse(args: {
  status: number;
  headers: Record<string, string>;
  body: string;
  method: string;
  now: Date;
  correlationId: string;
  system?: ConnectorSystem;
}): ConnectorError | null {
  const { status } = args;
  if (status >= 200 && status < 300) return null;
  const kind = kindFor(status);
  const vendor = readVendorError(args.body);
  const retryAfterMs = parseRetryAfter(args.headers['retry-after'], args.now);
  // A 5xx other than 503 may hide a write that took effect (a gateway timing out behind the service).
  const outcomeUnknown = kind === 'transient' && args.method !== 'GET' && status !== 501;
  const fallbackCode = status === 412 ? 'preconditionFailed' : undefined;
  const vendorCode = vendor.code ?? fallbackCode;
  return new ConnectorError({
    kind,
    system: args.system ?? 'partnerCenter',
    status,
    message: vendor.message ?? `HTTP ${status}`,
    correlationId: args.correlationId,
    outcomeUnknown,
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(retryAfterMs === undefined || (kind !== 'rateLimited' && kind !== 'transient') ? {} : { retryAfterMs }),
  });
}
