import { describe, expect, it } from '@jest/globals';
import { AsyncMutex } from '../../src/store/async-mutex.js';

describe('AsyncMutex', () => {
  it('runs tasks one at a time in the order they asked', async () => {
    const mutex = new AsyncMutex();
    const events: string[] = [];
    let releaseFirst!: () => void;
    let firstStarted!: () => void;
    const started = new Promise<void>((resolve) => (firstStarted = resolve));
    const first = mutex.run(async () => {
      events.push('first:start');
      firstStarted();
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      events.push('first:end');
      return 1;
    });
    const second = mutex.run(async () => {
      events.push('second');
      return 2;
    });
    await started;
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['first:start']);
    releaseFirst();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(events).toEqual(['first:start', 'first:end', 'second']);
  });

  it('gives the lock to the next task after one fails, and reports the failure to its caller only', async () => {
    const mutex = new AsyncMutex();
    const failed = mutex.run(async () => {
      throw new Error('task failed');
    });
    const next = mutex.run(async () => 'ran');
    await expect(failed).rejects.toThrow('task failed');
    expect(await next).toBe('ran');
  });
});
