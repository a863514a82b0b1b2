/**
 * A Salesforce row (wire shape) to the canonical CrmRecord: `fields` keyed by the requested
 * paths, child collections keyed by relationship name holding objects keyed by the remaining
 * path, `stamp` = SystemModstamp and `version` = LastModifiedDate, both UTC ISO-8601.
 */
import type { CrmObjectKind, CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import type { FieldPlan } from './soql.js';
import { parseChildResult, WireFormatError, type SalesforceRow } from './wire/rest.js';

/** Salesforce writes `2024-05-02T17:21:09.000+0000`; the canonical form is ISO with `Z`. */
const SF_DATETIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(?:\+0000|\+00:00|Z)$/;

export function toIsoStamp(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new WireFormatError(`${what}: missing`);
  const ms = Date.parse(value.replace(/\+0000$/, 'Z'));
  if (Number.isNaN(ms)) throw new WireFormatError(`${what}: not a date-time`);
  return new Date(ms).toISOString();
}

function toFieldValue(value: unknown): FieldValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const m = SF_DATETIME.exec(value);
    return m ? new Date(`${m[1]}Z`).toISOString() : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(toFieldValue);
  if (typeof value === 'object') {
    // Compound fields (addresses) come as objects; `attributes` is envelope, not data.
    const out: Record<string, FieldValue> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'attributes') out[k] = toFieldValue(v);
    return out;
  }
  return null;
}

/** Paths split once per read, not once per row (100,000-row reads, bench/connector-sf-read.ts). */
const segmentsCache = new Map<string, readonly string[]>();
function segmentsOf(path: string): readonly string[] {
  let segments = segmentsCache.get(path);
  if (!segments) {
    segments = path.split('.');
    if (segmentsCache.size < 10_000) segmentsCache.set(path, segments);
  }
  return segments;
}

/** Walks `Account.BillingPostalCode`; an empty parent lookup (`"Account": null`) gives null. */
export function valueAtPath(row: Record<string, unknown>, path: string): FieldValue {
  let current: unknown = row;
  for (const segment of segmentsOf(path)) {
    if (current === null || current === undefined || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[segment];
  }
  return toFieldValue(current);
}

export function rowToRecord(args: { row: SalesforceRow; kind: CrmObjectKind; plan: FieldPlan }): CrmRecord {
  const { row, kind, plan } = args;
  const id = row['Id'];
  if (typeof id !== 'string') throw new WireFormatError('row without Id');
  const fields: Record<string, FieldValue> = {};
  for (const path of plan.scalars) fields[path] = valueAtPath(row, path);
  for (const [rel, inner] of plan.children) {
    const child = parseChildResult(row[rel], `${rel} of ${id}`);
    fields[rel] = (child?.records ?? []).map((childRow) => {
      const out: Record<string, FieldValue> = {};
      for (const path of inner) out[path] = valueAtPath(childRow, path);
      return out;
    });
  }
  return {
    kind,
    id,
    stamp: toIsoStamp(row['SystemModstamp'], `SystemModstamp of ${id}`),
    version: toIsoStamp(row['LastModifiedDate'], `LastModifiedDate of ${id}`),
    fields,
  };
}
