/**
 * A collection write and the read of the new versions in one `/composite` request (Salesforce REST API Developer Guide,
 * "Composite": a composite counts as one API call; at most 5 of its subrequests may be queries or
 * collections). `collateSubrequests: false` keeps them in order, so the query sees the write.
 * This halves the calls of creates and saves one of three per update batch. An org without `/composite` (the sandbox emulator) answers 404 once; from then on
 * the write and the read go as two calls.
 */
import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../errors.js';
import type { SalesforceClient } from './client.js';
import { asConnectorError, classifySaveError, kindOfVendorCode } from './classify-error.js';
import { collectionWrite, type CollectionRecord, type RowOutcome } from './collections.js';
import { toIsoStamp } from './record-parse.js';
import { queryUrl } from './soql.js';
import { parseQueryPage, parseSaveResults, WireFormatError } from './wire/rest.js';

/** Whether the org serves `/composite`; learned on first use, per connector. */
export class CompositeSupport {
  available: boolean | null = null;
  /** The first composite call in flight: parallel batches wait for it rather than all probing. */
  probe: Promise<unknown> | null = null;
}

interface SubResponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

function parseComposite(body: unknown): SubResponse[] {
  const list = typeof body === 'object' && body !== null ? (body as { compositeResponse?: unknown }).compositeResponse : undefined;
  if (!Array.isArray(list)) throw new WireFormatError('composite: no compositeResponse');
  return list.map((sub: unknown, i) => {
    const s = sub as Partial<SubResponse> | null;
    if (!s || typeof s.httpStatusCode !== 'number' || typeof s.referenceId !== 'string') throw new WireFormatError(`composite: subresponse ${i} malformed`);
    return { body: s.body, httpStatusCode: s.httpStatusCode, referenceId: s.referenceId };
  });
}

function subrequestError(sub: SubResponse, correlationId: string): ConnectorError {
  const first: unknown = Array.isArray(sub.body) ? sub.body[0] : null;
  const code = typeof first === 'object' && first !== null && typeof (first as { errorCode?: unknown }).errorCode === 'string' ? (first as { errorCode: string }).errorCode : undefined;
  const message = typeof first === 'object' && first !== null && typeof (first as { message?: unknown }).message === 'string' ? (first as { message: string }).message : 'subrequest failed';
  return new ConnectorError({
    kind: kindOfVendorCode(code, sub.httpStatusCode),
    system: 'salesforce',
    status: sub.httpStatusCode,
    correlationId,
    message,
    ...(code ? { vendorCode: code } : {}),
  });
}

/**
 * Writes at most 200 records (upsert or update) and reads `Id, LastModifiedDate` with
 * `versionSoql` afterwards. `versions` is null when they could not be read with the write
 * (no `/composite`, or the query subrequest failed): the caller then reads them itself.
 */
export async function writeThenReadVersions(args: {
  client: SalesforceClient;
  apiVersion: string;
  support: CompositeSupport;
  op: string;
  url: string;
  records: readonly CollectionRecord[];
  versionSoql: string;
}): Promise<{ results: RowOutcome[]; versions: Map<string, string> | null }> {
  const { client, support, records } = args;
  const plain = async () => ({
    results: await collectionWrite({ client, op: args.op, method: 'PATCH', url: args.url, records, nonIdempotent: false }),
    versions: null,
  });
  if (support.available === null && support.probe) await support.probe.catch(() => undefined);
  if (support.available === false) return plain();
  const base = `/services/data/v${args.apiVersion}`;
  const correlationId = randomUUID();
  let subs: SubResponse[];
  try {
    const call = client.call<unknown>({
      op: `${args.op}.composite`,
      method: 'POST',
      url: '/composite',
      isWrite: true,
      correlationId,
      body: {
        allOrNone: false,
        collateSubrequests: false,
        compositeRequest: [
          { method: 'PATCH', url: `${base}${args.url}`, referenceId: 'write', body: { allOrNone: false, records } },
          { method: 'GET', url: `${base}${queryUrl(args.versionSoql)}`, referenceId: 'versions' },
        ],
      },
    });
    if (support.available === null) support.probe ??= call;
    subs = parseComposite(await call);
    support.available = true;
  } catch (error) {
    if (support.available === null && error instanceof ConnectorError && error.status === 404) {
      support.available = false;
      return plain();
    }
    const failed = asConnectorError(error, args.op);
    return { results: records.map(() => ({ ok: false, error: failed })), versions: null };
  }
  const write = subs.find((s) => s.referenceId === 'write');
  const read = subs.find((s) => s.referenceId === 'versions');
  let results: RowOutcome[];
  if (!write || write.httpStatusCode >= 300) {
    const error = write ? subrequestError(write, correlationId) : asConnectorError(new WireFormatError('composite: no write result'), args.op);
    results = records.map(() => ({ ok: false, error }));
  } else {
    results = parseSaveResults(write.body, records.length, args.op).map((r): RowOutcome =>
      r.success && r.id !== null ? { ok: true, id: r.id, created: r.created ?? false } : { ok: false, error: classifySaveError(r, correlationId) },
    );
  }
  let versions: Map<string, string> | null = null;
  if (read && read.httpStatusCode === 200) {
    versions = new Map();
    for (const row of parseQueryPage(read.body, 'composite versions').records) {
      if (typeof row['Id'] === 'string') versions.set(row['Id'], toIsoStamp(row['LastModifiedDate'], `LastModifiedDate of ${row['Id']}`));
    }
  }
  return { results, versions };
}
