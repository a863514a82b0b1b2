/**
 * One held lease: renewed every third of the TTL; lost, with writes refused at once and the run's
 * signal aborted, when a renewal is refused (another instance has it) or when no renewal succeeded
 * within the TTL (the store cannot be reached, or this process was frozen). Released at the end.
 */
import { setMaxListeners } from 'node:events';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../logging/index.js';
import { LeaseLostError } from '../store/errors.js';
import type { Fence } from '../store/fenced-store.js';
import type { LeaseGrant } from '../store/lease-types.js';
import type { StateStore } from '../store/types.js';
import type { LeaseMetrics } from './lease-metrics.js';

/** Above any connector's configured concurrency. */
const MAX_REQUESTS_IN_FLIGHT = 256;

export class LeaseHold {
  readonly fence: Fence;
  private readonly abort = new AbortController();
  readonly signal: AbortSignal;
  /** Local deadline (ms): past it without a renewal, this process no longer assumes it holds the lease. */
  private deadline: number;
  private refused: string | null = null;
  private lost = false;
  private timer: NodeJS.Timeout | null = null;
  private released: Promise<void> | null = null;

  constructor(
    private readonly deps: {
      store: StateStore;
      clock: Clock;
      logger: Logger;
      ttlMs: number;
      metrics: LeaseMetrics;
      name: string;
      grant: LeaseGrant;
      parent: AbortSignal;
    },
  ) {
    this.deadline = Date.parse(deps.grant.heldUntil);
    this.signal = AbortSignal.any([deps.parent, this.abort.signal]);
    // Every vendor request in flight under the lease listens on this signal, so a batch at the
    // connectors' concurrency passes Node's default of 10 listeners without leaking any.
    setMaxListeners(MAX_REQUESTS_IN_FLIGHT, this.signal);
    this.fence = { name: deps.name, token: deps.grant.token, refusal: () => this.refusal() };
    this.schedule();
  }

  /** Stops writes at once (shutdown, or the lease is gone); the run's signal aborts. */
  stop(reason: string): void {
    if (this.refused !== null) return;
    this.refused = reason;
    this.clearTimer();
    this.abort.abort(new LeaseLostError(this.deps.name, this.deps.grant.token, reason));
  }

  /** Gives the lease back (once) unless it was already lost; writes are refused from here on. */
  release(): Promise<void> {
    this.released ??= this.doRelease();
    return this.released;
  }

  private async doRelease(): Promise<void> {
    this.stop('the run finished and gave the lease back');
    if (this.lost) return;
    const { store, clock, name, grant, logger, metrics } = this.deps;
    try {
      await store.releaseLease({ name, token: grant.token, now: clock.now().toISOString() });
      metrics.events.inc({ lease: name, event: 'released' });
    } catch (error) {
      logger.warn({ lease: name, err: error }, 'could not release a lease; another instance takes it over when it expires');
    }
  }

  private refusal(): string | null {
    if (this.refused !== null) return this.refused;
    if (this.deps.clock.now().getTime() >= this.deadline) {
      this.lose('no renewal succeeded within its time to live');
      return this.refused;
    }
    return null;
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.renew(), Math.max(50, Math.floor(this.deps.ttlMs / 3)));
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private async renew(): Promise<void> {
    const { store, clock, name, grant, ttlMs, logger } = this.deps;
    if (this.refused !== null) return;
    const startedAt = clock.now().getTime();
    if (startedAt >= this.deadline) return this.lose('no renewal succeeded within its time to live');
    try {
      const renewed = await store.renewLease({ name, token: grant.token, ttlMs, now: new Date(startedAt).toISOString() });
      if (this.refused !== null) return;
      if (!renewed) return this.lose('the store refused the renewal: it expired or another instance took it over');
      this.deadline = startedAt + ttlMs;
    } catch (error) {
      logger.warn({ lease: name, err: error, holdUntil: new Date(this.deadline).toISOString() }, 'could not renew a lease; writes stop if it is not renewed in time');
      if (clock.now().getTime() >= this.deadline) return this.lose('no renewal succeeded within its time to live');
    }
    this.schedule();
  }

  private lose(reason: string): void {
    if (this.refused !== null) return;
    this.lost = true;
    this.deps.metrics.events.inc({ lease: this.deps.name, event: 'lost' });
    this.deps.logger.warn({ lease: this.deps.name, token: this.deps.grant.token, reason }, 'lost a lease: this loop stops writing now');
    this.stop(`lost: ${reason}`);
  }
}
