/** Reads the concurrency version (LastModifiedDate) of many records in as few queries as allowed. */
import type { SalesforceClient } from './client.js';
import { chunk } from './collections.js';
import { salesforceDescriptor } from './descriptor.js';
import { queryAllRows } from './query-pages.js';
import { toIsoStamp } from './record-parse.js';
import { soqlList } from './soql.js';

export async function readVersions(args: { client: SalesforceClient; object: string; ids: readonly string[]; op: string }): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  const unique = [...new Set(args.ids)];
  // Chunks in parallel: the client's RateLimiter bounds the concurrency.
  const pages = await Promise.all(
    chunk(unique, salesforceDescriptor.idsPerQuery).map((ids) =>
      queryAllRows({ client: args.client, op: args.op, soql: `SELECT Id, LastModifiedDate FROM ${args.object} WHERE Id IN ${soqlList(ids)}` }),
    ),
  );
  for (const row of pages.flat()) {
    if (typeof row['Id'] === 'string') versions.set(row['Id'], toIsoStamp(row['LastModifiedDate'], `LastModifiedDate of ${row['Id']}`));
  }
  return versions;
}
