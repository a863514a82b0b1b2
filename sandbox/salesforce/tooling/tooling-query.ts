/**
 * The Tooling API queries setup makes on CustomField: `SELECT <fields> FROM CustomField
 * [WHERE <field> = '<value>' [AND ...]]`. As the Tooling API Developer Guide says of
 * CustomField, `Metadata` and `FullName` can be selected only when the query returns one row.
 */
import { requestError } from '../model/sf-error.js';
import type { CustomFieldRow } from './custom-fields.js';

const COLUMNS = ['Id', 'DeveloperName', 'TableEnumOrId', 'FullName', 'Metadata'] as const;
type Column = (typeof COLUMNS)[number];

function column(name: string): Column {
  const found = COLUMNS.find((c) => c.toLowerCase() === name.trim().toLowerCase());
  if (!found) throw requestError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on entity 'CustomField'.`);
  return found;
}

export function runToolingQuery(soql: string, rows: readonly CustomFieldRow[], urlOf: (id: string) => string): Record<string, unknown> {
  const m = /^\s*SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(.+?))?\s*$/is.exec(soql);
  if (!m) throw requestError(400, 'MALFORMED_QUERY', 'The emulator serves SELECT ... FROM CustomField [WHERE field = \'value\' AND ...] on the Tooling API');
  const [, list = '', entity = '', where] = m;
  if (entity.toLowerCase() !== 'customfield') throw requestError(400, 'INVALID_TYPE', `sObject type '${entity}' is not supported.`);
  const selected = list.split(',').map(column);
  const conditions = (where ?? '').split(/\s+AND\s+/i).filter((c) => c.trim() !== '').map((c) => {
    const cm = /^\s*(\w+)\s*=\s*'((?:[^'\\]|\\.)*)'\s*$/.exec(c);
    if (!cm) throw requestError(400, 'MALFORMED_QUERY', `unexpected condition: ${c.trim()}`);
    return { column: column(cm[1] ?? ''), value: (cm[2] ?? '').replace(/\\(.)/g, '$1').toLowerCase() };
  });
  const found = rows.filter((r) => conditions.every((c) => String(r[c.column]).toLowerCase() === c.value || (c.column === 'Id' && r.Id.slice(0, 15).toLowerCase() === c.value.slice(0, 15))));
  if ((selected.includes('Metadata') || selected.includes('FullName')) && found.length > 1) {
    throw requestError(400, 'MALFORMED_QUERY', `When retrieving results with Metadata or FullName fields, the query qualifications must specify no more than one row for retrieval. Result size: ${found.length}`);
  }
  const records = found.map((r) => ({ attributes: { type: 'CustomField', url: urlOf(r.Id) }, ...Object.fromEntries(selected.map((c) => [c, r[c]])) }));
  return { size: records.length, totalSize: records.length, done: true, queryLocator: null, entityTypeName: 'CustomField', records };
}
