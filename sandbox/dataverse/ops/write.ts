/**
 * Create, update, upsert and delete (Dataverse developer guide: "Create a table row using the Web API", "Update
 * and delete table rows using the Web API", "Perform conditional operations using the Web API"): 204 with
 * `OData-EntityId`, or the record with `return=representation`; `If-Match` etag checks (412
 * 0x80060882); `If-Match: *` never creates; `If-None-Match: *` never updates.
 */
import { randomUUID } from 'node:crypto';
import { etagOf, type Row } from '../model/row.js';
import { parseQueryOptions } from '../odata/query-options.js';
import type { TableInfo } from '../schema/tables.js';
import { badRequest, CODES, DvError, notFound } from '../wire/errors.js';
import { serializeRow } from '../wire/serialize.js';
import { json, noContent, type DvResponse, type RequestContext } from './context.js';
import { collectionContext } from './read.js';
import { entityUrl, type ResolvedKey } from './references.js';
import { nextRow } from './rows.js';
import { applyStateRules } from './state-rules.js';
import { applyBody, type Changes } from './write-values.js';

function parseBody(ctx: RequestContext): unknown {
  try {
    return JSON.parse(ctx.request.body || '{}');
  } catch {
    throw badRequest('The request body is not valid JSON.', CODES.propertyNotFound);
  }
}

function changesFor(ctx: RequestContext, info: TableInfo, mode: 'create' | 'update'): Changes {
  return applyBody({
    store: ctx.service.store,
    info,
    body: parseBody(ctx),
    mode,
    bindNullClears: ctx.service.options.bindNullClearsLookup,
    contentIds: ctx.request.contentIds,
  });
}

function representation(ctx: RequestContext, info: TableInfo, row: Row, status: number): DvResponse {
  const options = parseQueryOptions(info, ctx.request.query, ctx.service.store);
  const body = { '@odata.context': collectionContext(ctx, info, options, '/$entity'), ...serializeRow(info, row, options.select, options.expand, ctx.serialize) };
  return json(status, body, { 'Preference-Applied': 'return=representation', ETag: etagOf(row) });
}

function written(ctx: RequestContext, info: TableInfo, row: Row, status: number): DvResponse {
  const url = entityUrl(ctx.request.apiBase, info, row.id);
  const response = ctx.prefs.returnRepresentation ? representation(ctx, info, row, status) : noContent({ 'OData-EntityId': url });
  return { ...response, entityUrl: url };
}

function insert(ctx: RequestContext, info: TableInfo, id: string, changes: Changes): Row {
  const table = ctx.service.store.table(info.def.logicalName);
  applyStateRules({ info, existing: undefined, id, changes, reopenClearsActuals: false });
  const row = nextRow({ service: ctx.service, info, id, existing: undefined, changes });
  ctx.service.store.put(table, row);
  return row;
}

/** POST to a collection: 204 + OData-EntityId, or 201 + body ("Create a table row using the Web API"). */
export function createRow(ctx: RequestContext, info: TableInfo): DvResponse {
  // A bad $select fails before anything is written.
  parseQueryOptions(info, ctx.request.query, ctx.service.store);
  const changes = changesFor(ctx, info, 'create');
  const given = changes.values[info.def.primaryId];
  const id = typeof given === 'string' ? given : randomUUID();
  if (ctx.service.store.table(info.def.logicalName).rows.has(id)) {
    throw new DvError(412, CODES.duplicateRecord, 'Cannot insert duplicate key.');
  }
  return written(ctx, info, insert(ctx, info, id, changes), 201);
}

function checkIfMatch(ctx: RequestContext, row: Row): void {
  const ifMatch = ctx.request.headers['if-match'];
  if (!ifMatch || ifMatch === '*') return;
  // Clients echo the weak etag; a strong form of the same version is accepted too.
  if (ifMatch.replace(/^W\//, '') !== etagOf(row).replace(/^W\//, '')) {
    throw new DvError(412, CODES.concurrencyVersionMismatch, "The version of the existing record doesn't match the RowVersion property provided.");
  }
}

/** PATCH to a key URL: update, or create (upsert) unless `If-Match` forbids it ("Update and delete table rows using the Web API"). */
export function patchRow(ctx: RequestContext, key: ResolvedKey): DvResponse {
  const { info, table } = key;
  parseQueryOptions(info, ctx.request.query, ctx.service.store);
  const existing = key.id === null ? undefined : table.rows.get(key.id);
  const ifMatch = ctx.request.headers['if-match'];
  const ifNoneMatch = ctx.request.headers['if-none-match'];
  if (!existing) {
    if (ifMatch) throw key.id ? notFound(info.def.logicalName, key.id) : new DvError(404, CODES.objectDoesNotExist, `${info.def.logicalName} with the specified key values does not exist`);
    const changes = changesFor(ctx, info, 'create');
    for (const [name, value] of Object.entries(key.keyValues ?? {})) changes.values[name] = value;
    const row = insert(ctx, info, key.id ?? randomUUID(), changes);
    // Two readings of Microsoft's documentation; `upsertRepresentationStatus` chooses 201 for a created row by default.
    return written(ctx, info, row, ctx.service.options.upsertRepresentationStatus === 'always-200' ? 200 : 201);
  }
  if (ifNoneMatch === '*') throw new DvError(412, CODES.duplicateRecord, 'A record with matching key values already exists.');
  checkIfMatch(ctx, existing);
  const changes = changesFor(ctx, info, 'update');
  applyStateRules({ info, existing, id: existing.id, changes, reopenClearsActuals: ctx.service.options.reopenClearsActuals });
  const row = nextRow({ service: ctx.service, info, id: existing.id, existing, changes });
  ctx.service.store.put(table, row);
  return written(ctx, info, row, 200);
}

/** DELETE of a record: 204, 404 when missing, 412 on an etag mismatch ("Update and delete table rows using the Web API"). */
export function deleteRow(ctx: RequestContext, key: ResolvedKey): DvResponse {
  const existing = key.id === null ? undefined : key.table.rows.get(key.id);
  if (!existing) throw key.id ? notFound(key.info.def.logicalName, key.id) : new DvError(404, CODES.objectDoesNotExist, `${key.info.def.logicalName} with the specified key values does not exist`);
  checkIfMatch(ctx, existing);
  ctx.service.store.remove(key.table, existing.id);
  return noContent();
}

/** Applies already-validated changes to an existing row: single-property PUT/DELETE and `$ref` ("Associate and disassociate table rows using the Web API", "Update and delete table rows using the Web API"). */
export function updateColumns(ctx: RequestContext, key: ResolvedKey, changes: Changes): DvResponse {
  const existing = key.id === null ? undefined : key.table.rows.get(key.id);
  if (!existing) throw notFound(key.info.def.logicalName, key.id ?? '');
  applyStateRules({ info: key.info, existing, id: existing.id, changes, reopenClearsActuals: ctx.service.options.reopenClearsActuals });
  ctx.service.store.put(key.table, nextRow({ service: ctx.service, info: key.info, id: existing.id, existing, changes }));
  return noContent();
}
