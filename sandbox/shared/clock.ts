/**
 * The emulators' clock: real time plus whatever a test, the demo or the control API advanced it
 * by, so 14-day expiry and simulated Microsoft sellers can be played out in seconds.
 */
export class SandboxClock {
  private offsetMs = 0;
  private readonly startedReal = Date.now();
  private readonly startAt: number;
  private readonly listeners = new Set<(now: Date) => void>();

  constructor(start?: Date) {
    this.startAt = start ? start.getTime() : this.startedReal;
  }

  now(): Date {
    return new Date(this.startAt + (Date.now() - this.startedReal) + this.offsetMs);
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    this.offsetMs += ms;
    this.emit();
  }

  set(at: Date): void {
    const delta = at.getTime() - this.now().getTime();
    if (delta < 0) throw new RangeError('the sandbox clock never goes back');
    this.advance(delta);
  }

  /** Called after every advance; returns the unsubscribe function. */
  onAdvance(listener: (now: Date) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(): void {
    const now = this.now();
    for (const listener of this.listeners) listener(now);
  }
}
