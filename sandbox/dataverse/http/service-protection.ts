/**
 * Service protection limits (Dataverse developer guide, "Service protection API limits"): per user, over a sliding window, number of
 * requests (0x80072322), combined execution time (0x80072321) and concurrent requests (0x80072326,
 * immediate). 429 with `Retry-After` that grows under continued pressure, and the
 * `x-ms-ratelimit-*` headers on every answer. Limits apply only when configured.
 */
import type { ServiceProtectionLimits } from '../options.js';
import { CODES, DvError } from '../wire/errors.js';
import type { NowSource } from '../ops/context.js';

export type LimitKind = 'requests' | 'executionTime' | 'concurrency';

interface UserState {
  calls: { at: number; ms: number }[];
  /** Sum of `ms` over `calls`, kept as calls enter and leave the window. */
  usedMs: number;
  inFlight: number;
  pressure: number;
}

const DEFAULT_WINDOW_MS = 300_000;
const DEFAULT_REQUESTS = 6000;
const DEFAULT_EXECUTION_MS = 1_200_000;

export class ServiceProtection {
  private readonly users = new Map<string, UserState>();
  private forced: { kind: LimitKind; remaining: number; retryAfterSeconds: number } | null = null;

  constructor(
    private readonly clock: NowSource,
    private limits: ServiceProtectionLimits | null,
  ) {}

  setLimits(limits: ServiceProtectionLimits | null): void {
    this.limits = limits;
  }

  /** The next `count` requests fail with this limit, whatever the counters say. */
  trip(args: { kind: LimitKind; count?: number; retryAfterSeconds?: number }): void {
    this.forced = { kind: args.kind, remaining: args.count ?? 1, retryAfterSeconds: args.retryAfterSeconds ?? 5 };
  }

  private user(key: string): UserState {
    let state = this.users.get(key);
    if (!state) this.users.set(key, (state = { calls: [], usedMs: 0, inFlight: 0, pressure: 0 }));
    const horizon = this.clock.now().getTime() - (this.limits?.windowMs ?? DEFAULT_WINDOW_MS);
    let drop = 0;
    while (drop < state.calls.length && (state.calls[drop] as { at: number }).at < horizon) state.usedMs -= (state.calls[drop++] as { ms: number }).ms;
    if (drop > 0) state.calls.splice(0, drop);
    return state;
  }

  /** `x-ms-ratelimit-*` headers for the user's current window ("Service protection API limits"). */
  headers(key: string): Record<string, string> {
    const state = this.user(key);
    const requests = this.limits?.requestsPerWindow ?? DEFAULT_REQUESTS;
    const execution = this.limits?.executionTimeMsPerWindow ?? DEFAULT_EXECUTION_MS;
    const used = state.usedMs;
    return {
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(Math.max(0, requests - state.calls.length)),
      'x-ms-ratelimit-time-remaining-xrm-requests': (Math.max(0, execution - used) / 1000).toFixed(2),
    };
  }

  private reject(state: UserState, kind: LimitKind, message: string, freesInMs: number): DvError {
    state.pressure++;
    const base = this.limits?.retryAfterSeconds ?? Math.max(1, Math.ceil(freesInMs / 1000));
    const retryAfter = Math.min(base * state.pressure, 300);
    const code = kind === 'requests' ? CODES.requestsLimit : kind === 'executionTime' ? CODES.executionTimeLimit : CODES.concurrencyLimit;
    return new DvError(429, code, message, { 'Retry-After': String(retryAfter) });
  }

  /**
   * Requests still executing: the ones inside a handler now, or, with `simulatedExecutionMs`,
   * the ones that started less than that long ago on the sandbox clock (handlers here are fast,
   * so overlap only exists in simulated time).
   */
  private concurrent(state: UserState, now: number): number {
    const simulated = this.limits?.simulatedExecutionMs ?? 0;
    let overlapping = 0;
    for (let i = state.calls.length - 1; i >= 0 && (state.calls[i] as { at: number }).at > now - simulated; i--) overlapping++;
    return Math.max(state.inFlight, overlapping);
  }

  /** Admits a request or throws the 429; call the returned function when it ends. */
  begin(key: string): (elapsedMs: number) => void {
    const state = this.user(key);
    const now = this.clock.now().getTime();
    const windowMs = this.limits?.windowMs ?? DEFAULT_WINDOW_MS;
    const oldest = state.calls[0]?.at ?? now;
    const freesIn = oldest + windowMs - now;
    if (this.forced && this.forced.remaining > 0) {
      this.forced.remaining--;
      const error = this.reject(state, this.forced.kind, `Service protection limit '${this.forced.kind}' exceeded (forced by the control API).`, this.forced.retryAfterSeconds * 1000);
      if (this.forced.remaining === 0) this.forced = null;
      throw error;
    }
    const limits = this.limits;
    if (limits?.concurrentRequests !== undefined && this.concurrent(state, now) >= limits.concurrentRequests) {
      throw this.reject(state, 'concurrency', `Number of concurrent requests exceeded the limit of ${limits.concurrentRequests}.`, 1000);
    }
    if (limits?.requestsPerWindow !== undefined && state.calls.length >= limits.requestsPerWindow) {
      throw this.reject(state, 'requests', `Number of requests exceeded the limit of ${limits.requestsPerWindow} over time window of ${windowMs / 1000} seconds.`, freesIn);
    }
    const used = state.usedMs;
    if (limits?.executionTimeMsPerWindow !== undefined && used >= limits.executionTimeMsPerWindow) {
      throw this.reject(state, 'executionTime', `Combined execution time of incoming requests exceeded limit of ${limits.executionTimeMsPerWindow} milliseconds over time window of ${windowMs / 1000} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`, freesIn);
    }
    state.pressure = 0;
    state.inFlight++;
    const simulated = limits?.simulatedExecutionMs ?? 0;
    const call = { at: now, ms: simulated };
    state.calls.push(call);
    state.usedMs += simulated;
    return (elapsedMs) => {
      state.inFlight--;
      const ms = Math.max(elapsedMs, simulated);
      state.usedMs += ms - call.ms;
      call.ms = ms;
    };
  }
}
