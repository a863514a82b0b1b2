/**
 * The one path every Salesforce call takes: session (jsforce `Connection` with a bounded
 * refresh), RateLimiter, withRetry, error classification, the API budget reserve, and a log
 * line per call carrying its correlation id.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'jsforce';
import type { Logger } from 'pino';
import type { Clock } from '../../src/core/clock.js';
import type { StateStore } from '../../src/store/types.js';
import { ConnectorError } from '../errors.js';
import { report, type ApiCallObserver } from '../shared/api-calls.js';
import { RateLimiter } from '../shared/rate-limit.js';
import { withRetry, type RetryPolicy } from '../shared/retry.js';
import type { ConnectorHealth } from '../types.js';
import type { Authenticator } from './auth.js';
import { reserveReached, type ApiUsage } from './budget.js';
import { classifySalesforceError, limitOf } from './classify-error.js';
import type { SalesforceOptions } from './options.js';
import { openConnection } from './session.js';
import { createCallTransport, newObservation, type CallObservation, type TransportSettings } from './transport.js';

export interface CallArgs {
  /** Short name for the log (`query`, `collections.update`). */
  op: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /**
   * Relative to `/services/data/vXX.X` (`/query?q=`), or a `/services/...` path (nextRecordsUrl);
   * with `api: 'tooling'`, relative to the Tooling API (`/sobjects/CustomField`).
   */
  url: string;
  /** The Tooling API, through jsforce's tooling client (`conn.tooling`); default the REST API. */
  api?: 'rest' | 'tooling';
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
  /** A write that got no answer may have been applied (`outcomeUnknown`). */
  isWrite?: boolean;
  /** A write that would duplicate if repeated (plain creates): never retried blindly after no answer. */
  nonIdempotent?: boolean;
  /** Given when the caller also reports per-row errors under the same id. */
  correlationId?: string;
}

const PAUSE_BLOB = 'salesforce.apiBudgetPausedUntil';
const RESERVE_REACHED = 'API budget reserve reached';
const ALLOWANCE_SPENT = 'the org has used up its API request allowance (REQUEST_LIMIT_EXCEEDED)';

export class SalesforceClient {
  private conn: Connection | null = null;
  private session: Promise<Connection> | null = null;
  private readonly limiter: RateLimiter;
  private refreshFailures = 0;
  private lastRefreshError: ConnectorError | null = null;
  private authFailure: ConnectorError | null = null;
  private lastFailure: ConnectorError | null = null;
  private pausedUntil = 0;
  private pauseDetail = RESERVE_REACHED;
  private budgetPaused = false;
  private pauseRestored: Promise<void> | null = null;
  private closed = false;
  /** The last write of the pause to the store; close() waits for it. */
  private persisting: Promise<void> = Promise.resolve();
  /** Latest usage seen, for the log and the benchmarks. */
  apiUsage: ApiUsage | null = null;

  constructor(
    private readonly deps: {
      options: SalesforceOptions;
      authenticator: Authenticator;
      settings: TransportSettings;
      logger: Logger;
      clock: Clock;
      store: StateStore | undefined;
      onApiCall?: ApiCallObserver | undefined;
    },
  ) {
    this.limiter = new RateLimiter(deps.options.rateLimit, deps.clock);
  }

  private get retryPolicy(): RetryPolicy {
    return this.deps.options.retry;
  }

  async call<T>(args: CallArgs): Promise<T> {
    if (this.closed) throw new ConnectorError({ kind: 'invalid', system: 'salesforce', message: 'connector is closed' });
    await this.restorePause();
    const correlationId = args.correlationId ?? randomUUID();
    const log = this.deps.logger.child({ correlationId, op: args.op });
    const policy = args.nonIdempotent ? { ...this.retryPolicy, retryUnknownOutcome: false } : this.retryPolicy;
    try {
      const result = await withRetry({
        policy,
        clock: this.deps.clock,
        ...(args.signal ? { signal: args.signal } : {}),
        run: () => this.limiter.schedule(() => this.attempt<T>(args, correlationId), args.signal),
        onRetry: (decision, attempt, error) =>
          log.warn({ attempt, waitMs: decision.waitMs, reason: decision.reason, error: (error as ConnectorError).toLog() }, 'retrying Salesforce call'),
      });
      this.lastFailure = null;
      return result;
    } catch (error) {
      const classified = error instanceof ConnectorError ? error : classifySalesforceError({
        error,
        observation: newObservation(),
        correlationId,
        isWrite: args.isWrite === true,
        refreshError: null,
        allowancePauseMs: this.deps.options.apiBudgetPollMs,
        now: this.deps.clock.now(),
      });
      this.lastFailure = classified;
      if (classified.kind === 'auth') this.authFailure = classified;
      log.error({ error: classified.toLog() }, 'Salesforce call failed');
      throw classified;
    }
  }

  private async attempt<T>(args: CallArgs, correlationId: string): Promise<T> {
    const conn = await this.connection();
    const observation = newObservation();
    const refreshFailuresBefore = this.refreshFailures;
    const transport = createCallTransport({ settings: this.deps.settings, observation, signal: args.signal });
    const headers: Record<string, string> = { ...args.headers };
    if (args.body !== undefined) headers['content-type'] = 'application/json';
    const started = this.deps.clock.now().getTime();
    try {
      const request = { method: args.method, headers, ...(args.body === undefined ? {} : { body: JSON.stringify(args.body) }) };
      const result = (
        args.api === 'tooling'
          ? await conn.tooling.request<T>({ ...request, url: `${conn.tooling._baseUrl()}${args.url}` }, { transport })
          : await conn.request<T>({ ...request, url: args.url }, { transport })
      ) as T;
      this.authFailure = null;
      this.counted(args.op, observation);
      if (observation.apiUsage) this.noteUsage(observation.apiUsage);
      this.deps.logger.debug(
        { correlationId, op: args.op, status: observation.lastStatus, ms: this.deps.clock.now().getTime() - started },
        'Salesforce call',
      );
      return result;
    } catch (error) {
      this.counted(args.op, observation);
      // The usage this answer reported counts first, so the refusal's own reason is what health says.
      if (observation.apiUsage) this.noteUsage(observation.apiUsage);
      const classified = classifySalesforceError({
        error,
        observation,
        correlationId,
        isWrite: args.isWrite === true,
        refreshError: this.refreshFailures === refreshFailuresBefore ? null : this.lastRefreshError,
        allowancePauseMs: this.deps.options.apiBudgetPollMs,
        now: this.deps.clock.now(),
      });
      this.holdBack(classified);
      throw classified;
    }
  }

  /** The daily allowance pauses every call for the budget poll; a 429's Retry-After holds back every queued call. */
  private holdBack(error: ConnectorError): void {
    const limit = limitOf(error.status, error.vendorCode);
    if (limit === 'allowanceSpent') this.pauseForBudget('REQUEST_LIMIT_EXCEEDED', ALLOWANCE_SPENT);
    if (limit === 'throttled' && error.retryAfterMs !== undefined) this.limiter.pause(error.retryAfterMs);
  }

  /** One attempt told to the call counter; a session refresh inside it (401, then again) counts twice. */
  private counted(op: string, observation: CallObservation): void {
    const status = observation.lastStatus === null ? 'noAnswer' : String(observation.lastStatus);
    const budget = observation.apiUsage === null ? {} : { budget: observation.apiUsage };
    for (let n = 0; n <= Math.min(1, observation.sessionExpiredCount); n++) {
      report(this.deps.onApiCall, { system: 'salesforce', operation: op, status: n < observation.sessionExpiredCount ? '401' : status, ...budget });
    }
  }

  private noteUsage(usage: ApiUsage): void {
    this.apiUsage = usage;
    if (reserveReached({ usage, reservePercent: this.deps.options.apiBudgetReservePercent })) {
      this.pauseForBudget(`api-usage ${usage.used}/${usage.limit}`, RESERVE_REACHED);
    } else if (this.budgetPaused && this.pausedUntil <= this.deps.clock.now().getTime()) {
      // Only a call sent after the pause ended may lift it: a REQUEST_LIMIT_EXCEEDED answer can
      // carry a usage figure below the reserve (the concurrent long-running request limit).
      this.budgetPaused = false;
      this.pausedUntil = 0;
      this.deps.logger.info({ used: usage.used, limit: usage.limit }, 'Salesforce API budget below the reserve again; resuming');
    }
  }

  /**
   * Holds every queued call for a poll interval. Logs once per episode: probes that find the
   * budget still in the reserve extend the pause quietly until a response shows room again.
   */
  private pauseForBudget(reason: string, detail: string): void {
    const now = this.deps.clock.now().getTime();
    this.pauseDetail = detail;
    this.pausedUntil = Math.max(this.pausedUntil, now + this.deps.options.apiBudgetPollMs);
    this.limiter.pause(this.pausedUntil - now);
    this.persistPause(new Date(this.pausedUntil).toISOString());
    if (this.budgetPaused) return;
    this.budgetPaused = true;
    this.deps.logger.warn(
      { reason, reservePercent: this.deps.options.apiBudgetReservePercent, pausedUntil: new Date(this.pausedUntil).toISOString() },
      detail === RESERVE_REACHED ? 'Salesforce API budget reserve reached; pausing Salesforce calls' : 'Salesforce API request allowance used up; pausing Salesforce calls',
    );
  }

  private persistPause(until: string): void {
    const store = this.deps.store;
    if (!store) return;
    this.persisting = this.persisting
      .then(() => store.putBlob(PAUSE_BLOB, Buffer.from(until)))
      .catch((error: unknown) => this.deps.logger.warn({ error: String(error) }, 'could not persist the Salesforce pause'));
  }

  /** A pause survives a restart (it lives in the state store): read once, before the first call. */
  private restorePause(): Promise<void> {
    this.pauseRestored ??= (async () => {
      const blob = await this.deps.store?.getBlob(PAUSE_BLOB);
      const until = blob ? Date.parse(blob.toString('utf8')) : Number.NaN;
      const left = until - this.deps.clock.now().getTime();
      if (Number.isFinite(left) && left > 0) {
        this.pausedUntil = until;
        this.budgetPaused = true;
        this.limiter.pause(left);
        this.deps.logger.warn({ pausedUntil: new Date(until).toISOString() }, 'Salesforce API budget pause from before the restart still holds');
      }
    })();
    return this.pauseRestored;
  }

  private connection(): Promise<Connection> {
    if (this.conn) return Promise.resolve(this.conn);
    this.session ??= this.login().finally(() => {
      this.session = null;
    });
    return this.session;
  }

  private async login(): Promise<Connection> {
    try {
      this.conn = await openConnection({
        options: this.deps.options,
        authenticator: this.deps.authenticator,
        logger: this.deps.logger,
        onRefreshFailed: (error) => {
          this.refreshFailures += 1;
          this.lastRefreshError = error;
        },
      });
      return this.conn;
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === 'auth') this.authFailure = error;
      throw error;
    }
  }

  health(): ConnectorHealth {
    const now = this.deps.clock.now().getTime();
    if (this.authFailure) return { state: 'authFailed', detail: this.authFailure.message, pausedUntil: null };
    if (this.pausedUntil > now) {
      return { state: 'paused', detail: this.pauseDetail, pausedUntil: new Date(this.pausedUntil).toISOString() };
    }
    if (this.lastFailure) return { state: 'degraded', detail: `${this.lastFailure.kind}: ${this.lastFailure.message}`, pausedUntil: null };
    return { state: 'ok', detail: null, pausedUntil: null };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.limiter.onIdle();
    await this.persisting;
    this.deps.settings.httpsAgent?.destroy();
  }
}
