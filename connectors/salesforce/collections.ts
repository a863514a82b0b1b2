/**
 * sObject Collections (Salesforce REST API Developer Guide, "sObject Collections"): at most 200 records per call, `allOrNone: false`, one
 * result per record in request order. A failed row is its own outcome; a call that fails as a
 * whole fails only the rows of its chunk.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectorError } from '../errors.js';
import type { SalesforceClient } from './client.js';
import { asConnectorError, classifySaveError } from './classify-error.js';
import { salesforceDescriptor } from './descriptor.js';
import { parseSaveResults } from './wire/rest.js';

export type RowOutcome = { ok: true; id: string; created: boolean } | { ok: false; error: ConnectorError };

/** A record as the collections endpoints take it: `attributes.type` plus fields (and `id` on update). */
export type CollectionRecord = { attributes: { type: string } } & Record<string, unknown>;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function collectionWrite(args: {
  client: SalesforceClient;
  op: string;
  method: 'POST' | 'PATCH';
  /** `/composite/sobjects` (create, update) or `/composite/sobjects/{Object}/{ExtId}` (upsert). */
  url: string;
  records: readonly CollectionRecord[];
  /** Plain creates duplicate when repeated blindly; upserts and updates do not. */
  nonIdempotent: boolean;
}): Promise<RowOutcome[]> {
  const chunks = chunk(args.records, salesforceDescriptor.collectionMaxRecords);
  const results = await Promise.all(
    chunks.map(async (records): Promise<RowOutcome[]> => {
      const correlationId = randomUUID();
      try {
        const body = await args.client.call<unknown>({
          op: args.op,
          method: args.method,
          url: args.url,
          body: { allOrNone: false, records },
          isWrite: true,
          nonIdempotent: args.nonIdempotent,
          correlationId,
        });
        const saved = parseSaveResults(body, records.length, args.op);
        return saved.map((result): RowOutcome => {
          if (result.success && result.id !== null) return { ok: true, id: result.id, created: result.created ?? args.method === 'POST' };
          return { ok: false, error: classifySaveError(result, correlationId) };
        });
      } catch (error) {
        const classified = asConnectorError(error, args.op);
        return records.map(() => ({ ok: false, error: classified }));
      }
    }),
  );
  return results.flat();
}
