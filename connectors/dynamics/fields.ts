/**
 * Field paths as the mapping names them -> `$select` / `$expand`, and rows -> CrmRecords.
 * `lookup.column` paths (docs/crm-custom-fields.md) become `$expand=lookup($select=column,...)`.
 */
import type { Expand } from 'dynamics-web-api';
import type { CrmObjectKind, CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import { ConnectorError } from '../errors.js';

export interface FieldPlan {
  primaryKey: string;
  columns: string[];
  /** Lookup navigation property -> the columns read through it. */
  expands: Map<string, string[]>;
  paths: readonly string[];
}

const NAME = /^[a-z_][a-z0-9_]*$/i;

export function assertName(name: string): string {
  if (!NAME.test(name)) throw new ConnectorError({ kind: 'invalid', system: 'dynamics', message: `not a Dataverse column name: ${JSON.stringify(name)}` });
  return name;
}

export function planFields(args: { paths: readonly string[]; primaryKey: string }): FieldPlan {
  const columns = new Set<string>([args.primaryKey, 'modifiedon']);
  const expands = new Map<string, string[]>();
  for (const path of args.paths) {
    const [head, column, ...rest] = path.split('.');
    if (head === undefined || rest.length > 0) throw new ConnectorError({ kind: 'invalid', system: 'dynamics', message: `unsupported field path ${path}` });
    if (column === undefined) {
      columns.add(assertName(head));
      continue;
    }
    const list = expands.get(assertName(head)) ?? [];
    if (!list.includes(column)) list.push(assertName(column));
    expands.set(head, list);
  }
  return { primaryKey: args.primaryKey, columns: [...columns], expands, paths: args.paths };
}

/** The `select` / `expand` of a dynamics-web-api query for a plan. */
export function queryOf(plan: FieldPlan): { select: string[]; expand?: Expand[] } {
  if (plan.expands.size === 0) return { select: plan.columns };
  return { select: plan.columns, expand: [...plan.expands].map(([property, select]) => ({ property, select })) };
}

/** `Microsoft.Dynamics.CRM.In` over GUIDs or strings (Web API query function "In"), quotes doubled. */
export function inFilter(column: string, values: readonly string[]): string {
  const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
  return `Microsoft.Dynamics.CRM.In(PropertyName='${assertName(column)}',PropertyValues=[${list}])`;
}

export type Row = Record<string, unknown>;

/**
 * dynamics-web-api turns `YYYY-MM-DDTHH:MM:SSZ` strings (never with fractions) into Dates; the
 * record keeps the wire form, so values compare equal across reads and with earlier snapshots.
 */
const wireDate = (date: Date): string => date.toISOString().replace(/\.000Z$/, 'Z');

const toFieldValue = (value: unknown): FieldValue => {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return wireDate(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.parse(JSON.stringify(value)) as FieldValue;
};

/** A Web API row as a CrmRecord: `stamp` = modifiedon, `version` = @odata.etag. */
export function rowToRecord(args: { row: Row; kind: CrmObjectKind; plan: FieldPlan }): CrmRecord {
  const { row, plan } = args;
  const id = row[plan.primaryKey];
  const modifiedon = row['modifiedon'];
  const stamp = modifiedon instanceof Date ? wireDate(modifiedon) : modifiedon;
  const version = row['@odata.etag'];
  if (typeof id !== 'string' || typeof stamp !== 'string' || typeof version !== 'string') {
    throw new ConnectorError({ kind: 'unknown', system: 'dynamics', message: 'a Dataverse row lacks its id, modifiedon or @odata.etag' });
  }
  const fields: Record<string, FieldValue> = {};
  for (const path of plan.paths) {
    const [head, column] = path.split('.') as [string, string | undefined];
    if (column === undefined) {
      fields[path] = toFieldValue(row[head]);
      continue;
    }
    const related = row[head];
    fields[path] = related !== null && typeof related === 'object' ? toFieldValue((related as Row)[column]) : null;
  }
  return { kind: args.kind, id, stamp: new Date(stamp).toISOString(), version, fields };
}
