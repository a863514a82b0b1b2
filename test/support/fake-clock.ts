import type { Clock } from '../../src/core/clock.js';

/** Sleeping moves time forward at once and is recorded, so backoff and pause tests never wait. */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(public t: number) {}
  now(): Date {
    return new Date(this.t);
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
    return Promise.resolve();
  }
}
