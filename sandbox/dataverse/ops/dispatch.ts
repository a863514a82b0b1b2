/**
 * Routes one Web API request (outer, or an operation inside `$batch`) by its resource path, and
 * turns DvError into the `{error:{code,message}}` answer (Dataverse developer guide, "Compose HTTP requests and handle errors").
 */
import { annotationFilter, parsePrefer } from '../odata/prefer.js';
import { parseQueryOptions } from '../odata/query-options.js';
import { parseResourcePath, PathSyntaxError, type Segment } from '../odata/resource-path.js';
import type { TableInfo } from '../schema/tables.js';
import { isLookup } from '../schema/types.js';
import { badRequest, CODES, DvError, notFound, propertyNotFound, segmentNotFound } from '../wire/errors.js';
import { closeOpportunity, isCloseAction } from './actions.js';
import { insertStatusValue } from './option-values.js';
import { json, type DvRequest, type DvResponse, type RequestContext, type Service } from './context.js';
import { checkTrackingAllowed, countChanges, deltaRows, initialTracking } from './delta.js';
import { entityDefinitions } from './metadata.js';
import { countRows, listRows, retrieveRow } from './read.js';
import { resolveKey, resolveReference } from './references.js';
import { createRow, deleteRow, patchRow, updateColumns } from './write.js';

export function errorResponse(error: DvError): DvResponse {
  return json(error.status, error.body(), error.headers);
}

const methodNotAllowed = (method: string, segment: string): DvError =>
  new DvError(405, CODES.invalidArgument, `The HTTP method '${method}' is not allowed on the resource '${segment}'.`);

function collection(ctx: RequestContext, info: TableInfo): DvResponse {
  const table = ctx.service.store.table(info.def.logicalName);
  const { method, query } = ctx.request;
  if (method === 'POST') return createRow(ctx, info);
  if (method !== 'GET') throw methodNotAllowed(method, info.def.entitySetName);
  if (ctx.prefs.trackChanges || query.has('$deltatoken')) checkTrackingAllowed(info, table, query);
  const options = parseQueryOptions(info, query, ctx.service.store);
  if (options.deltaToken !== null) return deltaRows(ctx, info, table, options);
  if (ctx.prefs.trackChanges) return initialTracking(ctx, info, table, options);
  return listRows(ctx, info, table, options);
}

/** `opportunities(id)/name` (single column) and `opportunities(id)/parentaccountid/$ref` (Dataverse developer guide, "Associate and disassociate table rows using the Web API", "Update and delete table rows using the Web API"). */
function property(ctx: RequestContext, info: TableInfo, keyText: string, segments: readonly Segment[]): DvResponse {
  const key = resolveKey(ctx.service.store, info, keyText);
  const [prop, ref] = segments;
  const name = prop?.name ?? '';
  const { method } = ctx.request;
  if (ref?.name === '$ref') {
    const nav = info.byNavigation.get(name);
    if (!nav) throw propertyNotFound(name, info.def.logicalName);
    if (method === 'DELETE') return updateColumns(ctx, key, { values: { [nav.attribute.logicalName]: null }, targets: {} });
    if (method !== 'PUT') throw methodNotAllowed(method, '$ref');
    const body = JSON.parse(ctx.request.body || '{}') as { '@odata.id'?: string };
    const target = resolveReference(ctx.service.store, body['@odata.id'] ?? '', ctx.request.contentIds);
    if (target.info.def.logicalName !== nav.target) throw badRequest(`'${name}' expects a reference to '${nav.target}'.`);
    const targets: Record<string, string> = Object.keys(nav.attribute.navigation ?? {}).length > 1 ? { [nav.attribute.logicalName]: nav.target } : {};
    return updateColumns(ctx, key, { values: { [nav.attribute.logicalName]: target.row.id }, targets });
  }
  const attribute = info.byName.get(name);
  if (!attribute || isLookup(attribute) || segments.length > 1) throw propertyNotFound(name, info.def.logicalName);
  const row = key.id === null ? undefined : key.table.rows.get(key.id);
  if (!row) throw notFound(info.def.logicalName, key.id ?? keyText);
  if (method === 'GET') {
    const value = name === info.def.primaryId ? row.id : name === 'versionnumber' ? row.version : (row.values[name] ?? null);
    return json(200, { '@odata.context': `${ctx.request.apiBase}$metadata#${info.def.entitySetName}(${row.id})/${name}`, value });
  }
  if (!attribute.validForUpdate) throw badRequest(`The '${name}' attribute is not valid for update.`);
  if (method === 'DELETE') return updateColumns(ctx, key, { values: { [name]: null }, targets: {} });
  if (method !== 'PUT') throw methodNotAllowed(method, name);
  const body = JSON.parse(ctx.request.body || '{}') as { value?: unknown };
  const rebuilt = { ...ctx.request, body: JSON.stringify({ [name]: body.value ?? null }), headers: { ...ctx.request.headers, 'if-match': '*' } };
  return patchRow({ ...ctx, request: rebuilt }, key);
}

function entity(ctx: RequestContext, info: TableInfo, keyText: string): DvResponse {
  const key = resolveKey(ctx.service.store, info, keyText);
  const { method } = ctx.request;
  if (method === 'PATCH') return patchRow(ctx, key);
  if (method === 'DELETE') return deleteRow(ctx, key);
  if (method !== 'GET') throw methodNotAllowed(method, info.def.entitySetName);
  const row = key.id === null ? undefined : key.table.rows.get(key.id);
  if (!row) throw key.id ? notFound(info.def.logicalName, key.id) : new DvError(404, CODES.objectDoesNotExist, `${info.def.logicalName} with the specified key values does not exist`);
  return retrieveRow(ctx, info, row);
}

function route(ctx: RequestContext): DvResponse {
  let segments: Segment[];
  try {
    segments = parseResourcePath(ctx.request.resource);
  } catch (error) {
    if (error instanceof PathSyntaxError) throw badRequest(`Bad Request - Error in query syntax: ${error.message}.`, CODES.propertyNotFound);
    throw error;
  }
  const [first, ...rest] = segments;
  if (!first || first.name === '') throw segmentNotFound('');
  if (first.name === 'EntityDefinitions') {
    if (!['GET', 'POST', 'PUT'].includes(ctx.request.method)) throw methodNotAllowed(ctx.request.method, 'EntityDefinitions');
    return entityDefinitions(ctx, segments);
  }
  if (first.name === 'InsertStatusValue' && first.key === undefined && rest.length === 0) {
    if (ctx.request.method !== 'POST') throw methodNotAllowed(ctx.request.method, first.name);
    return insertStatusValue(ctx);
  }
  if (isCloseAction(first.name) && first.key === undefined && rest.length === 0) {
    if (ctx.request.method !== 'POST') throw methodNotAllowed(ctx.request.method, first.name);
    return closeOpportunity(ctx, first.name);
  }
  // Entity set names are case-sensitive ("Query data using the Web API").
  const info = ctx.service.store.schema.tableBySet(first.name);
  if (!info) throw segmentNotFound(first.name);
  const table = ctx.service.store.table(info.def.logicalName);
  if (first.key === undefined && rest.length === 0) return collection(ctx, info);
  if (first.key === undefined && rest.length === 1 && rest[0]?.name === '$count') {
    const token = ctx.request.query.get('$deltatoken');
    return token !== null ? countChanges(ctx, table, token) : countRows(ctx, info, table);
  }
  if (first.key === undefined) throw segmentNotFound(rest[0]?.name ?? '');
  if (rest.length === 0) return entity(ctx, info, first.key);
  return property(ctx, info, first.key, rest);
}

/** Runs one request; every DvError becomes its JSON error answer. */
export function dispatch(service: Service, request: DvRequest): DvResponse {
  const prefs = parsePrefer(request.headers['prefer']);
  const ctx: RequestContext = { service, request, prefs, serialize: { store: service.store, annotate: annotationFilter(prefs.includeAnnotations) } };
  try {
    return route(ctx);
  } catch (error) {
    if (error instanceof DvError) return errorResponse(error);
    if (error instanceof SyntaxError) return errorResponse(badRequest('The request body is not valid JSON.', CODES.propertyNotFound));
    throw error;
  }
}
