/**
 * Rows to wire JSON: `@odata.etag` on every record, lookups as `_x_value` with their annotations,
 * formatted values when `Prefer` asks, expanded lookups nested under the navigation name
 * (Dataverse developer guide, "Compose HTTP requests and handle errors", "Query data using the Web API").
 */
import type { OrgStore } from '../model/store.js';
import { etagOf, type Row } from '../model/row.js';
import { allColumns, type Column } from '../odata/columns.js';
import type { ExpandOption } from '../odata/query-options.js';
import type { TableInfo } from '../schema/tables.js';
import { isLookup } from '../schema/types.js';
import { formattedValue } from './formatted.js';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const NAVIGATION = 'Microsoft.Dynamics.CRM.associatednavigationproperty';
const LOGICAL_NAME = 'Microsoft.Dynamics.CRM.lookuplogicalname';

export interface SerializeContext {
  store: OrgStore;
  /** Which annotations `Prefer: odata.include-annotations` asked for. */
  annotate: (name: string) => boolean;
}

/** Target logical name of a lookup value: stored for polymorphic lookups, fixed otherwise. */
export function lookupTarget(column: Column, row: Row): string | undefined {
  const stored = row.targets[column.attribute.logicalName];
  if (stored) return stored;
  const targets = Object.values(column.attribute.navigation ?? {});
  return targets.length === 1 ? targets[0] : undefined;
}

function navigationFor(column: Column, target: string): string | undefined {
  return Object.entries(column.attribute.navigation ?? {}).find(([, t]) => t === target)?.[0];
}

export function findRow(store: OrgStore, logicalName: string, id: string): Row | undefined {
  return store.schema.tableByLogicalName(logicalName) ? store.table(logicalName).rows.get(id) : undefined;
}

function primaryName(store: OrgStore, logicalName: string, id: string): string | undefined {
  const info = store.schema.tableByLogicalName(logicalName);
  const row = findRow(store, logicalName, id);
  const name = info && row ? row.values[info.def.primaryName] : undefined;
  return typeof name === 'string' ? name : undefined;
}

function currencySymbol(store: OrgStore, row: Row): string {
  const currencyId = row.values['transactioncurrencyid'];
  const currency = typeof currencyId === 'string' ? findRow(store, 'transactioncurrency', currencyId) : undefined;
  const symbol = currency?.values['currencysymbol'];
  return typeof symbol === 'string' ? symbol : '$';
}

function writeColumn(out: Record<string, unknown>, column: Column, row: Row, ctx: SerializeContext): void {
  const value = column.get(row);
  const name = column.wireName;
  if (isLookup(column.attribute) && typeof value === 'string') {
    const target = lookupTarget(column, row);
    if (target && ctx.annotate(FORMATTED)) {
      const label = primaryName(ctx.store, target, value);
      if (label !== undefined) out[`${name}@${FORMATTED}`] = label;
    }
    if (target && ctx.annotate(NAVIGATION)) out[`${name}@${NAVIGATION}`] = navigationFor(column, target);
    if (target && ctx.annotate(LOGICAL_NAME)) out[`${name}@${LOGICAL_NAME}`] = target;
  } else if (ctx.annotate(FORMATTED)) {
    const text = formattedValue(column.attribute, value, currencySymbol(ctx.store, row));
    if (text !== undefined) out[`${name}@${FORMATTED}`] = text;
  }
  out[name] = value;
}

/** One record; the primary key is always present, even when `$select` leaves it out ("Query data using the Web API"). */
export function serializeRow(info: TableInfo, row: Row, select: Column[] | null, expand: readonly ExpandOption[], ctx: SerializeContext): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.etag': etagOf(row) };
  const columns = select ?? allColumns(info);
  for (const column of columns) {
    if (column.attribute.logicalName !== info.def.primaryId) writeColumn(out, column, row, ctx);
  }
  out[info.def.primaryId] = row.id;
  for (const option of expand) {
    const id = row.values[option.attribute];
    const target = typeof id === 'string' ? ctx.store.table(option.target.def.logicalName).rows.get(id) : undefined;
    out[option.navigation] = target ? serializeRow(option.target, target, option.select, option.expand, ctx) : null;
  }
  return out;
}

/** `(name,parentaccountid(name))` for `@odata.context` ("Query data using the Web API"). */
export function contextSelection(select: Column[] | null, expand: readonly ExpandOption[]): string {
  const parts = [
    ...(select ?? []).map((c) => c.wireName),
    ...expand.map((e) => `${e.navigation}${contextSelection(e.select, e.expand) || '()'}`),
  ];
  return parts.length > 0 ? `(${parts.join(',')})` : '';
}
