import { describe, expect, it } from '@jest/globals';
import { ConnectorError, parseRetryAfter } from '../../connectors/errors.js';
import { decideRetry, defaultRetryPolicy } from '../../connectors/shared/retry.js';

const err = (kind: ConstructorParameters<typeof ConnectorError>[0]['kind'], extra: Partial<ConstructorParameters<typeof ConnectorError>[0]> = {}) =>
  new ConnectorError({ kind, system: 'partnerCenter', message: kind, ...extra });

describe('retry decisions', () => {
  it('waits exactly what Retry-After says on 429', () => {
    const d = decideRetry({ error: err('rateLimited', { retryAfterMs: 57_000 }), attempt: 1, policy: defaultRetryPolicy });
    expect(d).toEqual({ retry: true, reason: 'rate limited', waitMs: 57_000 });
  });
  it('backs off exponentially with jitter on transient errors', () => {
    const waits = [1, 2, 3].map((attempt) => decideRetry({ error: err('transient'), attempt, policy: defaultRetryPolicy, random: () => 1 }).waitMs);
    expect(waits).toEqual([500, 1000, 2000]);
  });
  it('never retries auth, invalid or conflict errors', () => {
    for (const kind of ['auth', 'invalid', 'conflict', 'notFound'] as const) {
      expect(decideRetry({ error: err(kind), attempt: 1, policy: defaultRetryPolicy }).retry).toBe(false);
    }
  });
  it('refuses a blind retry of a write whose outcome is unknown when the policy says so', () => {
    const d = decideRetry({ error: err('transient', { outcomeUnknown: true }), attempt: 1, policy: { ...defaultRetryPolicy, retryUnknownOutcome: false } });
    expect(d.retry).toBe(false);
  });
  it('stops after the last attempt', () => {
    expect(decideRetry({ error: err('transient'), attempt: 5, policy: defaultRetryPolicy }).retry).toBe(false);
  });
  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
