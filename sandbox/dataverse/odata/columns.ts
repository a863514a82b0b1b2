/**
 * Wire column names of a table: plain attributes by logical name, lookups as `_x_value` (Dataverse developer guide, "Query data using the Web API").
 * Resolves names used in `$select`, `$filter` and `$orderby`; an unknown name is a 400 ("Query data using the Web API").
 */
import type { Row, Value } from '../model/row.js';
import type { TableInfo } from '../schema/tables.js';
import { isLookup, lookupValueName, type AttributeDef } from '../schema/types.js';
import { propertyNotFound } from '../wire/errors.js';

export interface Column {
  wireName: string;
  attribute: AttributeDef;
  get: (row: Row) => Value;
}

function getterFor(info: TableInfo, attribute: AttributeDef): (row: Row) => Value {
  const name = attribute.logicalName;
  if (name === info.def.primaryId) return (row) => row.id;
  if (name === 'versionnumber') return (row) => row.version;
  return (row) => row.values[name] ?? null;
}

// Keyed by the definition, which is replaced (never edited) when a column is added.
const cache = new WeakMap<TableInfo['def'], Map<string, Column>>();

function columnsOf(info: TableInfo): Map<string, Column> {
  let columns = cache.get(info.def);
  if (columns) return columns;
  columns = new Map();
  for (const attribute of info.def.attributes) {
    const wireName = isLookup(attribute) ? lookupValueName(attribute.logicalName) : attribute.logicalName;
    columns.set(wireName, { wireName, attribute, get: getterFor(info, attribute) });
  }
  cache.set(info.def, columns);
  return columns;
}

/** Every column in definition order. */
export function allColumns(info: TableInfo): Column[] {
  return [...columnsOf(info).values()];
}

export function column(info: TableInfo, wireName: string): Column {
  const found = columnsOf(info).get(wireName);
  if (!found) throw propertyNotFound(wireName, info.def.logicalName);
  return found;
}
