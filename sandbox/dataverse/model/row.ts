/** One stored row. Rows are replaced, never mutated, so a change set can roll back by reference. */

export type Value = string | number | boolean | null;

export interface Row {
  readonly id: string;
  /** The row version behind `@odata.etag` and `versionnumber` (§0, §4). */
  readonly version: number;
  /** By attribute logical name; lookups hold the target GUID. Absent means null. */
  readonly values: Readonly<Record<string, Value>>;
  /** Target logical name of polymorphic lookups (customerid, ownerid) by attribute name. */
  readonly targets: Readonly<Record<string, string>>;
}

/** `W/"<versionnumber>"` (§0). */
export function etagOf(row: Row): string {
  return `W/"${row.version}"`;
}

/** `YYYY-MM-DDTHH:MM:SSZ`: UTC, no fractional seconds (§0, §10.2). */
export function formatDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}
