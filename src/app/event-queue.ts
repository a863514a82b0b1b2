/**
 * Webhook events only enqueue "fetch referral X"; repeats of one id before it is taken collapse
 * into one fetch (deliveries are duplicated and unordered;
 * Partner Center docs, "Partner Center webhooks").
 */
export class ReferralEventQueue {
  private pending = new Set<string>();
  private wake: (() => void) | null = null;
  private closed = false;

  push(referralId: string): void {
    if (this.closed) return;
    this.pending.add(referralId);
    this.wake?.();
  }

  get size(): number {
    return this.pending.size;
  }

  /** Waits for at least one id (or the signal / close) and takes everything queued. */
  async take(signal: AbortSignal): Promise<string[]> {
    while (this.pending.size === 0 && !signal.aborted && !this.closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          this.wake = null;
          resolve();
        };
        this.wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    const ids = [...this.pending];
    this.pending = new Set();
    return ids;
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }
}
