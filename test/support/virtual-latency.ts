/**
 * Latency in virtual time, for tests that count round trips on a cycle's critical path instead of
 * timing it: every call to a wrapped connector takes `ticks` of virtual time, and virtual time
 * moves on only when nothing else can run (every worker waits on a call). The cycle's length in
 * ticks is then what a real network would make it with CPU taken as free, on any machine.
 */

/** Turns of the event loop with no new call before the work counts as waiting. */
const QUIET_TURNS = 20;

/** A clock that moves only when the work it drives is waiting on it. */
export class VirtualTime {
  now = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  sleep(ticks: number): Promise<void> {
    return new Promise((resolve) => this.timers.push({ at: this.now + ticks, seq: this.seq++, resolve }));
  }

  /** Runs `work` to its end, moving time to the next waiting call whenever everything waits. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    let outcome: { value: T } | { error: unknown } | null = null;
    void work().then(
      (value) => (outcome = { value }),
      (error: unknown) => (outcome = { error }),
    );
    for (;;) {
      // Everything that can run without a timer runs first: the fakes answer through promises,
      // the store within a turn or two of the event loop (it commits calls in groups).
      for (let quiet = 0, waiting = -1; quiet < QUIET_TURNS && outcome === null; ) {
        await new Promise((resolve) => setImmediate(resolve));
        quiet = this.timers.length === waiting ? quiet + 1 : 0;
        waiting = this.timers.length;
      }
      if (outcome !== null) break;
      if (this.timers.length === 0) throw new Error('the work waits on nothing this clock knows');
      const at = Math.min(...this.timers.map((t) => t.at));
      this.now = at;
      const due = this.timers.filter((t) => t.at === at).sort((a, b) => a.seq - b.seq);
      this.timers = this.timers.filter((t) => t.at !== at);
      for (const t of due) t.resolve();
    }
    const settled = outcome as { value: T } | { error: unknown };
    if ('error' in settled) throw settled.error;
    return settled.value;
  }
}

/** At most `size` holders at once, first come first served (a connector's concurrency limit). */
class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}

  async take(): Promise<void> {
    if (this.used < this.size) {
      this.used++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.used--;
  }
}

/**
 * `target` with each of `methods` taking `ticks` before it answers, at most `slots` at once (the
 * connector's own limiter); an async-iterable method takes `ticks` for every page.
 */
export function withLatency<T extends object>(target: T, args: { time: VirtualTime; ticks: number; slots: number; methods: readonly (keyof T & string)[]; pagedMethods?: readonly (keyof T & string)[] }): T {
  const slots = new Slots(args.slots);
  const roundTrip = async <R>(call: () => Promise<R>): Promise<R> => {
    await slots.take();
    try {
      await args.time.sleep(args.ticks);
      return await call();
    } finally {
      slots.give();
    }
  };
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (args.methods.includes(property as keyof T & string)) {
        return (...a: unknown[]) => roundTrip(() => Promise.resolve(fn.apply(object, a)));
      }
      if (args.pagedMethods?.includes(property as keyof T & string)) {
        return (...a: unknown[]) => pagedWithLatency(fn.apply(object, a) as AsyncIterable<unknown>, roundTrip);
      }
      return fn.bind(object);
    },
  });
}

async function* pagedWithLatency<P>(pages: AsyncIterable<P>, roundTrip: <R>(call: () => Promise<R>) => Promise<R>): AsyncGenerator<P> {
  const iterator = pages[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await roundTrip(() => iterator.next());
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}
