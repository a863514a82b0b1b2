/**
 * updateRecords without lost updates. Chosen guard: re-read the versions of the whole batch in
 * one query, hold (outcome `conflict`) every record whose LastModifiedDate moved since the
 * engine read it, and write the rest in one collection call per 200 (bundled in `/composite`
 * with the read of the new versions: 2 calls per 200 records). `If-Unmodified-Since` would cost
 * one PATCH per record (200x the calls) and has one-second precision (Salesforce REST API Developer Guide, "Conditional Requests"). The
 * remaining window is the time between that query and the PATCH (milliseconds); an edit landing
 * inside it, or in the same second as the engine's read, is the case this guard cannot see.
 */
import type { CrmObjectKind } from '../../src/domain/crm-record.js';
import { ConnectorError } from '../errors.js';
import type { CrmUpdate, WriteOutcome } from '../types.js';
import type { SalesforceClient } from './client.js';
import { asConnectorError } from './classify-error.js';
import { chunk, type CollectionRecord } from './collections.js';
import { writeThenReadVersions, type CompositeSupport } from './composite.js';
import { soqlList } from './soql.js';
import { salesforceDescriptor } from './descriptor.js';
import { readVersions } from './versions.js';

const sameInstant = (a: string, b: string): boolean => Date.parse(a) === Date.parse(b);

/** Only the record's own fields can be written through it; parent and child paths cannot. */
function unwritablePath(fields: Record<string, unknown>): string | null {
  return Object.keys(fields).find((path) => path.includes('.') || salesforceDescriptor.childRelationships.some((rel) => rel === path)) ?? null;
}

export async function updateRecords(args: {
  client: SalesforceClient;
  objectOf: (kind: CrmObjectKind) => string;
  writes: readonly CrmUpdate[];
  apiVersion: string;
  composite: CompositeSupport;
}): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = new Array<WriteOutcome>(args.writes.length);
  const indexed = args.writes.map((write, index) => ({ write, index, object: args.objectOf(write.kind) }));
  const batches = [...new Set(indexed.map((w) => w.object))].flatMap((object) =>
    chunk(indexed.filter((w) => w.object === object), salesforceDescriptor.collectionMaxRecords).map((batch) => ({ object, batch })),
  );
  // Batches in parallel: the client's RateLimiter bounds the concurrency.
  await Promise.all(batches.map(({ object, batch }) => updateBatch({ client: args.client, object, batch, outcomes, apiVersion: args.apiVersion, composite: args.composite })));
  return outcomes;
}

async function updateBatch(args: {
  client: SalesforceClient;
  apiVersion: string;
  composite: CompositeSupport;
  object: string;
  batch: { write: CrmUpdate; index: number }[];
  outcomes: WriteOutcome[];
}): Promise<void> {
  const { client, object, batch, outcomes } = args;
  const fail = (index: number, error: ConnectorError): void => {
    outcomes[index] = { ok: false, error };
  };
  let current: Map<string, string>;
  try {
    current = await readVersions({ client, object, ids: batch.map((b) => b.write.id), op: 'update.readVersions' });
  } catch (error) {
    for (const b of batch) fail(b.index, asConnectorError(error, 'reading versions'));
    return;
  }
  const toWrite: { write: CrmUpdate; index: number }[] = [];
  for (const b of batch) {
    const version = current.get(b.write.id);
    const badPath = unwritablePath(b.write.fields);
    if (version === undefined) {
      fail(b.index, new ConnectorError({ kind: 'notFound', system: 'salesforce', vendorCode: 'NOT_FOUND', message: `${object} ${b.write.id} not found` }));
    } else if (!sameInstant(version, b.write.version)) {
      fail(b.index, new ConnectorError({
        kind: 'conflict',
        system: 'salesforce',
        vendorCode: 'VERSION_MOVED',
        message: `${object} ${b.write.id} changed since it was read (${b.write.version} -> ${version}); held`,
      }));
    } else if (badPath !== null) {
      fail(b.index, new ConnectorError({ kind: 'invalid', system: 'salesforce', message: `${badPath} cannot be written through ${object}` }));
    } else {
      toWrite.push(b);
    }
  }
  if (toWrite.length === 0) return;
  const records: CollectionRecord[] = toWrite.map(({ write }) => ({ attributes: { type: object }, id: write.id, ...write.fields }));
  const { results, versions } = await writeThenReadVersions({
    client,
    apiVersion: args.apiVersion,
    support: args.composite,
    op: 'update.collection',
    url: '/composite/sobjects',
    records,
    versionSoql: `SELECT Id, LastModifiedDate FROM ${object} WHERE Id IN ${soqlList(toWrite.map((w) => w.write.id))}`,
  });
  const written = toWrite.filter((_, i) => results[i]?.ok === true);
  let after = versions ?? new Map<string, string>();
  if (versions === null && written.length > 0) {
    try {
      after = await readVersions({ client, object, ids: written.map((w) => w.write.id), op: 'update.readVersions' });
    } catch (error) {
      // Written, but the new version is unknown: report the failure so the engine re-reads it.
      for (const w of written) fail(w.index, asConnectorError(error, 'reading versions'));
      return;
    }
  }
  toWrite.forEach((w, i) => {
    const result = results[i];
    if (!result) return;
    if (!result.ok) return fail(w.index, result.error);
    const version = after.get(w.write.id);
    outcomes[w.index] = version
      ? { ok: true, id: w.write.id, version, created: false }
      : { ok: false, error: new ConnectorError({ kind: 'notFound', system: 'salesforce', message: `${object} ${w.write.id} vanished after the update` }) };
  });
}
