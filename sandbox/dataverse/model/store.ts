/**
 * The in-memory org: one table store per table, a global row-version counter, a per-table change
 * log ordered by version (so a delta never scans the whole table), alternate-key indexes
 * (Dataverse developer guide, "Use an alternate key to reference a record") and an undo journal that makes `$batch` change sets atomic ("Execute batch operations using the Web API").
 */
import { OrgSchema, type TableInfo } from '../schema/tables.js';
import type { AlternateKeyDef } from '../schema/types.js';
import { CODES, DvError } from '../wire/errors.js';
import type { Row, Value } from './row.js';

export interface ChangeEntry {
  version: number;
  id: string;
  deleted: boolean;
}

interface UndoEntry {
  table: TableStore;
  id: string;
  previous: Row | undefined;
  logLength: number;
}

export class TableStore {
  readonly rows = new Map<string, Row>();
  readonly changeLog: ChangeEntry[] = [];
  /** Bumped on every insert, replace or delete: the key of cached sort orders. */
  mutations = 0;
  changeTracking: boolean;
  /** Delta tokens below this version are expired (seeding, control API, retention window). */
  minDeltaVersion = 0;
  private readonly altIndex = new Map<string, Map<string, string>>();

  constructor(readonly info: TableInfo) {
    this.changeTracking = info.def.changeTrackingEnabled;
    for (const key of info.def.alternateKeys) this.altIndex.set(key.name, new Map());
  }

  /**
   * Indexes a new alternate key over the rows already stored. Existing duplicates leave the key
   * `Failed` and unenforced, as Dataverse reports in `EntityKeyIndexStatus`
   * ("Define alternate keys to reference rows").
   */
  addKey(key: AlternateKeyDef): 'Active' | 'Failed' {
    const index = new Map<string, string>();
    for (const row of this.rows.values()) {
      const values = key.columns.map((c) => row.values[c] ?? null);
      if (values.some((v) => v === null)) continue;
      const k = altKeyString(values);
      if (index.has(k)) return 'Failed';
      index.set(k, row.id);
    }
    this.altIndex.set(key.name, index);
    return 'Active';
  }

  /** Row id for an alternate key, or undefined. */
  findByKey(keyName: string, values: readonly Value[]): string | undefined {
    return this.altIndex.get(keyName)?.get(altKeyString(values));
  }

  indexRow(row: Row | undefined, add: boolean): void {
    if (!row) return;
    for (const key of this.info.def.alternateKeys) {
      const values = key.columns.map((c) => row.values[c] ?? null);
      const index = this.altIndex.get(key.name);
      if (!index || values.some((v) => v === null)) continue;
      const k = altKeyString(values);
      if (add) index.set(k, row.id);
      else if (index.get(k) === row.id) index.delete(k);
    }
  }

  checkKeysFree(row: Row): void {
    for (const key of this.info.def.alternateKeys) {
      const values = key.columns.map((c) => row.values[c] ?? null);
      if (values.some((v) => v === null)) continue;
      const holder = this.altIndex.get(key.name)?.get(altKeyString(values));
      if (holder !== undefined && holder !== row.id) {
        throw new DvError(412, CODES.duplicateRecord, 'A record with matching key values already exists.');
      }
    }
  }
}

function altKeyString(values: readonly Value[]): string {
  return values.map((v) => (typeof v === 'string' ? v.toLowerCase() : String(v))).join('\u0000');
}

export class OrgStore {
  private readonly tables = new Map<string, TableStore>();
  private version: number;
  private journal: UndoEntry[] | null = null;
  /** The org's tables: what its requests, metadata answers and control calls may name. */
  readonly schema: OrgSchema;

  constructor(args: { tables: readonly TableInfo[]; firstVersion?: number }) {
    for (const info of args.tables) this.tables.set(info.def.logicalName, new TableStore(info));
    this.schema = new OrgSchema(args.tables);
    this.version = args.firstVersion ?? 1_000_000;
  }

  table(logicalName: string): TableStore {
    const table = this.tables.get(logicalName);
    if (!table) throw new Error(`no table ${logicalName}`);
    return table;
  }

  allTables(): IterableIterator<TableStore> {
    return this.tables.values();
  }

  nextVersion(): number {
    return ++this.version;
  }

  currentVersion(): number {
    return this.version;
  }

  /** Insert or replace; records the change and keeps alternate keys unique. */
  put(table: TableStore, row: Row, args: { logChange?: boolean } = {}): void {
    const previous = table.rows.get(row.id);
    table.checkKeysFree(row);
    this.journal?.push({ table, id: row.id, previous, logLength: table.changeLog.length });
    table.indexRow(previous, false);
    table.rows.set(row.id, row);
    table.indexRow(row, true);
    table.mutations++;
    if (args.logChange !== false) table.changeLog.push({ version: row.version, id: row.id, deleted: false });
  }

  remove(table: TableStore, id: string): void {
    const previous = table.rows.get(id);
    if (!previous) return;
    this.journal?.push({ table, id, previous, logLength: table.changeLog.length });
    table.indexRow(previous, false);
    table.rows.delete(id);
    table.mutations++;
    table.changeLog.push({ version: this.nextVersion(), id, deleted: true });
  }

  /** Runs `fn` atomically: any throw restores every row it touched, then rethrows. */
  atomic<T>(fn: () => T): T {
    if (this.journal) return fn();
    const journal: UndoEntry[] = [];
    this.journal = journal;
    try {
      const result = fn();
      this.journal = null;
      return result;
    } catch (error) {
      this.journal = null;
      this.undo(journal);
      throw error;
    }
  }

  private undo(journal: UndoEntry[]): void {
    for (const entry of journal.reverse()) {
      const { table, id, previous } = entry;
      table.indexRow(table.rows.get(id), false);
      if (previous) table.rows.set(id, previous);
      else table.rows.delete(id);
      table.indexRow(previous, true);
      table.changeLog.length = entry.logLength;
      table.mutations++;
    }
  }
}
