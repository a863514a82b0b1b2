/**
 * Webhook events only enqueue "fetch referral X" for the webhook pipeline
 * (src/engine/referral-events.ts). Repeats of an id before it is taken collapse into one fetch; a
 * repeat that comes while the id is being fetched or landed waits until that is settled and is
 * then taken again, so the newer state lands after the older one, never beside it (deliveries are
 * duplicated and unordered; Partner Center docs, "Partner Center webhooks").
 */
import type { ReferralIdSource } from '../engine/referral-events.js';

export class ReferralEventQueue implements ReferralIdSource {
  /** Ids named by events and not yet taken, oldest first. */
  private readonly waiting = new Set<string>();
  /** Ids taken and not yet settled. */
  private readonly taken = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private closed = false;

  push(referralId: string): void {
    if (this.closed) return;
    this.waiting.add(referralId);
    if (!this.taken.has(referralId)) this.wakeAll();
  }

  /** Up to `max` waiting ids that are not taken already, oldest first; they count as taken until settled. */
  take(max: number): string[] {
    const ids: string[] = [];
    for (const id of this.waiting) {
      if (ids.length >= max) break;
      if (this.taken.has(id)) continue;
      this.waiting.delete(id);
      this.taken.add(id);
      ids.push(id);
    }
    return ids;
  }

  settle(ids: readonly string[]): void {
    let again = false;
    for (const id of ids) {
      this.taken.delete(id);
      again ||= this.waiting.has(id);
    }
    if (again) this.wakeAll();
  }

  /** Whether `take` would give an id now. */
  get hasReady(): boolean {
    for (const id of this.waiting) if (!this.taken.has(id)) return true;
    return false;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  whenReady(signal: AbortSignal): Promise<void> {
    if (this.closed || signal.aborted || this.hasReady) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  close(): void {
    this.closed = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const done of [...this.waiters]) done();
  }
}
