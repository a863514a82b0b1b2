/**
 * SOQL text from the mapping's field paths (SOQL and SOSL Reference): parent fields in dot notation,
 * child relationships as subqueries, literals escaped. Paths are checked against a strict
 * identifier pattern so a mapping can never inject SOQL.
 */
import { ConnectorError } from '../errors.js';

/** The fields every read needs besides the mapped ones. */
export const SYSTEM_FIELDS = ['Id', 'SystemModstamp', 'LastModifiedDate'] as const;

const PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;

/** What to select: plain and parent paths, and per child relationship the paths inside it. */
export interface FieldPlan {
  /** Paths as requested, in order (the record's `fields` keys, children by relationship name). */
  requested: readonly string[];
  scalars: string[];
  children: Map<string, string[]>;
}

export function planFields(args: { paths: readonly string[]; childRelationships: readonly string[] }): FieldPlan {
  const scalars: string[] = [];
  const children = new Map<string, string[]>();
  for (const path of args.paths) {
    if (!PATH.test(path)) {
      throw new ConnectorError({ kind: 'invalid', system: 'salesforce', message: `not a Salesforce field path: ${JSON.stringify(path)}` });
    }
    const [head, ...rest] = path.split('.');
    if (head !== undefined && args.childRelationships.includes(head)) {
      const inner = children.get(head) ?? [];
      if (rest.length > 0) inner.push(rest.join('.'));
      children.set(head, inner);
    } else if (!scalars.includes(path)) {
      scalars.push(path);
    }
  }
  return { requested: args.paths, scalars, children };
}

/** `SELECT Id, ..., (SELECT ... FROM OpportunityContactRoles) FROM Opportunity` (no WHERE). */
export function selectClause(args: { object: string; plan: FieldPlan }): string {
  const fields = [...SYSTEM_FIELDS, ...args.plan.scalars.filter((f) => !(SYSTEM_FIELDS as readonly string[]).includes(f))];
  const subqueries = [...args.plan.children].map(([rel, inner]) => `(SELECT ${['Id', ...inner.filter((f) => f !== 'Id')].join(', ')} FROM ${rel})`);
  return `SELECT ${[...fields, ...subqueries].join(', ')} FROM ${args.object}`;
}

/** A quoted SOQL string literal (SOQL and SOSL Reference, "Quoted String Escape Sequences"). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** `(…, …)` for `IN`; callers never pass an empty list. */
export function soqlList(values: readonly string[]): string {
  return `(${values.map(soqlString).join(', ')})`;
}

/** A dateTime literal without fractional seconds ("Date Formats and Date Literals" shows none), floored. */
export function soqlDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function assertFieldName(name: string): string {
  if (!PATH.test(name)) throw new ConnectorError({ kind: 'invalid', system: 'salesforce', message: `not a Salesforce field: ${JSON.stringify(name)}` });
  return name;
}

/** The relative URL of a query; `all` reads the Recycle Bin too (queryAll). */
export function queryUrl(soql: string, all = false): string {
  return `/${all ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
}
