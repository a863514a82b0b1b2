/**
 * System query options of a read: `$select`, `$filter`, `$orderby`, `$top`, `$expand` (single-valued
 * lookups, with nested options), `$count`, `$skiptoken`, `$deltatoken` (Dataverse developer guide, "Query data using the Web API", "Page results using the Web API", "Use change tracking to synchronize data with external systems").
 */
import type { Row, Value } from '../model/row.js';
import type { OrgStore } from '../model/store.js';
import type { TableInfo } from '../schema/tables.js';
import { badRequest, propertyNotFound, CODES } from '../wire/errors.js';
import { column, type Column } from './columns.js';
import { compileFilter } from './filter-eval.js';
import { FilterSyntaxError, parseFilter } from './filter-parser.js';

export interface OrderTerm {
  column: Column;
  descending: boolean;
}

export interface ExpandOption {
  navigation: string;
  /** The lookup attribute behind the navigation property. */
  attribute: string;
  target: TableInfo;
  select: Column[] | null;
  expand: ExpandOption[];
}

export interface QueryOptions {
  select: Column[] | null;
  filter: ((row: Row) => boolean) | null;
  hasFilter: boolean;
  orderBy: OrderTerm[];
  top: number | null;
  expand: ExpandOption[];
  count: boolean;
  skipToken: string | null;
  deltaToken: string | null;
}

const SUPPORTED = new Set(['$select', '$filter', '$orderby', '$top', '$expand', '$count', '$skiptoken', '$deltatoken']);

/** Splits on a separator outside parentheses and quotes. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    if (!quoted && ch === '(') depth++;
    if (!quoted && ch === ')') depth--;
    if (!quoted && depth === 0 && ch === separator) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function parseSelect(info: TableInfo, text: string | null): Column[] | null {
  if (text === null) return null;
  return splitTopLevel(text, ',').map((name) => column(info, name));
}

function parseOrderBy(info: TableInfo, text: string | null): OrderTerm[] {
  if (text === null) return [];
  return splitTopLevel(text, ',').map((term) => {
    const [name = '', direction = 'asc', ...rest] = term.split(/\s+/);
    if (rest.length > 0 || (direction !== 'asc' && direction !== 'desc')) throw badRequest(`Invalid $orderby term '${term}'.`, CODES.propertyNotFound);
    return { column: column(info, name), descending: direction === 'desc' };
  });
}

/**
 * A filter property: a column, or a path through single-valued lookups such as
 * `parentaccountid/name` (an OData path; the Dataverse docs show only `_x_value` filters).
 */
function filterGetter(info: TableInfo, path: string, store: OrgStore): (row: Row) => Value {
  const slash = path.indexOf('/');
  if (slash < 0) return column(info, path).get;
  const navigation = path.slice(0, slash);
  const nav = info.byNavigation.get(navigation);
  const target = nav ? store.schema.tableByLogicalName(nav.target) : undefined;
  if (!nav || !target) throw propertyNotFound(navigation, info.def.logicalName);
  const inner = filterGetter(target, path.slice(slash + 1), store);
  const rows = store.table(target.def.logicalName).rows;
  const attribute = nav.attribute.logicalName;
  return (row) => {
    const id = row.values[attribute];
    const type = row.targets[attribute];
    if (typeof id !== 'string' || (type !== undefined && type !== target.def.logicalName)) return null;
    const related = rows.get(id);
    return related ? inner(related) : null;
  };
}

function parseFilterOption(info: TableInfo, text: string | null, store: OrgStore): ((row: Row) => boolean) | null {
  if (text === null) return null;
  try {
    return compileFilter<Row>(parseFilter(text), (name) => filterGetter(info, name, store));
  } catch (error) {
    if (error instanceof FilterSyntaxError) throw badRequest(`Syntax error in $filter: ${error.message}.`, CODES.propertyNotFound);
    throw error;
  }
}

function parseExpand(info: TableInfo, text: string | null, store: OrgStore): ExpandOption[] {
  if (text === null) return [];
  return splitTopLevel(text, ',').map((item) => {
    const open = item.indexOf('(');
    const navigation = open < 0 ? item : item.slice(0, open);
    const nav = info.byNavigation.get(navigation);
    const target = nav ? store.schema.tableByLogicalName(nav.target) : undefined;
    if (!nav || !target) throw propertyNotFound(navigation, info.def.logicalName);
    const inner = new Map<string, string>();
    if (open >= 0) {
      for (const option of splitTopLevel(item.slice(open + 1, -1), ';')) {
        const eq = option.indexOf('=');
        inner.set(option.slice(0, eq), option.slice(eq + 1));
      }
    }
    for (const name of inner.keys()) {
      if (name !== '$select' && name !== '$expand') throw badRequest(`The query option '${name}' is not supported inside $expand.`);
    }
    return {
      navigation,
      attribute: nav.attribute.logicalName,
      target,
      select: parseSelect(target, inner.get('$select') ?? null),
      expand: parseExpand(target, inner.get('$expand') ?? null, store),
    };
  });
}

function parseTop(text: string | null): number | null {
  if (text === null) return null;
  const top = Number(text);
  if (!Number.isInteger(top) || top < 0) throw badRequest(`Invalid value '${text}' for $top.`, CODES.propertyNotFound);
  return top;
}

export function parseQueryOptions(info: TableInfo, query: URLSearchParams, store: OrgStore): QueryOptions {
  for (const name of query.keys()) {
    // $skip is not supported by the service ("Page results using the Web API"); other unknown system options fail the same way.
    if (name.startsWith('$') && !SUPPORTED.has(name)) throw badRequest(`The query parameter ${name} is not supported.`, CODES.propertyNotFound);
  }
  const filterText = query.get('$filter');
  return {
    select: parseSelect(info, query.get('$select')),
    filter: parseFilterOption(info, filterText, store),
    hasFilter: filterText !== null,
    orderBy: parseOrderBy(info, query.get('$orderby')),
    top: parseTop(query.get('$top')),
    expand: parseExpand(info, query.get('$expand'), store),
    count: query.get('$count') === 'true',
    skipToken: query.get('$skiptoken'),
    deltaToken: query.get('$deltatoken'),
  };
}
