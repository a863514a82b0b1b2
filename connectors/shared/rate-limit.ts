import PQueue from 'p-queue';
import type { Clock } from '../../src/core/clock.js';

export interface RateLimitOptions {
  concurrency: number;
  /** At most `intervalCap` requests start per `intervalMs`. */
  intervalCap: number;
  intervalMs: number;
}

/**
 * One limiter per connector: p-queue for concurrency and rate, plus a shared pause that every
 * queued request honours when the service says 429 (one caller's Retry-After holds back all).
 */
export class RateLimiter {
  private readonly queue: PQueue;
  private pausedUntil = 0;

  constructor(
    options: RateLimitOptions,
    private readonly clock: Clock,
  ) {
    this.queue = new PQueue({
      concurrency: options.concurrency,
      intervalCap: options.intervalCap,
      interval: options.intervalMs,
    });
  }

  /** Holds every request for `ms` from now (the longest pause wins). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now().getTime() + ms);
  }

  /** Milliseconds left in the current shared pause (0 when not paused). */
  pausedForMs(): number {
    return Math.max(0, this.pausedUntil - this.clock.now().getTime());
  }

  get pending(): number {
    return this.queue.size + this.queue.pending;
  }

  /**
   * Runs `task` in its turn. A stopped `signal` stops the requests still waiting (each checks it
   * when its turn comes) and the shared pause; a started one is stopped by the transport, which
   * takes the same signal. The signal is not handed to the queue, which would hang a listener on
   * it per waiting request: a batch on one long-lived signal would pass Node's limit of 10 and warn.
   */
  async schedule<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    return this.queue.add(async () => {
      signal?.throwIfAborted();
      for (let wait = this.pausedForMs(); wait > 0; wait = this.pausedForMs()) {
        await this.clock.sleep(wait, signal);
      }
      return task();
    }) as Promise<T>;
  }

  onIdle(): Promise<void> {
    return this.queue.onIdle();
  }
}
