import type { Clock } from '../../src/core/clock.js';
import { isConnectorError } from '../errors.js';

/** What a retry policy decides for one failed attempt: a pure decision one loop applies. */
export interface RetryDecision {
  retry: boolean;
  reason: string;
  waitMs: number;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Whether a write whose outcome is unknown may be retried blindly (false for creates). */
  retryUnknownOutcome: boolean;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 60_000,
  retryUnknownOutcome: true,
};

/**
 * Pure: given the error of attempt `attempt` (1-based), decide whether and when to try again.
 * `Retry-After` wins over backoff; jitter comes from `random` so tests can pin it.
 */
export function decideRetry(args: {
  error: unknown;
  attempt: number;
  policy: RetryPolicy;
  random?: () => number;
}): RetryDecision {
  const { error, attempt, policy } = args;
  const random = args.random ?? Math.random;
  if (attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts exhausted', waitMs: 0 };
  if (!isConnectorError(error)) return { retry: false, reason: 'not a connector error', waitMs: 0 };
  if (error.outcomeUnknown && !policy.retryUnknownOutcome) {
    return { retry: false, reason: 'outcome unknown; caller must check before retrying', waitMs: 0 };
  }
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(backoff / 2 + (random() * backoff) / 2);
  switch (error.kind) {
    case 'rateLimited': {
      const waitMs = error.retryAfterMs !== undefined ? error.retryAfterMs : jittered;
      return { retry: true, reason: 'rate limited', waitMs: Math.min(waitMs, policy.maxDelayMs * 10) };
    }
    case 'transient':
      return { retry: true, reason: 'transient', waitMs: error.retryAfterMs ?? jittered };
    default:
      return { retry: false, reason: error.kind, waitMs: 0 };
  }
}

/** The one generic loop that applies a policy, logging each reason through `onRetry`. */
export async function withRetry<T>(args: {
  run: (attempt: number) => Promise<T>;
  policy: RetryPolicy;
  clock: Clock;
  signal?: AbortSignal;
  onRetry?: (decision: RetryDecision, attempt: number, error: unknown) => void;
  random?: () => number;
}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await args.run(attempt);
    } catch (error) {
      const decision = decideRetry({
        error,
        attempt,
        policy: args.policy,
        ...(args.random ? { random: args.random } : {}),
      });
      if (!decision.retry || args.signal?.aborted) throw error;
      args.onRetry?.(decision, attempt, error);
      await args.clock.sleep(decision.waitMs, args.signal);
    }
  }
}
