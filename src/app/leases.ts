/**
 * Scale-out: several daemons on one store run each loop on exactly one instance. A loop run takes
 * the loop's lease (fenced: its writes carry the lease's token and the store refuses them once the
 * token is not current), renews it every third of the TTL, and stops its writes at once when a
 * renewal fails. An instance whose tick finds the lease held watches it: if the holder stops
 * renewing (it died or froze), it takes the lease over within one TTL and runs the loop; if the
 * holder releases it (its run finished), there is nothing to do.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../logging/index.js';
import { fencedStore } from '../store/fenced-store.js';
import { LeaseLostError } from '../store/errors.js';
import type { LeaseGrant, LeaseRecord } from '../store/lease-types.js';
import type { LeaseView } from '../server/health.js';
import type { StateStore } from '../store/types.js';
import type { InstanceIdentity } from './instance-identity.js';
import type { LeaseMetrics } from './lease-metrics.js';
import { LeaseHold } from './lease-hold.js';

/** What a loop run gets: its fenced view of the store, and a signal aborted when the lease is lost. */
export interface UnderLease {
  store: StateStore;
  signal: AbortSignal;
}

/**
 * `watch`: when another instance holds it, wait while it renews and take over if it stops (a
 * scheduled cycle). `untilFree`: wait for the lease whoever holds it, then run (queued webhook work).
 * Either way, a run of the same lease already going in this process is never joined by a second.
 */
export type LeaseWait = 'watch' | 'untilFree';

export type LeaseOutcome = 'ran' | 'heldElsewhere' | 'busyHere' | 'stopped';

export class LoopLeases {
  private readonly holds = new Map<string, LeaseHold>();
  private readonly views = new Map<string, LeaseView>();
  private stopped = false;

  constructor(
    private readonly deps: { store: StateStore; clock: Clock; logger: Logger; identity: InstanceIdentity; ttlMs: number; metrics: LeaseMetrics },
  ) {}

  /** Runs `body` under lease `name`, waiting as `wait` says; never two runs of one lease at once. */
  async run(args: { name: string; signal: AbortSignal; wait: LeaseWait; body: (lease: UnderLease) => Promise<void> }): Promise<LeaseOutcome> {
    const { name, signal } = args;
    let seen: LeaseRecord | null = null;
    while (!signal.aborted && !this.stopped) {
      if (args.wait === 'watch' && seen !== null) {
        // The run being watched ended without us: its holder released the lease, or another took over.
        const now = await this.deps.store.getLease(name).catch(() => seen);
        if (now !== null && (now.token !== seen.token || now.heldUntil === null)) return this.leftTo(name, 'heldElsewhere');
      }
      const grant = await this.acquire(name);
      if (grant !== null) {
        await this.hold(name, grant, signal, args.body);
        return 'ran';
      }
      if (this.holds.has(name) && args.wait === 'watch') return 'busyHere';
      const current = await this.deps.store.getLease(name).catch(() => seen);
      seen = current ?? seen;
      this.noteWaiting(name, current);
      await this.deps.clock.sleep(this.waitMs(current), signal).catch(() => undefined);
    }
    return 'stopped';
  }

  /** Every lease as this instance sees it. */
  view(): LeaseView[] {
    return [...this.views.values()];
  }

  /** Shutdown: stops the writes of every run still holding a lease, at once, then releases the leases. */
  async stopAll(): Promise<void> {
    this.stopped = true;
    const holds = [...this.holds.values()];
    for (const hold of holds) hold.stop('the daemon is shutting down');
    await Promise.all(holds.map((hold) => hold.release()));
  }

  private async acquire(name: string): Promise<LeaseGrant | null> {
    const { store, clock, identity, ttlMs, logger, metrics } = this.deps;
    if (this.holds.has(name)) return null;
    const grant = await store
      .acquireLease({ name, owner: identity.owner, session: identity.session, ttlMs, now: clock.now().toISOString() })
      .catch((error: unknown) => {
        logger.warn({ lease: name, err: error }, 'could not ask the store for a lease; trying again');
        return null;
      });
    if (grant === null) return null;
    const from = grant.replaced;
    const event = from === null ? 'acquired' : from.owner === identity.owner ? 'reclaimed' : 'takenOver';
    metrics.events.inc({ lease: name, event });
    if (from !== null) {
      logger.warn(
        { lease: name, from: from.owner, fromSession: from.session, expiredAt: from.heldUntil, token: grant.token, abandonedRuns: grant.abandonedRuns },
        from.owner === identity.owner
          ? 'reclaimed a lease this instance held before it restarted; its unfinished runs are marked abandoned'
          : 'took over a lease whose holder stopped renewing it; its unfinished runs are marked abandoned',
      );
    }
    return grant;
  }

  private async hold(name: string, grant: LeaseGrant, signal: AbortSignal, body: (lease: UnderLease) => Promise<void>): Promise<void> {
    const { store, clock } = this.deps;
    const hold = new LeaseHold({ ...this.deps, name, grant, parent: signal });
    this.holds.set(name, hold);
    this.setView(name, { state: 'held', holder: this.deps.identity.owner, heldUntil: grant.heldUntil, blockedSince: null });
    this.deps.metrics.held.set({ lease: name }, 1);
    try {
      await body({ store: fencedStore({ store, clock, fence: hold.fence }), signal: hold.signal });
    } catch (error) {
      // The loss was already said (at warn) by the hold; the body's error is its consequence.
      if (!(error instanceof LeaseLostError) || hold.fence.refusal() === null) throw error;
    } finally {
      this.holds.delete(name);
      this.deps.metrics.held.set({ lease: name }, 0);
      await hold.release();
      this.setView(name, { state: 'free', holder: null, heldUntil: null, blockedSince: null });
    }
  }

  /** Records who holds it; says so at warn once a lease stays held past its expiry by more than a TTL. */
  private noteWaiting(name: string, current: LeaseRecord | null): void {
    const now = this.deps.clock.now().getTime();
    const previous = this.views.get(name);
    const expired = current?.heldUntil != null && Date.parse(current.heldUntil) + this.deps.ttlMs <= now;
    const blockedSince = expired ? (previous?.blockedSince ?? new Date(now).toISOString()) : null;
    if (expired && previous?.blockedSince == null) {
      this.deps.logger.warn(
        { lease: name, holder: current?.owner, heldUntil: current?.heldUntil },
        'a lease stays held past its expiry and cannot be taken over (clocks out of step, or the store refuses); the loop is blocked',
      );
    }
    const state = current === null ? 'free' : blockedSince !== null ? 'blocked' : current.heldUntil === null ? 'free' : 'elsewhere';
    this.setView(name, { state, holder: current?.owner ?? null, heldUntil: current?.heldUntil ?? null, blockedSince });
  }

  /** Until just after the holder's expiry, at most a third of a TTL, so a released lease is seen soon. */
  private waitMs(current: LeaseRecord | null): number {
    const third = Math.max(100, Math.floor(this.deps.ttlMs / 3));
    if (current?.heldUntil == null) return Math.min(third, 1000);
    const untilExpiry = Date.parse(current.heldUntil) - this.deps.clock.now().getTime() + 50;
    return Math.max(50, Math.min(third, untilExpiry));
  }

  private leftTo(name: string, outcome: LeaseOutcome): LeaseOutcome {
    this.setView(name, { state: 'free', holder: null, heldUntil: null, blockedSince: null });
    return outcome;
  }

  private setView(name: string, view: Omit<LeaseView, 'name'>): void {
    this.views.set(name, { name, ...view });
  }
}
