/**
 * Every Web API call goes through here, on dynamics-web-api: the shared RateLimiter (with the 429
 * pause), the generic retry loop, one token refresh on a 401 (the token reaches the library
 * through its `onTokenRefresh`), a correlation id per request (logged and sent as
 * `x-ms-client-request-id`), and classification into ConnectorErrors.
 *
 * Server trust is the process's: dynamics-web-api builds its https agents inside the module, so
 * a private CA (the sandbox's) is trusted through `NODE_EXTRA_CA_CERTS` set before the process
 * starts. The `x-ms-ratelimit-*` headers are not read: Microsoft documents them as a debugging
 * aid that counts per web server, and the 429 with `Retry-After` that follows them already
 * pauses the whole connector.
 *
 * Each request gets a deadline (`timeoutMs`) through the library's `signal` rather than its
 * `timeout` option: that one destroys the request without an error, which leaves the call
 * pending for ever when the answer had begun and its body stalls.
 */
import { randomUUID } from 'node:crypto';
import { DynamicsWebApi, type Config } from 'dynamics-web-api';
import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock.js';
import { isConnectorError } from '../errors.js';
import type { ConnectorHealth } from '../types.js';
import { report, type ApiCallObserver } from '../shared/api-calls.js';
import { RateLimiter } from '../shared/rate-limit.js';
import { withRetry, type RetryPolicy } from '../shared/retry.js';
import type { TokenSource } from './auth.js';
import { classifyError } from './classify-error.js';
import type { DynamicsOptions } from './options.js';

/** What each call spreads into its dynamics-web-api request. */
export interface CallExtras {
  headers: Record<string, string>;
  /** The caller's signal joined with the request's deadline. */
  signal: AbortSignal;
}

export interface CallOptions {
  op: string;
  /** A write whose outcome is unknown after a lost answer is not retried blindly. */
  write?: boolean;
  signal?: AbortSignal | undefined;
}

export class DataverseClient {
  private readonly limiter: RateLimiter;
  private readonly policy: RetryPolicy;
  private readonly config: Config;
  private readonly dwa: DynamicsWebApi;
  private authFailed = false;
  /** The sign-in refusal in Entra's words, for the status page. */
  private authFailure: string | null = null;
  private requests = 0;

  constructor(private readonly deps: { options: DynamicsOptions; tokens: TokenSource; logger: Logger; clock: Clock; onApiCall?: ApiCallObserver | undefined }) {
    this.limiter = new RateLimiter(deps.options.rateLimit, deps.clock);
    this.policy = deps.options.retry;
    this.config = {
      serverUrl: deps.options.url.replace(/\/*$/, '/'),
      dataApi: { version: deps.options.apiVersion },
      // Errors are thrown, never folded into `false` / `null` results (412 on update or upsert).
      propagateErrors: true,
      onTokenRefresh: () => deps.tokens.token(),
    };
    this.dwa = new DynamicsWebApi(this.config);
  }

  /** Requests sent since start (attempts included), for benchmarks and the log. */
  get requestCount(): number {
    return this.requests;
  }

  /** One Web API request (`run` makes exactly one dynamics-web-api call), retried by the policy. */
  call<T>(options: CallOptions, run: (dwa: DynamicsWebApi, extras: CallExtras) => Promise<T>): Promise<T> {
    return this.retried(options, () => this.attempt(options, (extras) => run(this.dwa, extras)));
  }

  /**
   * One `$batch`: `build` queues its calls on a fresh instance (batch mode is per instance, so
   * concurrent calls never join it); resolves to the per-operation results in order, failed
   * operations as the library's error objects.
   */
  batch(options: CallOptions, build: (dwa: DynamicsWebApi) => Promise<void>): Promise<unknown[]> {
    return this.retried(options, () =>
      this.attempt(options, async (extras) => {
        const batch = new DynamicsWebApi(this.config);
        batch.startBatch();
        await build(batch);
        try {
          return (await batch.executeBatch({ continueOnError: true, ...extras })) as unknown[];
        } catch (error) {
          // Without continue-on-error honoured the whole batch is a 400 carrying its part results.
          if (Array.isArray(error)) return error as unknown[];
          throw error;
        }
      }),
    );
  }

  private retried<T>(options: CallOptions, run: () => Promise<T>): Promise<T> {
    const policy = options.write ? { ...this.policy, retryUnknownOutcome: false } : this.policy;
    return withRetry({
      policy,
      clock: this.deps.clock,
      ...(options.signal ? { signal: options.signal } : {}),
      run,
      onRetry: (decision, attempt, error) =>
        this.deps.logger.warn({ op: options.op, attempt, reason: decision.reason, waitMs: decision.waitMs, error: isConnectorError(error) ? error.toLog() : undefined }, 'Dataverse request retried'),
    });
  }

  /** One attempt; a 401 gets one fresh token and one more try (bounded refresh). */
  private async attempt<T>(options: CallOptions, send: (extras: CallExtras) => Promise<T>): Promise<T> {
    try {
      return await this.sendOnce(options, send);
    } catch (error) {
      if (!isConnectorError(error) || error.status !== 401) throw error;
      this.deps.tokens.invalidate();
      try {
        return await this.sendOnce(options, send);
      } catch (again) {
        if (isConnectorError(again) && again.status === 401) {
          this.authFailed = true;
          this.authFailure = null;
        }
        throw again;
      }
    }
  }

  private async sendOnce<T>(options: CallOptions, send: (extras: CallExtras) => Promise<T>): Promise<T> {
    const correlationId = randomUUID();
    const log = this.deps.logger.child({ correlationId, op: options.op });
    try {
      // Signing in first: a refused sign-in is an auth error, not a request sent.
      await this.deps.tokens.token();
    } catch (error) {
      this.authFailed = true;
      this.authFailure = error instanceof Error ? error.message : null;
      throw error;
    }
    const headers = { 'x-ms-client-request-id': correlationId };
    const timeoutMs = this.deps.options.timeoutMs;
    let deadline: AbortSignal | null = null;
    try {
      const result = await this.limiter.schedule(() => {
        this.requests += 1;
        deadline = AbortSignal.timeout(timeoutMs);
        return send({ headers, signal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline });
      }, options.signal);
      // A GET long enough to travel as a one-part `$batch` returns its failure as the result.
      if (result instanceof Error) throw result;
      report(this.deps.onApiCall, { system: 'dynamics', operation: options.op, status: 'ok' });
      this.authFailed = false;
      this.authFailure = null;
      log.debug('Dataverse request');
      return result;
    } catch (thrown) {
      if (isConnectorError(thrown)) {
        report(this.deps.onApiCall, { system: 'dynamics', operation: options.op, status: thrown.status === undefined ? 'noAnswer' : String(thrown.status) });
        throw thrown;
      }
      const timedOut = (deadline as AbortSignal | null)?.aborted === true && options.signal?.aborted !== true;
      const raw = timedOut ? Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT', cause: thrown }) : thrown;
      const error = classifyError({ error: raw, op: options.op, correlationId, write: options.write ?? false, now: this.deps.clock.now() });
      report(this.deps.onApiCall, { system: 'dynamics', operation: options.op, status: error.status === undefined ? 'noAnswer' : String(error.status) });
      if (error.kind === 'rateLimited') {
        // One caller's Retry-After holds back every queued request of this connector.
        this.limiter.pause(error.retryAfterMs ?? this.policy.baseDelayMs);
        log.warn({ retryAfterMs: error.retryAfterMs, vendorCode: error.vendorCode }, 'Dataverse service protection: pausing');
      } else {
        log.warn({ error: error.toLog() }, 'Dataverse request failed');
      }
      throw error;
    }
  }

  health(): ConnectorHealth {
    const pausedMs = this.limiter.pausedForMs();
    if (this.authFailed) return { state: 'authFailed', detail: this.authFailure ?? 'no access token Dataverse accepts (sign-in failed or refused after a refresh)', pausedUntil: null };
    if (pausedMs > 0) {
      const until = new Date(this.deps.clock.now().getTime() + pausedMs).toISOString();
      return { state: 'paused', detail: 'Dataverse service protection limit', pausedUntil: until };
    }
    return { state: 'ok', detail: null, pausedUntil: null };
  }

  async close(): Promise<void> {
    await this.limiter.onIdle();
    this.deps.tokens.close();
  }
}
