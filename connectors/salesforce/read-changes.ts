/**
 * readChanges: one `queryAll` of `WHERE SystemModstamp >= :from ORDER BY SystemModstamp, Id`,
 * one ChangePage per API page. queryAll also returns Recycle Bin rows (IsDeleted = true, stamped
 * when deleted), which become `deletedIds`, so an idle cycle costs a single call
 * instead of a read plus a separate delete scan. See cursor.ts for why the read
 * overlaps and how rows already read are skipped.
 */
import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CrmObjectKind, CrmRecord } from '../../src/domain/crm-record.js';
import type { ChangePage } from '../types.js';
import type { SalesforceClient } from './client.js';
import { decodeCursor, encodeCursor, needsPair, noteSeen, readFrom, wasSeen } from './cursor.js';
import type { SalesforceOptions } from './options.js';
import { completeChildren, queryPages } from './query-pages.js';
import { rowToRecord, toIsoStamp } from './record-parse.js';
import { planFields, selectClause, soqlDateTime } from './soql.js';
import { WireFormatError, type SalesforceRow } from './wire/rest.js';

export interface ReadChangesArgs {
  client: SalesforceClient;
  options: SalesforceOptions;
  object: string;
  kind: CrmObjectKind;
  fields: readonly string[];
  childRelationships: readonly string[];
  cursor: string | null;
  signal?: AbortSignal | undefined;
  /** The daemon's time, to tell an old watermark from a recent one. */
  now?: Date;
}

/** Rows converted between two turns of the event loop, so answers from other calls are taken. */
const YIELD_EVERY = 250;

function fingerprint(row: Record<string, unknown>): string {
  return createHash('sha1').update(JSON.stringify(row)).digest('base64url').slice(0, 10);
}

export async function* readChanges(args: ReadChangesArgs): AsyncGenerator<ChangePage<CrmRecord>> {
  const { client, options, object, kind, signal } = args;
  const state = decodeCursor(args.cursor);
  const plan = planFields({ paths: [...args.fields, 'IsDeleted'], childRelationships: args.childRelationships });
  const window = { window: state.changes, overlapMs: options.readOverlapMs, limit: options.cursorSeenLimit };
  const from = readFrom(state.changes, options.readOverlapMs, args.now?.getTime());
  const where = from === null ? '' : ` WHERE SystemModstamp >= ${soqlDateTime(from)}`;
  const soql = `${selectClause({ object, plan })}${where} ORDER BY SystemModstamp ASC, Id ASC`;
  const requested = new Set(args.fields);

  for await (const page of queryPages({ client, soql, op: 'readChanges', all: true, batchSize: options.queryBatchSize, signal })) {
    const items: CrmRecord[] = [];
    const deletedIds: string[] = [];
    const stamps = page.records.map((row) => {
      const id = row['Id'];
      if (typeof id !== 'string') throw new WireFormatError('row without Id');
      return Date.parse(toIsoStamp(row['SystemModstamp'], `SystemModstamp of ${id}`));
    });
    const pageNewest = Math.max(...stamps);
    for (const [i, row] of page.records.entries()) {
      // A page is up to 2,000 rows: converting them in one go held the event loop for tens of ms.
      if (i > 0 && i % YIELD_EVERY === 0) await nextTurn();
      const id = row['Id'] as string;
      const stamp = stamps[i] as number;
      // SystemModstamp has one-second resolution (docs/change-watermarks.md): a second edit within the same second
      // keeps the stamp, so a row counts as seen only with the same content too.
      if (needsPair(state.changes, stamp, pageNewest, options.readOverlapMs)) {
        const seenKey = `${id}#${fingerprint(row)}`;
        if (wasSeen(state.changes, seenKey, stamp)) continue;
        noteSeen({ ...window, id: seenKey, stamp });
      }
      if (row['IsDeleted'] === true) {
        deletedIds.push(id);
        continue;
      }
      const record = await toRecord({ client, row, kind, plan, signal });
      if (!requested.has('IsDeleted')) delete record.fields['IsDeleted'];
      items.push(record);
    }
    // The raw page is garbage from here on; emptying it frees it while the engine works on
    // `items`, instead of when the next page replaces it.
    page.records.length = 0;
    yield { items, deletedIds, cursor: encodeCursor(state) };
  }
}

async function toRecord(args: {
  client: SalesforceClient;
  row: SalesforceRow;
  kind: CrmObjectKind;
  plan: ReturnType<typeof planFields>;
  signal: AbortSignal | undefined;
}): Promise<CrmRecord> {
  if (args.plan.children.size > 0) {
    await completeChildren({ client: args.client, row: args.row, relationships: args.plan.children.keys(), signal: args.signal });
  }
  return rowToRecord({ row: args.row, kind: args.kind, plan: args.plan });
}
