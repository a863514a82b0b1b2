/**
 * The Dataverse side of `crm setup --emit`: `columns.csv`, one row per column and per status
 * reason (what an admin creates in Power Apps, or imports), and `columns.json`, the Web API
 * definitions setup itself sends (each column's body for
 * `POST EntityDefinitions(LogicalName='<table>')/Attributes`, the alternate keys, the
 * `InsertStatusValue` bodies of the status reasons, the tables to track changes on).
 */
import { stringify } from 'csv-stringify/sync';
import type { FieldNeed, PicklistOption } from '../../src/domain/crm-setup.js';
import { alternateKeyDefinition, columnDefinition, schemaNameOf, statusValueDefinition } from './column-definition.js';

export interface ColumnFile {
  path: string;
  text: string;
}

export const COLUMN_CSV_HEADER = ['table', 'column', 'schemaName', 'displayName', 'type', 'maxLength', 'choices', 'alternateKey'] as const;

export function dataverseColumnFiles(args: {
  columns: readonly { object: string; name: string; need: FieldNeed }[];
  keys: readonly { object: string; name: string; columns: string[] }[];
  /** Status reasons beyond the standard ones (values in the customization range). */
  statusValues: readonly { object: string; name: string; option: PicklistOption }[];
  trackedTables: readonly string[];
}): ColumnFile[] {
  const keyOf = (object: string, column: string): string => args.keys.find((k) => k.object === object && k.columns.length === 1 && k.columns[0] === column)?.name ?? '';
  const rows = args.columns.map(({ object, name, need }) => [
    object,
    name,
    schemaNameOf(name),
    need.label,
    need.type,
    need.type === 'text' ? String(need.length ?? '') : '',
    need.options.map((o) => `${o.value}=${o.label}`).join(';'),
    keyOf(object, name),
  ]);
  for (const { object, name, option } of args.statusValues) {
    rows.push([object, name, '', option.label, 'status reason', '', `${option.value}=${option.label} (state ${option.status?.stateCode ?? 0})`, '']);
  }
  const json = {
    columns: args.columns.map(({ object, name, need }) => ({ table: object, definition: columnDefinition(name, need) })),
    alternateKeys: args.keys.map((k) => ({ table: k.object, definition: alternateKeyDefinition(k) })),
    statusValues: args.statusValues.map((s) => ({ action: 'InsertStatusValue', body: statusValueDefinition({ table: s.object, column: s.name, option: s.option }) })),
    changeTracking: [...args.trackedTables],
  };
  return [
    { path: 'columns.csv', text: stringify([[...COLUMN_CSV_HEADER], ...rows]) },
    { path: 'columns.json', text: `${JSON.stringify(json, null, 2)}\n` },
  ];
}
