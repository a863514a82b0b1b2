import { formatDateTime } from '../model/datetime.js';
import type { SalesforceOrg } from '../model/org.js';
import type { Row, Value } from '../model/table.js';
import type { FieldDef } from '../schema/field-def.js';
import type { BoundField, BoundQuery, BoundSubquery } from './bound.js';
import { matches, orderComparator } from './evaluate.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A stored value in its wire form (dateTime as `2024-05-02T17:21:09.000+0000`). */
export function formatValue(def: FieldDef, row: Row): Json {
  if (def.type === 'address') return addressOf(def.name, row);
  const v: Value = row[def.name] ?? null;
  if (def.type === 'datetime' && typeof v === 'number') return formatDateTime(v);
  return v;
}

/** The compound address (Object Reference, "Account") built from its components; read-only. */
function addressOf(name: string, row: Row): Json {
  const prefix = name.replace(/Address$/, '');
  const part = (suffix: string): Json => row[`${prefix}${suffix}`] ?? null;
  const street = part('Street');
  const city = part('City');
  const country = part('Country');
  if (street === null && city === null && country === null && part('PostalCode') === null) return null;
  return {
    city,
    country,
    countryCode: part('CountryCode'),
    geocodeAccuracy: null,
    latitude: null,
    longitude: null,
    postalCode: part('PostalCode'),
    state: part('State'),
    stateCode: part('StateCode'),
    street,
  };
}

export function attributesOf(type: string, id: string, version: string): JsonObject {
  return { type, url: `/services/data/v${version}/sobjects/${type}/${id}` };
}

/** A whole row as GET /sobjects/<Type>/<id> returns it (Salesforce REST API Developer Guide, "sObject Rows"): every field, nulls included. */
export function projectFullRow({ row, fields, type, version }: { row: Row; fields: readonly FieldDef[]; type: string; version: string }): JsonObject {
  const out: JsonObject = { attributes: attributesOf(type, String(row['Id']), version) };
  for (const f of fields) out[f.name] = formatValue(f, row);
  return out;
}

/**
 * One query record ("Query"): `attributes` first, then the selected fields in order; parent paths
 * nest under the relationship name (null when the lookup is empty); child subqueries become a
 * nested query result, or null when they have no rows. Returns how many rows it holds, since
 * child rows count towards the batch size.
 */
export function projectRecord({
  org,
  query,
  row,
  version,
  includeDeleted,
}: {
  org: SalesforceOrg;
  query: BoundQuery;
  row: Row;
  version: string;
  includeDeleted: boolean;
}): { record: JsonObject; rows: number } {
  const record: JsonObject = { attributes: attributesOf(query.object.def.name, String(row['Id']), version) };
  let rows = 1;
  for (const item of query.select) {
    if (item.kind === 'field') {
      placeField({ org, record, row, field: item.field, version });
      continue;
    }
    const children = childRecords({ org, sub: item, parentId: String(row['Id']), version, includeDeleted });
    rows += children.length;
    record[item.relationship.relationshipName] = children.length === 0 ? null : { totalSize: children.length, done: true, records: children };
  }
  return { record, rows };
}

function placeField({ org, record, row, field, version }: { org: SalesforceOrg; record: JsonObject; row: Row; field: BoundField; version: string }): void {
  let target = record;
  let current: Row | null = row;
  for (const hop of field.hops) {
    const existing = target[hop.relationshipName];
    const id: Value | undefined = current?.[hop.lookup.name];
    current = typeof id === 'string' ? (org.table(hop.target.def.name)?.get(id) ?? null) : null;
    if (current === null) {
      target[hop.relationshipName] = null;
      return;
    }
    if (existing === undefined || existing === null || typeof existing !== 'object' || Array.isArray(existing)) {
      const nested: JsonObject = { attributes: attributesOf(hop.target.def.name, String(current['Id']), version) };
      target[hop.relationshipName] = nested;
      target = nested;
    } else {
      target = existing;
    }
  }
  if (current) target[field.field.name] = formatValue(field.field, current);
}

function childRecords({
  org,
  sub,
  parentId,
  version,
  includeDeleted,
}: {
  org: SalesforceOrg;
  sub: BoundSubquery;
  parentId: string;
  version: string;
  includeDeleted: boolean;
}): JsonObject[] {
  const table = org.table(sub.child.def.name);
  if (!table) return [];
  let rows = table
    .childIds(sub.relationship.field, parentId)
    .map((id) => table.get(id))
    .filter((r): r is Row => r !== undefined && (includeDeleted || r['IsDeleted'] !== true))
    .filter((r) => !sub.where || matches(org, r, sub.where));
  rows.sort(sub.orderBy.length > 0 ? orderComparator(org, sub.orderBy) : (a, b) => (String(a['Id']) < String(b['Id']) ? -1 : 1));
  if (sub.limit !== undefined) rows = rows.slice(0, sub.limit);
  return rows.map((r) => {
    const record: JsonObject = { attributes: attributesOf(sub.child.def.name, String(r['Id']), version) };
    for (const f of sub.fields) placeField({ org, record, row: r, field: f, version });
    return record;
  });
}
