import { describe, expect, it } from '@jest/globals';
import { getEventListeners } from 'node:events';
import { RateLimiter } from '../../../connectors/shared/rate-limit.js';
import { systemClock } from '../../../src/core/clock.js';

describe('RateLimiter', () => {
  it('a batch waiting its turn on one signal puts no listener per request on it (Node warns past 10)', async () => {
    const limiter = new RateLimiter({ concurrency: 1, intervalCap: 1000, intervalMs: 1000 }, systemClock);
    const signal = new AbortController().signal;
    const batch = Array.from({ length: 30 }, (_, i) => limiter.schedule(async () => i, signal));
    expect(getEventListeners(signal, 'abort').length).toBeLessThanOrEqual(1);
    expect(await Promise.all(batch)).toHaveLength(30);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('a stopped signal still stops the requests that wait, and none runs after it', async () => {
    const limiter = new RateLimiter({ concurrency: 1, intervalCap: 1000, intervalMs: 1000 }, systemClock);
    const stop = new AbortController();
    const ran: number[] = [];
    let release: () => void = () => undefined;
    const first = limiter.schedule(() => new Promise<number>((r) => (release = () => r(0))), stop.signal);
    const waiting = Array.from({ length: 5 }, (_, i) => limiter.schedule(async () => (ran.push(i + 1), i + 1), stop.signal).then(String, (e: Error) => e.message));
    stop.abort(new Error('shutdown'));
    release();
    await expect(first).resolves.toBe(0);
    expect(await Promise.all(waiting)).toEqual(Array(5).fill('shutdown'));
    expect(ran).toEqual([]);
    await expect(limiter.schedule(async () => 1, stop.signal)).rejects.toThrow('shutdown');
  });
});
