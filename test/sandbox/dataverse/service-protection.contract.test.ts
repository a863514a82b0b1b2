import { afterEach, beforeAll, afterAll, describe, expect, it } from '@jest/globals';
import { rejection, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ size: 5, options: { serviceProtection: { requestsPerWindow: 3, windowMs: 60_000 } } });
});
afterAll(() => h.close());
afterEach(() => {
  // A fresh window for the next test.
  h.clock.advance(61_000);
});

describe('Dataverse emulator service protection', () => {
  it('answers 429 0x80072322 with Retry-After once the request budget of the window is spent, then recovers', async () => {
    const dwa = h.client();
    for (let i = 0; i < 3; i++) await dwa.retrieveMultiple({ collection: 'accounts', select: ['name'], top: 1 });
    const limited = await rejection(dwa.retrieveMultiple({ collection: 'accounts', select: ['name'], top: 1 }));
    expect(limited.status).toBe(429);
    expect(limited.code).toBe('0x80072322');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const again = await rejection(dwa.retrieveMultiple({ collection: 'accounts', select: ['name'], top: 1 }));
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(retryAfter);
    h.clock.advance(retryAfter * 1000 + 1000);
    await expect(dwa.retrieveMultiple({ collection: 'accounts', select: ['name'], top: 1 })).resolves.toBeDefined();
  });

  it('reports the remaining budget in x-ms-ratelimit-* headers', async () => {
    const response = await h.call('accounts?$top=1');
    expect(response.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('2');
    expect(Number(response.headers.get('x-ms-ratelimit-time-remaining-xrm-requests'))).toBeGreaterThan(0);
  });

  it('trips the execution-time and concurrency limits on demand with their own codes', async () => {
    h.emulator.control.tripServiceProtection({ kind: 'executionTime', retryAfterSeconds: 7 });
    const time = await rejection(h.client().retrieveMultiple({ collection: 'accounts', top: 1 }));
    expect(time.status).toBe(429);
    expect(time.code).toBe('0x80072321');
    expect(time.headers['retry-after']).toBe('7');
    h.emulator.control.tripServiceProtection({ kind: 'concurrency' });
    const concurrency = await rejection(h.client().retrieveMultiple({ collection: 'accounts', top: 1 }));
    expect(concurrency.code).toBe('0x80072326');
  });

  it('counts a $batch as one request', async () => {
    const dwa = h.client();
    dwa.startBatch();
    for (let i = 0; i < 5; i++) void dwa.create({ collection: 'contacts', data: { lastname: `Batch ${i}` } });
    const results = (await dwa.executeBatch()) as unknown[];
    expect(results).toHaveLength(5);
    const response = await h.call('accounts?$top=1');
    expect(response.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests')).toBe('1');
  });
});

describe('Dataverse emulator service protection in simulated time', () => {
  it('counts overlapping requests as concurrent and sums their execution time', async () => {
    const s = await startHarness({ size: 5, options: { serviceProtection: { concurrentRequests: 2, executionTimeMsPerWindow: 5000, simulatedExecutionMs: 1000, windowMs: 60_000 } } });
    try {
      const dwa = s.client();
      await dwa.retrieveMultiple({ collection: 'accounts', top: 1 });
      await dwa.retrieveMultiple({ collection: 'accounts', top: 1 });
      const concurrent = await rejection(dwa.retrieveMultiple({ collection: 'accounts', top: 1 }));
      expect(concurrent.status).toBe(429);
      expect(concurrent.code).toBe('0x80072326');
      s.clock.advance(1500);
      for (let i = 0; i < 3; i++) {
        await dwa.retrieveMultiple({ collection: 'accounts', top: 1 });
        s.clock.advance(1500);
      }
      const time = await rejection(dwa.retrieveMultiple({ collection: 'accounts', top: 1 }));
      expect(time.code).toBe('0x80072321');
    } finally {
      await s.close();
    }
  });
});

describe('Dataverse emulator service protection per user', () => {
  it('keeps counting for the same application across renewed tokens', async () => {
    const jwt = (n: number): string => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ oid: 'app-1', n })).toString('base64url')}.sig`;
    const s = await startHarness({ size: 5, options: { staticTokens: [jwt(1), jwt(2)], serviceProtection: { requestsPerWindow: 2 } } });
    try {
      const call = (token: string): Promise<Response> => fetch(`${s.url}/api/data/v9.2/accounts?$top=1`, { headers: { Authorization: `Bearer ${token}` } });
      expect((await call(jwt(1))).status).toBe(200);
      expect((await call(jwt(2))).status).toBe(200);
      expect((await call(jwt(2))).status).toBe(429);
    } finally {
      await s.close();
    }
  });
});
