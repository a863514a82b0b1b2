import { mintId } from '../model/ids.js';
import type { OrgClock, SalesforceOrg } from '../model/org.js';
import { requestError } from '../model/sf-error.js';
import type { Row } from '../model/table.js';
import { bindQuery } from './bind.js';
import type { BoundQuery } from './bound.js';
import { executeQuery } from './execute.js';
import { parseSoql } from './parser.js';
import { projectRecord, type Json } from './project.js';

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Json[];
}

interface Cursor {
  query: BoundQuery;
  ids: string[];
  includeDeleted: boolean;
  batchSize: number;
  lastUsed: number;
}

export interface QueryServiceOptions {
  /** Idle time after which a locator answers INVALID_QUERY_LOCATOR (not documented; about 15 min). */
  cursorTtlMs: number;
  /** Open cursors kept; the least recently used goes first (emulator bound, not a documented limit). */
  maxOpenCursors: number;
  /** Path segment of queryAll cursors' nextRecordsUrl: `query` (what jsforce needs) or `queryAll` ("Query" shows only `query`). */
  queryAllCursorPath: 'query' | 'queryAll';
}

/** `Sforce-Query-Options: batchSize=N`: default 2000, clamped to 200–2000 (Salesforce REST API Developer Guide, "Query Options Header"). */
export function clampBatchSize(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return 2000;
  return Math.min(2000, Math.max(200, Math.floor(requested)));
}

/**
 * Query, queryAll and query-more ("Query"). A query runs once to a sorted list
 * of ids held by a cursor; each page projects the next slice, so later pages never re-sort.
 * Locators are `<cursorId>-<offset>` with no `/`, as jsforce keeps only the last path segment.
 */
export class QueryService {
  private readonly cursors = new Map<string, Cursor>();
  private cursorCount = 0;

  constructor(
    private readonly org: SalesforceOrg,
    private readonly clock: OrgClock,
    private readonly options: QueryServiceOptions,
  ) {}

  run({ soql, version, includeDeleted, batchSize }: { soql: string; version: string; includeDeleted: boolean; batchSize?: number }): QueryPage {
    const query = bindQuery({ catalog: this.org.catalog, query: parseSoql(soql), now: this.clock.now().getTime() });
    const ids = executeQuery({ org: this.org, query, includeDeleted });
    if (query.count) return { totalSize: ids.length, done: true, records: [] };
    const cursor: Cursor = { query, ids, includeDeleted, batchSize: clampBatchSize(batchSize), lastUsed: this.clock.now().getTime() };
    return this.page({ cursor, cursorId: undefined, offset: 0, version });
  }

  more({ locator, version, batchSize }: { locator: string; version: string; batchSize?: number }): QueryPage {
    const dash = locator.lastIndexOf('-');
    const cursorId = dash < 0 ? locator : locator.slice(0, dash);
    const offset = dash < 0 ? Number.NaN : Number(locator.slice(dash + 1));
    const cursor = this.cursors.get(cursorId);
    const now = this.clock.now().getTime();
    if (!cursor || !Number.isInteger(offset) || offset < 0 || offset > cursor.ids.length || now - cursor.lastUsed > this.options.cursorTtlMs) {
      this.cursors.delete(cursorId);
      throw requestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.lastUsed = now;
    if (batchSize !== undefined) cursor.batchSize = clampBatchSize(batchSize);
    return this.page({ cursor, cursorId, offset, version });
  }

  private page({ cursor, cursorId, offset, version }: { cursor: Cursor; cursorId: string | undefined; offset: number; version: string }): QueryPage {
    const table = this.org.table(cursor.query.object.def.name);
    const records: Json[] = [];
    let rows = 0;
    let i = offset;
    // Child rows count towards the batch size ("Query"), so a page may hold fewer parents.
    while (i < cursor.ids.length && rows < cursor.batchSize) {
      const row = table?.get(cursor.ids[i] as string) as Row | undefined;
      i += 1;
      if (!row) continue;
      const projected = projectRecord({ org: this.org, query: cursor.query, row, version, includeDeleted: cursor.includeDeleted });
      records.push(projected.record);
      rows += projected.rows;
    }
    const done = i >= cursor.ids.length;
    // A finished cursor stays until it idles out, so a retried last page still answers.
    if (done) return { totalSize: cursor.ids.length, done: true, records };
    const id = cursorId ?? this.openCursor(cursor);
    const segment = cursor.includeDeleted ? this.options.queryAllCursorPath : 'query';
    return { totalSize: cursor.ids.length, done: false, nextRecordsUrl: `/services/data/v${version}/${segment}/${id}-${i}`, records };
  }

  private openCursor(cursor: Cursor): string {
    this.cursorCount += 1;
    const id = mintId({ keyPrefix: '01g', n: this.cursorCount });
    this.cursors.set(id, cursor);
    while (this.cursors.size > this.options.maxOpenCursors) {
      let oldest: string | undefined;
      let oldestAt = Infinity;
      for (const [key, c] of this.cursors) if (c.lastUsed < oldestAt) [oldest, oldestAt] = [key, c.lastUsed];
      if (oldest === undefined) break;
      this.cursors.delete(oldest);
    }
    return id;
  }
}
