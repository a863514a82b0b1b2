import type { ObjectSchema } from '../schema/catalog.js';
import type { FieldDef } from '../schema/field-def.js';
import { StampIndex } from './stamp-index.js';

/** Stored field values: datetimes as epoch ms, dates as `YYYY-MM-DD`, references as 18-char ids. */
export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

function uniqueKey(value: Value): string | undefined {
  return value === null || value === '' ? undefined : String(value).toLowerCase();
}

/**
 * The rows of one sObject with the indexes queries and writes need: by id, by unique / external
 * id value (case-insensitive, like text external ids), by parent id for child relationships, and
 * by SystemModstamp.
 */
export class Table {
  readonly stamps = new StampIndex();
  /** A new row holding every field's default, in schema order. */
  blank: () => Row;
  private readonly rows = new Map<string, Row>();
  private readonly uniqueIndex = new Map<string, Map<string, Set<string>>>();
  private readonly parentIndex = new Map<string, Map<string, Set<string>>>();

  constructor(
    readonly schema: ObjectSchema,
    parentFields: readonly string[],
  ) {
    this.blank = rowFactory(schema);
    for (const f of schema.externalIdFields) this.uniqueIndex.set(f.name, new Map());
    for (const name of parentFields) this.parentIndex.set(name, new Map());
  }

  /**
   * The schema gained or changed a field (Tooling API): new rows get its default, existing rows
   * get it too (a new checkbox reads false, other types null), and a unique field is indexed.
   */
  fieldChanged(field: FieldDef): void {
    this.blank = rowFactory(this.schema);
    for (const row of this.rows.values()) if (!(field.name in row)) row[field.name] = field.defaultValue;
    if ((field.unique || field.externalId) && !this.uniqueIndex.has(field.name)) {
      const index = new Map<string, Set<string>>();
      this.uniqueIndex.set(field.name, index);
      for (const row of this.rows.values()) move(index, String(row['Id']), undefined, uniqueKey(row[field.name] ?? null));
    }
  }

  get size(): number {
    return this.rows.size;
  }

  get(id: string): Row | undefined {
    return this.rows.get(id);
  }

  values(): IterableIterator<Row> {
    return this.rows.values();
  }

  /** Ids whose unique / external-id field holds `value` (case-insensitive). */
  idsByUnique(fieldName: string, value: Value): string[] {
    const key = uniqueKey(value);
    if (key === undefined) return [];
    return [...(this.uniqueIndex.get(fieldName)?.get(key) ?? [])];
  }

  hasUniqueIndex(fieldName: string): boolean {
    return this.uniqueIndex.has(fieldName);
  }

  hasParentIndex(fieldName: string): boolean {
    return this.parentIndex.has(fieldName);
  }

  /** Ids of the rows whose lookup `fieldName` points at `parentId`. */
  childIds(fieldName: string, parentId: string): string[] {
    return [...(this.parentIndex.get(fieldName)?.get(parentId) ?? [])];
  }

  /** Stores a new version of a row (or the first), keeping every index in step. */
  put(row: Row, { stampIndex = true }: { stampIndex?: boolean } = {}): void {
    const id = row['Id'] as string;
    const before = this.rows.get(id);
    this.rows.set(id, row);
    this.reindex(id, before, row);
    if (stampIndex) this.stamps.record(id, row['SystemModstamp'] as number);
  }

  /** Removes a row for good (hard delete, or undoing a create). */
  drop(id: string): void {
    const before = this.rows.get(id);
    if (!before) return;
    this.rows.delete(id);
    this.reindex(id, before, undefined);
    this.stamps.remove(id);
  }

  /** Puts back what a rolled-back transaction changed. */
  restore(id: string, before: Row | undefined): void {
    const now = this.rows.get(id);
    if (before === undefined) {
      this.rows.delete(id);
    } else {
      this.rows.set(id, before);
    }
    this.reindex(id, now, before);
    this.stamps.revert(id, before === undefined ? undefined : (before['SystemModstamp'] as number));
  }

  private reindex(id: string, before: Row | undefined, after: Row | undefined): void {
    for (const [name, index] of this.uniqueIndex) move(index, id, uniqueKey(before?.[name] ?? null), uniqueKey(after?.[name] ?? null));
    for (const [name, index] of this.parentIndex) move(index, id, idKey(before?.[name]), idKey(after?.[name]));
  }
}

/**
 * Rows built key by key end up as V8 dictionary objects (about 3 KB for 50 fields, and slow to
 * build); an object literal with every key gets a fixed shape (about 430 bytes). The literal is
 * compiled once per object from the static schema, whose field names are JSON-quoted.
 */
function rowFactory(schema: ObjectSchema): () => Row {
  const entries = schema.def.fields.map((f) => `${JSON.stringify(f.name)}: ${JSON.stringify(f.defaultValue)}`);
  return new Function(`return { ${entries.join(', ')} };`) as () => Row;
}

function idKey(value: Value | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function move(index: Map<string, Set<string>>, id: string, from: string | undefined, to: string | undefined): void {
  if (from === to) return;
  if (from !== undefined) {
    const set = index.get(from);
    set?.delete(id);
    if (set?.size === 0) index.delete(from);
  }
  if (to !== undefined) {
    let set = index.get(to);
    if (!set) {
      set = new Set();
      index.set(to, set);
    }
    set.add(id);
  }
}
