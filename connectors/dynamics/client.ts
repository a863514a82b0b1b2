/**
 * Every Web API request goes through here: the shared RateLimiter (with the 429 pause), the
 * generic retry loop, one token refresh on 401, a correlation id per request (logged and sent as
 * `x-ms-client-request-id`), and classification into ConnectorErrors.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock.js';
import { isConnectorError } from '../errors.js';
import type { ConnectorHealth } from '../types.js';
import { RateLimiter } from '../shared/rate-limit.js';
import { withRetry, type RetryPolicy } from '../shared/retry.js';
import type { TokenSource } from './auth.js';
import { responseError, transportError } from './classify-error.js';
import { dataverseDescriptor } from './descriptor.js';
import type { HttpResponse, HttpTransport } from './http.js';
import type { DynamicsOptions } from './options.js';

export interface DvRequest {
  op: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the API base (`opportunities?$select=...`) or absolute (a nextLink). */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Raw body (a `$batch`); `body` is JSON-encoded otherwise. */
  rawBody?: { contentType: string; text: string };
  /** A write whose outcome is unknown after a lost answer is not retried blindly. */
  write?: boolean;
  /** Statuses the caller handles itself instead of getting a thrown error. */
  accept?: readonly number[];
  signal?: AbortSignal | undefined;
}

export class DataverseClient {
  readonly apiBase: string;
  private readonly limiter: RateLimiter;
  private readonly policy: RetryPolicy;
  private authFailed = false;
  /** The sign-in refusal in Entra's words, for the status page. */
  private authFailure: string | null = null;
  private requests = 0;
  private burstRemaining: number | null = null;

  constructor(
    private readonly deps: { options: DynamicsOptions; tokens: TokenSource; transport: HttpTransport; logger: Logger; clock: Clock },
  ) {
    this.apiBase = `${deps.options.url.replace(/\/+$/, '')}/api/data/v${deps.options.apiVersion}/`;
    this.limiter = new RateLimiter(deps.options.rateLimit, deps.clock);
    this.policy = deps.options.retry;
  }

  /** Requests sent since start (attempts included), for benchmarks and the log. */
  get requestCount(): number {
    return this.requests;
  }

  async request(req: DvRequest): Promise<HttpResponse> {
    const policy = req.write ? { ...this.policy, retryUnknownOutcome: false } : this.policy;
    return withRetry({
      policy,
      clock: this.deps.clock,
      ...(req.signal ? { signal: req.signal } : {}),
      run: () => this.attempt(req),
      onRetry: (decision, attempt, error) =>
        this.deps.logger.warn({ op: req.op, attempt, reason: decision.reason, waitMs: decision.waitMs, error: isConnectorError(error) ? error.toLog() : undefined }, 'Dataverse request retried'),
    });
  }

  /** JSON of a successful answer (empty body: null). */
  async json<T>(req: DvRequest): Promise<T> {
    const res = await this.request(req);
    return (res.body === '' ? null : JSON.parse(res.body)) as T;
  }

  private async attempt(req: DvRequest): Promise<HttpResponse> {
    let response = await this.sendOnce(req, false);
    // One token refresh per attempt (STYLE.md 8: bounded refresh).
    if (response.status === 401 && !req.accept?.includes(401)) response = await this.sendOnce(req, true);
    return response;
  }

  private async sendOnce(req: DvRequest, forceRefresh: boolean): Promise<HttpResponse> {
    const correlationId = randomUUID();
    const url = /^https?:\/\//.test(req.url) ? req.url : `${this.apiBase}${req.url}`;
    let token: string;
    try {
      token = await this.deps.tokens.token({ forceRefresh });
    } catch (error) {
      this.authFailed = true;
      this.authFailure = error instanceof Error ? error.message : null;
      throw error;
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      'odata-maxversion': '4.0',
      'odata-version': '4.0',
      authorization: `Bearer ${token}`,
      'x-ms-client-request-id': correlationId,
      ...req.headers,
    };
    let body: string | undefined;
    if (req.rawBody) {
      headers['content-type'] = req.rawBody.contentType;
      body = req.rawBody.text;
    } else if (req.body !== undefined) {
      headers['content-type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(req.body);
    }
    const log = this.deps.logger.child({ correlationId, op: req.op });
    let response: HttpResponse;
    try {
      response = await this.limiter.schedule(() => {
        this.requests += 1;
        return this.deps.transport.send({ method: req.method, url, headers, ...(body !== undefined ? { body } : {}), ...(req.signal ? { signal: req.signal } : {}) });
      }, req.signal);
    } catch (error) {
      const classified = transportError({ error, op: req.op, correlationId, write: req.write ?? false });
      log.warn({ method: req.method, error: classified.toLog() }, 'Dataverse request failed without an answer');
      throw classified;
    }
    this.observe(response);
    log.debug({ method: req.method, status: response.status }, 'Dataverse request');
    const ok = (response.status >= 200 && response.status < 300) || response.status === 304 || req.accept?.includes(response.status) === true;
    if (ok) {
      this.authFailed = false;
      this.authFailure = null;
    }
    if (ok || (response.status === 401 && !forceRefresh)) return response;
    this.authFailed = response.status === 401;
    const error = responseError({ response, op: req.op, correlationId, now: this.deps.clock.now() });
    if (error.kind === 'rateLimited') {
      // §8.4: one caller's Retry-After holds back every queued request of this connector.
      this.limiter.pause(error.retryAfterMs ?? this.policy.baseDelayMs);
      log.warn({ retryAfterMs: error.retryAfterMs, vendorCode: error.vendorCode }, 'Dataverse service protection: pausing');
    }
    throw error;
  }

  /** §8.4: with the burst budget of this server spent, pause a second before the next start. */
  private observe(response: HttpResponse): void {
    const burst = response.headers[dataverseDescriptor.rateLimitHeaders.burstRemaining];
    if (burst === undefined) return;
    const remaining = Number(burst);
    if (!Number.isFinite(remaining)) return;
    this.burstRemaining = remaining;
    if (remaining <= 0) this.limiter.pause(1000);
  }

  health(): ConnectorHealth {
    const pausedMs = this.limiter.pausedForMs();
    if (this.authFailed) return { state: 'authFailed', detail: this.authFailure ?? 'no access token Dataverse accepts (sign-in failed or refused after a refresh)', pausedUntil: null };
    if (pausedMs > 0) {
      const until = new Date(this.deps.clock.now().getTime() + pausedMs).toISOString();
      return { state: 'paused', detail: 'Dataverse service protection limit', pausedUntil: until };
    }
    return { state: 'ok', detail: this.burstRemaining === null ? null : `burst requests remaining: ${this.burstRemaining}`, pausedUntil: null };
  }

  async close(): Promise<void> {
    await this.limiter.onIdle();
    this.deps.transport.close();
    this.deps.tokens.close();
  }
}
