/** One stored row. Rows are replaced, never mutated, so a change set can roll back by reference. */

export type Value = string | number | boolean | null;

export interface Row {
  readonly id: string;
  /** The row version behind `@odata.etag` and `versionnumber` (Dataverse developer guide, "Perform conditional operations using the Web API"). */
  readonly version: number;
  /** By attribute logical name; lookups hold the target GUID. Absent means null. */
  readonly values: Readonly<Record<string, Value>>;
  /** Target logical name of polymorphic lookups (customerid, ownerid) by attribute name. */
  readonly targets: Readonly<Record<string, string>>;
}

/** `W/"<versionnumber>"` ("Compose HTTP requests and handle errors"). */
export function etagOf(row: Row): string {
  return `W/"${row.version}"`;
}

/** `YYYY-MM-DDTHH:MM:SSZ`: UTC, no fractional seconds ("Compose HTTP requests and handle errors"). */
export function formatDateTime(at: Date): string {
  return `${at.toISOString().slice(0, 19)}Z`;
}
