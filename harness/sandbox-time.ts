/**
 * The engine reads the sandbox's clock (so a 14-day expiry plays out in a test), and its waits
 * (retry backoff, Retry-After) are cut short: the emulators' time is advanced by the caller.
 */
import { systemClock, type Clock } from '../src/core/clock.js';
import type { Sandbox } from '../sandbox/start-sandbox.js';

export function sandboxTime(sandbox: Pick<Sandbox, 'clock'>): Clock {
  return {
    now: () => sandbox.clock.now(),
    sleep: (ms, signal) => systemClock.sleep(Math.min(ms, 50), signal),
  };
}
