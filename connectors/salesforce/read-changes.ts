/**
 * readChanges: `WHERE SystemModstamp >= :from ORDER BY SystemModstamp, Id`, one ChangePage per
 * API page, then the Recycle Bin (`queryAll ... IsDeleted = true`) for deleted ids. See
 * cursor.ts for why the read overlaps and how rows already read are skipped.
 */
import type { CrmObjectKind, CrmRecord } from '../../src/domain/crm-record.js';
import type { ChangePage } from '../types.js';
import type { SalesforceClient } from './client.js';
import { decodeCursor, encodeCursor, noteSeen, readFrom, wasSeen, type CursorState, type WindowState } from './cursor.js';
import type { SalesforceOptions } from './options.js';
import { completeChildren, queryPages } from './query-pages.js';
import { rowToRecord } from './record-parse.js';
import { planFields, selectClause, soqlDateTime, type FieldPlan } from './soql.js';
import { WireFormatError } from './wire/rest.js';

export interface ReadChangesArgs {
  client: SalesforceClient;
  options: SalesforceOptions;
  object: string;
  kind: CrmObjectKind;
  fields: readonly string[];
  childRelationships: readonly string[];
  cursor: string | null;
  signal?: AbortSignal | undefined;
}

function stampClause(window: WindowState, overlapMs: number): string | null {
  const from = readFrom(window, overlapMs);
  return from === null ? null : `SystemModstamp >= ${soqlDateTime(from)}`;
}

export async function* readChanges(args: ReadChangesArgs): AsyncGenerator<ChangePage<CrmRecord>> {
  const { client, options, object, kind, signal } = args;
  const state: CursorState = decodeCursor(args.cursor);
  const plan = planFields({ paths: args.fields, childRelationships: args.childRelationships });
  const window = { overlapMs: options.readOverlapMs, limit: options.cursorSeenLimit };

  const since = stampClause(state.changes, options.readOverlapMs);
  const soql = `${selectClause({ object, plan })}${since ? ` WHERE ${since}` : ''} ORDER BY SystemModstamp ASC, Id ASC`;
  for await (const page of queryPages({ client, soql, op: 'readChanges', batchSize: options.queryBatchSize, signal })) {
    const items: CrmRecord[] = [];
    for (const row of page.records) {
      const record = await toRecord({ client, row, kind, plan, signal });
      const stamp = Date.parse(record.stamp);
      if (wasSeen(state.changes, record.id, stamp)) continue;
      noteSeen({ window: state.changes, id: record.id, stamp, ...window });
      items.push(record);
    }
    yield { items, deletedIds: [], cursor: encodeCursor(state) };
  }

  const deletedSince = stampClause(state.deletes, options.readOverlapMs);
  const deletedSoql =
    `SELECT Id, SystemModstamp FROM ${object} WHERE IsDeleted = true` +
    `${deletedSince ? ` AND ${deletedSince}` : ''} ORDER BY SystemModstamp ASC, Id ASC`;
  for await (const page of queryPages({ client, soql: deletedSoql, op: 'readDeleted', all: true, batchSize: options.queryBatchSize, signal })) {
    const deletedIds: string[] = [];
    for (const row of page.records) {
      const id = row['Id'];
      const stamp = typeof row['SystemModstamp'] === 'string' ? Date.parse(row['SystemModstamp'].replace(/\+0000$/, 'Z')) : Number.NaN;
      if (typeof id !== 'string' || Number.isNaN(stamp)) throw new WireFormatError('deleted row without Id or SystemModstamp');
      if (wasSeen(state.deletes, id, stamp)) continue;
      noteSeen({ window: state.deletes, id, stamp, ...window });
      deletedIds.push(id);
    }
    yield { items: [], deletedIds, cursor: encodeCursor(state) };
  }
}

async function toRecord(args: {
  client: SalesforceClient;
  row: Parameters<typeof rowToRecord>[0]['row'];
  kind: CrmObjectKind;
  plan: FieldPlan;
  signal: AbortSignal | undefined;
}): Promise<CrmRecord> {
  if (args.plan.children.size > 0) {
    await completeChildren({ client: args.client, row: args.row, relationships: args.plan.children.keys(), signal: args.signal });
  }
  return rowToRecord({ row: args.row, kind: args.kind, plan: args.plan });
}
