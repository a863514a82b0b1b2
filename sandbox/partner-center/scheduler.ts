/**
 * Events due at a time on the sandbox clock, run in time order (a binary min-heap; ties run in
 * the order they were scheduled).
 */
interface Scheduled {
  at: number;
  seq: number;
  run: (at: Date) => void;
}

export class EventScheduler {
  private readonly heap: Scheduled[] = [];
  private seq = 0;

  get pending(): number {
    return this.heap.length;
  }

  schedule(at: number, run: (at: Date) => void): void {
    this.heap.push({ at, seq: this.seq++, run });
    this.up(this.heap.length - 1);
  }

  /** Runs every event due at or before `now`, including ones those events schedule. */
  runDue(now: number): void {
    for (let top = this.heap[0]; top && top.at <= now; top = this.heap[0]) {
      this.pop();
      top.run(new Date(top.at));
    }
  }

  private pop(): void {
    const last = this.heap.pop();
    if (last && this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private before(a: number, b: number): boolean {
    const x = this.heap[a] as Scheduled;
    const y = this.heap[b] as Scheduled;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const x = this.heap[a] as Scheduled;
    this.heap[a] = this.heap[b] as Scheduled;
    this.heap[b] = x;
  }

  private up(index: number): void {
    for (let i = index; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(index: number): void {
    for (let i = index; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.before(left, smallest)) smallest = left;
      if (right < this.heap.length && this.before(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
