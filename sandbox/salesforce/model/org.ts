import type { Catalog } from '../schema/catalog.js';
import type { FieldDef } from '../schema/field-def.js';
import { floorTo, wholeSecond } from './datetime.js';
import { mintId } from './ids.js';
import { Table, type Row } from './table.js';

/** The emulator's time source; the SandboxClock satisfies it. */
export interface OrgClock {
  now(): Date;
}

/** An entry of the delete log that Get Deleted reads (Salesforce REST API Developer Guide, "sObject Get Updated" / "sObject Get Deleted"). */
export interface DeletedEntry {
  type: string;
  id: string;
  deletedDate: number;
  /** The parent whose delete cascaded here; its undelete brings this row back. */
  cascadeFrom: string | null;
}

/**
 * The data of one sandbox org: tables, id counters, the SystemModstamp source, the delete log,
 * and an undo log so a failed `allOrNone` call leaves nothing behind ("sObject Collections").
 */
export class SalesforceOrg {
  readonly orgId: string;
  /** When the metadata last changed (describe's Last-Modified, "sObject Describe"). */
  metadataDate: number;
  /** Oldest point the delete log still covers (`earliestDateAvailable`, "sObject Get Updated" / "sObject Get Deleted"). */
  deleteLogStart: number;
  private readonly tables = new Map<string, Table>();
  private readonly counters = new Map<string, number>();
  private readonly deletedLog = new Map<string, DeletedEntry>();
  private undo: Array<() => void> | null = null;

  constructor(
    readonly catalog: Catalog,
    readonly clock: OrgClock,
  ) {
    this.orgId = mintId({ keyPrefix: '00D', n: 1 });
    this.metadataDate = floorTo(clock.now().getTime() - 86_400_000, 1000);
    this.deleteLogStart = floorTo(clock.now().getTime(), 60_000);
    const parentFields = new Map<string, Set<string>>();
    for (const schema of catalog.objects()) {
      for (const rel of schema.def.childRelationships) {
        const set = parentFields.get(rel.childSObject) ?? new Set<string>();
        set.add(rel.field);
        parentFields.set(rel.childSObject, set);
      }
    }
    for (const schema of catalog.objects()) {
      this.tables.set(schema.def.name, new Table(schema, [...(parentFields.get(schema.def.name) ?? [])]));
    }
  }

  /** The table of an object by its API name (case-insensitive). */
  table(type: string): Table | undefined {
    const schema = this.catalog.object(type);
    return schema ? this.tables.get(schema.def.name) : undefined;
  }

  /** Adds or changes a field of an object (Tooling API); describe shows it from now on. */
  putField(type: string, field: FieldDef): void {
    const table = this.table(type);
    if (!table) throw new Error(`no object ${type}`);
    this.catalog.putField(table.schema.def.name, field);
    table.fieldChanged(field);
    this.metadataDate = Math.max(this.metadataDate + 1000, wholeSecond(this.clock.now().getTime()));
  }

  /** The table holding an id, by its key prefix. */
  tableOfId(id: string): Table | undefined {
    const schema = this.catalog.objectOfId(id);
    return schema ? this.tables.get(schema.def.name) : undefined;
  }

  newId(keyPrefix: string): string {
    const n = (this.counters.get(keyPrefix) ?? 0) + 1;
    this.counters.set(keyPrefix, n);
    return mintId({ keyPrefix, n });
  }

  /**
   * The SystemModstamp of a write: the clock's whole second (Salesforce stamps have one-second
   * resolution), never before the row's own previous stamp. Two writes in one second carry the
   * same stamp, so a stamp alone cannot tell them apart.
   */
  nextStamp(previous?: number): number {
    const now = wholeSecond(this.clock.now().getTime());
    return previous !== undefined && previous > now ? previous : now;
  }

  /** Writes a row version, remembering how to undo it inside a transaction. */
  write(table: Table, row: Row): void {
    const id = row['Id'] as string;
    this.remember(table, id);
    table.put(row);
  }

  /** Removes a row for good (hard delete). */
  purge(table: Table, id: string): void {
    this.remember(table, id);
    table.drop(id);
  }

  logDelete(entry: DeletedEntry): void {
    const before = this.deletedLog.get(entry.id);
    this.deletedLog.set(entry.id, entry);
    this.undo?.push(() => (before ? this.deletedLog.set(entry.id, before) : this.deletedLog.delete(entry.id)));
  }

  unlogDelete(id: string): void {
    const before = this.deletedLog.get(id);
    if (!before) return;
    this.deletedLog.delete(id);
    this.undo?.push(() => this.deletedLog.set(id, before));
  }

  deletedEntries(): IterableIterator<DeletedEntry> {
    return this.deletedLog.values();
  }

  /** Forgets delete-log entries before `before`, like the periodic purge "sObject Get Deleted" describes. */
  purgeDeleteLog(before: number): void {
    for (const [id, e] of this.deletedLog) if (e.deletedDate < before) this.deletedLog.delete(id);
    this.deleteLogStart = Math.max(this.deleteLogStart, floorTo(before, 60_000));
  }

  /**
   * Runs `fn` as one transaction: if it returns false, or throws, every write it made is undone.
   * A nested call is a savepoint: its own writes are undone on failure, the outer ones stay.
   */
  transaction(fn: () => boolean): boolean {
    const outer = this.undo;
    const undo: Array<() => void> = [];
    this.undo = undo;
    let commit = false;
    try {
      commit = fn();
      return commit;
    } finally {
      this.undo = outer;
      if (!commit) for (let i = undo.length - 1; i >= 0; i -= 1) undo[i]?.();
      else if (outer) for (const step of undo) outer.push(step);
      if (!outer) for (const t of this.tables.values()) t.stamps.compactIfNeeded();
    }
  }

  private remember(table: Table, id: string): void {
    if (!this.undo) return;
    const before = table.get(id);
    this.undo.push(() => table.restore(id, before));
  }
}
