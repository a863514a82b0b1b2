/**
 * One Partner Center call, end to end: rate limit (with the shared 429 pause), bearer token
 * (one forced refresh on 401), the tracing headers, status classification and the retry loop.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import { operationOf, report, type ApiCallObserver } from '../shared/api-calls.js';
import type { RateLimiter } from '../shared/rate-limit.js';
import { withRetry } from '../shared/retry.js';
import type { RetryPolicy } from '../shared/retry.js';
import type { TokenAudience, TokenProvider } from './auth/token-provider.js';
import { classifyResponse } from './classify.js';
import type { HttpRequest, HttpResponse, HttpTransport } from './http.js';

export interface CallArgs {
  method: HttpRequest['method'];
  url: URL;
  body?: unknown;
  headers?: Record<string, string>;
  /** Per run / operation; sent as `MS-CorrelationId`. */
  correlationId: string;
  /** Kept across retries of one write (`MS-RequestId`, Partner Center docs, "Partner Center REST and response headers"). */
  requestId?: string;
  policy?: RetryPolicy;
  audience?: TokenAudience;
  signal?: AbortSignal;
}

export interface CallResult extends HttpResponse {
  json: unknown;
}

export interface RequesterDeps {
  transport: HttpTransport;
  tokens: TokenProvider;
  limiter: RateLimiter;
  clock: Clock;
  logger: Logger;
  policy: RetryPolicy;
  timeoutMs: number;
  /** Told of every request sent (metrics). */
  onApiCall?: ApiCallObserver;
}

function parseJson(res: HttpResponse, correlationId: string): unknown {
  if (res.body.trim() === '') return null;
  try {
    return JSON.parse(res.body);
  } catch (cause) {
    throw new ConnectorError({ kind: 'invalid', system: 'partnerCenter', status: res.status, vendorCode: 'malformedResponse', message: 'response body is not JSON', correlationId, cause });
  }
}

export type Requester = (args: CallArgs) => Promise<CallResult>;

/** Builds the function every connector operation sends its requests through. */
export function createRequester(deps: RequesterDeps): Requester {
  const attemptOnce = async (args: CallArgs): Promise<CallResult> => {
    const audience = args.audience ?? 'referrals';
    for (let refreshed = false; ; refreshed = true) {
      const token = await deps.tokens.getToken(audience, refreshed ? { forceRefresh: true } : {});
      const clientRequestId = randomUUID();
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'ms-correlationid': args.correlationId,
        'client-request-id': clientRequestId,
        ...(args.requestId === undefined ? {} : { 'ms-requestid': args.requestId }),
        ...(args.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...args.headers,
      };
      let res: HttpResponse;
      try {
        res = await deps.transport.send({
          method: args.method,
          url: args.url,
          headers,
          timeoutMs: deps.timeoutMs,
          ...(args.body === undefined ? {} : { body: JSON.stringify(args.body) }),
          ...(args.signal === undefined ? {} : { signal: args.signal }),
        });
      } catch (error) {
        report(deps.onApiCall, { system: 'partnerCenter', operation: operationOf(args.method, args.url.pathname), status: 'noAnswer' });
        if (isConnectorError(error)) {
          deps.logger.warn({ method: args.method, path: args.url.pathname, correlationId: args.correlationId, clientRequestId, err: error.toLog() }, 'Partner Center request failed');
        }
        throw error;
      }
      report(deps.onApiCall, { system: 'partnerCenter', operation: operationOf(args.method, args.url.pathname), status: String(res.status) });
      const error = classifyResponse({ status: res.status, headers: res.headers, body: res.body, method: args.method, now: deps.clock.now(), correlationId: args.correlationId });
      deps.logger.debug({ method: args.method, path: args.url.pathname, status: res.status, correlationId: args.correlationId, clientRequestId }, 'Partner Center response');
      if (error === null) return { ...res, json: parseJson(res, args.correlationId) };
      if (res.status === 401 && !refreshed) {
        deps.logger.info({ correlationId: args.correlationId, audience }, 'Partner Center said 401; refreshing the token once');
        continue;
      }
      if (error.kind === 'rateLimited' && error.retryAfterMs !== undefined) deps.limiter.pause(error.retryAfterMs);
      throw error;
    }
  };

  return (args) =>
    withRetry({
      policy: args.policy ?? deps.policy,
      clock: deps.clock,
      ...(args.signal === undefined ? {} : { signal: args.signal }),
      run: () => deps.limiter.schedule(() => attemptOnce(args), args.signal),
      onRetry: (decision, attempt, error) =>
        deps.logger.warn(
          { method: args.method, path: args.url.pathname, attempt, waitMs: decision.waitMs, reason: decision.reason, correlationId: args.correlationId, err: isConnectorError(error) ? error.toLog() : undefined },
          'retrying Partner Center request',
        ),
    });
}
