/**
 * Rows of one object in SystemModstamp order (docs/change-watermarks.md: the watermark field,
 * indexed). Writes almost always carry the newest stamp, so they append; an entry left behind by
 * a later write goes stale and is skipped, and compaction drops stale entries now and then.
 * Queries and Get Updated walk it instead of sorting the whole table.
 */
export class StampIndex {
  private stamps: number[] = [];
  private ids: string[] = [];
  private readonly current = new Map<string, number>();
  private stale = 0;

  /** A write gave `id` the stamp `stamp`. */
  record(id: string, stamp: number): void {
    const previous = this.current.get(id);
    if (previous === stamp) return;
    if (previous !== undefined) this.stale += 1;
    this.current.set(id, stamp);
    if (this.hasEntry(id, stamp)) {
      // A rolled-back write left this exact entry; it is live again.
      this.stale -= 1;
      return;
    }
    const last = this.stamps[this.stamps.length - 1];
    if (last === undefined || stamp >= last) {
      this.stamps.push(stamp);
      this.ids.push(id);
      return;
    }
    const at = this.upperBound(stamp);
    this.stamps.splice(at, 0, stamp);
    this.ids.splice(at, 0, id);
  }

  /** Puts back the stamp a row had before a rolled-back write (undefined: the row is gone). */
  revert(id: string, stamp: number | undefined): void {
    if (stamp === undefined) {
      this.remove(id);
      return;
    }
    this.record(id, stamp);
  }

  remove(id: string): void {
    if (this.current.delete(id)) this.stale += 1;
  }

  /** Loads many rows at once (seeding), then sorts once. */
  bulkLoad(entries: ReadonlyArray<{ id: string; stamp: number }>): void {
    for (const e of entries) {
      if (this.current.has(e.id)) this.stale += 1;
      this.current.set(e.id, e.stamp);
    }
    const all = [...this.liveEntries(), ...entries.filter((e) => this.current.get(e.id) === e.stamp)];
    const dedup = new Map(all.map((e) => [e.id, e]));
    const sorted = [...dedup.values()].sort((a, b) => a.stamp - b.stamp || (a.id < b.id ? -1 : 1));
    this.stamps = sorted.map((e) => e.stamp);
    this.ids = sorted.map((e) => e.id);
    this.stale = 0;
  }

  /** Drops stale entries when they outnumber the live ones; call outside transactions. */
  compactIfNeeded(): void {
    if (this.stale < 1000 || this.stale < this.current.size / 2) return;
    const live = this.liveEntries();
    this.stamps = live.map((e) => e.stamp);
    this.ids = live.map((e) => e.id);
    this.stale = 0;
  }

  /**
   * Live ids in (stamp, id) order from a lower bound, or in reverse; ties are ordered by id so
   * that `ORDER BY SystemModstamp, Id` needs no further sort.
   */
  scan({ from, inclusive = true, descending = false }: { from?: number; inclusive?: boolean; descending?: boolean }): string[] {
    const start = from === undefined ? 0 : inclusive ? this.lowerBound(from) : this.upperBound(from);
    const out: string[] = [];
    const n = this.stamps.length;
    let i = start;
    while (i < n) {
      const stamp = this.stamps[i] as number;
      const id = this.ids[i] as string;
      if (i + 1 >= n || this.stamps[i + 1] !== stamp) {
        // The common case: a stamp held by one entry needs no group.
        if (this.current.get(id) === stamp) out.push(id);
        i += 1;
        continue;
      }
      const group: string[] = [];
      while (i < n && this.stamps[i] === stamp) {
        const member = this.ids[i] as string;
        if (this.current.get(member) === stamp) group.push(member);
        i += 1;
      }
      group.sort();
      for (const member of group) out.push(member);
    }
    return descending ? out.reverse() : out;
  }

  private liveEntries(): Array<{ id: string; stamp: number }> {
    const out: Array<{ id: string; stamp: number }> = [];
    const seen = new Set<string>();
    for (let i = 0; i < this.stamps.length; i += 1) {
      const id = this.ids[i] as string;
      const stamp = this.stamps[i] as number;
      if (this.current.get(id) === stamp && !seen.has(id)) {
        seen.add(id);
        out.push({ id, stamp });
      }
    }
    return out;
  }

  private hasEntry(id: string, stamp: number): boolean {
    for (let i = this.lowerBound(stamp); i < this.stamps.length && this.stamps[i] === stamp; i += 1) {
      if (this.ids[i] === id) return true;
    }
    return false;
  }

  private lowerBound(stamp: number): number {
    let lo = 0;
    let hi = this.stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.stamps[mid] as number) < stamp) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private upperBound(stamp: number): number {
    let lo = 0;
    let hi = this.stamps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.stamps[mid] as number) <= stamp) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
