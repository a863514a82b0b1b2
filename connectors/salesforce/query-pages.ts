/**
 * Query paging by hand (query + queryMore through the client), one API page at a time, so a
 * caller holds at most one page in memory and jsforce's silent autoFetch cap of 10,000 rows
 * (its `maxFetch` default) never applies.
 */
import type { SalesforceClient } from './client.js';
import { queryUrl } from './soql.js';
import { parseChildResult, parseQueryPage, type SalesforceQueryPage, type SalesforceRow } from './wire/rest.js';

export async function* queryPages(args: {
  client: SalesforceClient;
  soql: string;
  op: string;
  /** queryAll: include Recycle Bin rows (IsDeleted = true). */
  all?: boolean;
  batchSize?: number;
  signal?: AbortSignal | undefined;
}): AsyncGenerator<SalesforceQueryPage> {
  const headers: Record<string, string> = args.batchSize ? { 'Sforce-Query-Options': `batchSize=${args.batchSize}` } : {};
  let url: string | undefined = queryUrl(args.soql, args.all === true);
  while (url !== undefined) {
    const body = await args.client.call<unknown>({ op: args.op, method: 'GET', url, headers, signal: args.signal });
    const page = parseQueryPage(body, args.op);
    yield page;
    // The URL as given ("Query": `nextRecordsUrl`), not jsforce's `/query/<locator>` rewrite, so a real
    // org's `/queryAll/` cursor path would also be followed.
    url = page.done ? undefined : page.nextRecordsUrl;
  }
}

/** Every row of a small lookup query (bounded by the caller's IN list). */
export async function queryAllRows(args: { client: SalesforceClient; soql: string; op: string }): Promise<SalesforceRow[]> {
  const rows: SalesforceRow[] = [];
  for await (const page of queryPages(args)) rows.push(...page.records);
  return rows;
}

/** Child subquery results with more rows than fit on the page carry their own nextRecordsUrl. */
export async function completeChildren(args: {
  client: SalesforceClient;
  row: SalesforceRow;
  relationships: Iterable<string>;
  signal?: AbortSignal | undefined;
}): Promise<void> {
  for (const rel of args.relationships) {
    const raw = args.row[rel] as { done?: unknown } | null | undefined;
    if (raw === null || raw === undefined || raw.done === true) continue;
    const child = parseChildResult(raw, rel);
    if (!child || child.done || child.nextRecordsUrl === undefined) continue;
    const records = [...child.records];
    let url: string | undefined = child.nextRecordsUrl;
    while (url !== undefined) {
      const body = await args.client.call<unknown>({ op: `query.${rel}`, method: 'GET', url, signal: args.signal });
      const page = parseQueryPage(body, rel);
      records.push(...page.records);
      url = page.done ? undefined : page.nextRecordsUrl;
    }
    args.row[rel] = { totalSize: records.length, done: true, records };
  }
}
