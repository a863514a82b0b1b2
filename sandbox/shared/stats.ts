/** Per-route call counts and a bounded request log: how benchmarks and tests count API calls. */

export interface LogEntry {
  at: string;
  method: string;
  path: string;
  status: number;
  ms: number;
}

const LOG_LIMIT = 2000;

export class CallStats {
  private readonly counts = new Map<string, number>();
  private entries: LogEntry[] = [];
  private totalCalls = 0;

  count(route: string, entry: LogEntry): void {
    this.totalCalls++;
    this.counts.set(route, (this.counts.get(route) ?? 0) + 1);
    this.entries.push(entry);
    if (this.entries.length > LOG_LIMIT) this.entries = this.entries.slice(-LOG_LIMIT / 2);
  }

  total(): number {
    return this.totalCalls;
  }

  byRoute(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  log(): readonly LogEntry[] {
    return this.entries;
  }

  reset(): void {
    this.counts.clear();
    this.entries = [];
    this.totalCalls = 0;
  }
}
