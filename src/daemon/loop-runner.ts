import type { Clock } from '../core/clock.js';
import type { Logger } from '../logging/index.js';
import type { Loop } from './types.js';

/**
 * Runs one loop: never two runs at once, errors logged and swallowed (one failed cycle must not
 * stop the daemon), every run tracked so shutdown can wait for it.
 */
export class LoopRunner {
  private current: Promise<void> | null = null;
  private followUp: Promise<void> | null = null;

  constructor(
    private readonly deps: { loop: Loop; signal: AbortSignal; logger: Logger; clock: Clock },
  ) {}

  get name(): string {
    return this.deps.loop.name;
  }

  /** The run in progress (and the one queued after it), for shutdown to wait on. */
  inFlight(): Promise<void>[] {
    return [this.current, this.followUp].filter((p): p is Promise<void> => p !== null);
  }

  /** A scheduled tick: skipped when a run is still going (the schedule catches up next time). */
  tick(): Promise<void> {
    if (this.current !== null) {
      this.deps.logger.warn({ loop: this.name }, 'previous run still going; skipping this tick');
      return this.current;
    }
    return this.start('schedule');
  }

  /** An explicit request: runs now, or once more right after the current run. */
  trigger(): Promise<void> {
    if (this.current === null) return this.start('trigger');
    this.followUp ??= this.current.then(() => {
      this.followUp = null;
      return this.deps.signal.aborted ? undefined : this.start('trigger');
    });
    return this.followUp;
  }

  /** A long-running loop: restarted after `restartDelayMs` whenever it ends before shutdown. */
  async runContinuously(restartDelayMs: number): Promise<void> {
    while (!this.deps.signal.aborted) {
      await this.start('start');
      if (this.deps.signal.aborted) return;
      this.deps.logger.warn({ loop: this.name, restartDelayMs }, 'continuous loop ended early; restarting');
      await this.deps.clock.sleep(restartDelayMs, this.deps.signal).catch(() => undefined);
    }
  }

  private start(reason: 'schedule' | 'trigger' | 'start'): Promise<void> {
    const { loop, signal, logger } = this.deps;
    const startedAt = this.deps.clock.now().getTime();
    logger.debug({ loop: loop.name, reason }, 'loop run starting');
    // Deferred by one microtask so `current` is set before the loop body can finish.
    const run: Promise<void> = Promise.resolve()
      .then(() => loop.run(signal))
      .then(
        () => logger.debug({ loop: loop.name, ms: this.deps.clock.now().getTime() - startedAt }, 'loop run finished'),
        (error: unknown) => {
          if (signal.aborted) logger.info({ loop: loop.name }, 'loop run stopped by shutdown');
          else logger.error({ loop: loop.name, err: error }, 'loop run failed');
        },
      )
      .finally(() => {
        if (this.current === run) this.current = null;
      });
    this.current = run;
    return run;
  }
}
