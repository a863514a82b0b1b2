import type { EmuRequest, EmuResponse, Router } from '../../shared/http.js';
import { createRecord, deleteRecord, findLive, isSaveResult, tableOf, updateRecord, upsertRecord, type SaveResult } from '../model/dml.js';
import { requestError, toRestErrors } from '../model/sf-error.js';
import type { Row, Table } from '../model/table.js';
import { projectFullRow } from '../soql/project.js';
import { checkWritePreconditions, etagOf, readNotModified } from './conditional.js';
import type { SfContext } from './context.js';
import { api, readJsonObject, sfResponse, type ApiCall } from './respond.js';

/** A failed single-row write as the REST error array (Salesforce REST API Developer Guide, "Status Codes and Error Responses") with its status ("sObject Rows"). */
function failure(ctx: SfContext, result: SaveResult): EmuResponse {
  const code = result.errors[0]?.statusCode;
  const status = code === 'NOT_FOUND' ? 404 : code === 'ENTITY_IS_DELETED' ? ctx.options.entityIsDeletedStatus : 400;
  return sfResponse(ctx, status, toRestErrors(result.errors));
}

function liveRow(ctx: SfContext, table: Table, id: string): Row {
  const found = findLive(table, id);
  if (isSaveResult(found)) {
    const result = found;
    const code = result.errors[0]?.statusCode ?? 'NOT_FOUND';
    const status = code === 'ENTITY_IS_DELETED' ? ctx.options.entityIsDeletedStatus : 404;
    throw requestError(status, code === 'MALFORMED_ID' ? 'NOT_FOUND' : code, code === 'MALFORMED_ID' ? 'The requested resource does not exist' : (result.errors[0]?.message ?? ''));
  }
  return found;
}

function getRow(ctx: SfContext, req: EmuRequest, call: ApiCall, table: Table, row: Row): EmuResponse {
  const isAccount = table.schema.def.name === 'Account';
  if (readNotModified(req, row, isAccount)) return sfResponse(ctx, 304);
  const wanted = req.query.get('fields');
  const fields =
    wanted === null
      ? table.schema.def.fields
      : wanted.split(',').map((name) => {
          const f = table.schema.field(name.trim());
          if (!f) throw requestError(400, 'INVALID_FIELD', `No such column '${name.trim()}' on entity '${table.schema.def.name}'`);
          return f;
        });
  const body = projectFullRow({ row, fields, type: table.schema.def.name, version: call.version });
  return sfResponse(ctx, 200, body, isAccount ? { ETag: etagOf(row) } : {});
}

/** sObject rows ("sObject Rows"), upsert by external id ("Insert or Update (Upsert) a Record Using an External ID"), conditional writes ("Conditional Requests"). */
export function addSObjectRoutes(router: Router, ctx: SfContext): void {
  const base = '/services/data/:version/sobjects/:type';
  router.add(
    'POST',
    base,
    api(ctx, (req, call) => {
      const table = tableOf(ctx.org, req.params['type'] ?? '');
      const result = createRecord({ org: ctx.org, userId: call.userId }, table, readJsonObject(req));
      if (!result.success) return failure(ctx, result);
      return sfResponse(ctx, 201, { id: result.id, success: true, errors: [] });
    }),
    'POST sobject',
  );
  router.add(
    'GET',
    `${base}/:id`,
    api(ctx, (req, call) => {
      const table = tableOf(ctx.org, req.params['type'] ?? '');
      return getRow(ctx, req, call, table, liveRow(ctx, table, req.params['id'] ?? ''));
    }),
    'GET sobject row',
  );
  router.add(
    'PATCH',
    `${base}/:id`,
    api(ctx, (req, call) => {
      const table = tableOf(ctx.org, req.params['type'] ?? '');
      const row = liveRow(ctx, table, req.params['id'] ?? '');
      checkWritePreconditions(req, row, table.schema.def.name === 'Account');
      const result = updateRecord({ org: ctx.org, userId: call.userId }, table, String(row['Id']), readJsonObject(req));
      return result.success ? sfResponse(ctx, 204) : failure(ctx, result);
    }),
    'PATCH sobject row',
  );
  router.add(
    'DELETE',
    `${base}/:id`,
    api(ctx, (req, call) => {
      const table = tableOf(ctx.org, req.params['type'] ?? '');
      const row = liveRow(ctx, table, req.params['id'] ?? '');
      const result = deleteRecord({ org: ctx.org, userId: call.userId }, table, String(row['Id']));
      return result.success ? sfResponse(ctx, 204) : failure(ctx, result);
    }),
    'DELETE sobject row',
  );
  router.add(
    'GET',
    `${base}/:field/:value`,
    api(ctx, (req, call) => {
      const table = tableOf(ctx.org, req.params['type'] ?? '');
      const def = table.schema.field(req.params['field'] ?? '');
      if (!def || !def.externalId) {
        throw requestError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${req.params['field'] ?? ''}`);
      }
      const ids = table.idsByUnique(def.name, req.params['value'] ?? '').filter((id) => table.get(id)?.['IsDeleted'] !== true);
      if (ids.length > 1) return multipleChoices(ctx, call, table, ids);
      const row = ids[0] === undefined ? undefined : table.get(ids[0]);
      if (!row) throw requestError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return getRow(ctx, req, call, table, row);
    }),
    'GET sobject by external id',
  );
  router.add(
    'PATCH',
    `${base}/:field/:value`,
    api(ctx, (req, call) => {
      const table = tableOf(ctx.org, req.params['type'] ?? '');
      const result = upsertRecord({ org: ctx.org, userId: call.userId }, table, {
        field: req.params['field'] ?? '',
        value: req.params['value'] ?? '',
        body: readJsonObject(req),
      });
      if (result.matches) return multipleChoices(ctx, call, table, result.matches);
      if (!result.success) return failure(ctx, result);
      if (result.created) return sfResponse(ctx, 201, { id: result.id, success: true, errors: [], created: true });
      // "Insert or Update (Upsert) a Record Using an External ID": 200 with a body from v46 (the cut-over version is not documented, see options), 204 before.
      if (call.versionNumber < ctx.options.upsertBodyFromVersion) return sfResponse(ctx, 204);
      return sfResponse(ctx, 200, { id: result.id, success: true, errors: [], created: false });
    }),
    'PATCH sobject upsert',
  );
}

/** "Insert or Update (Upsert) a Record Using an External ID": more than one match is 300 with the URLs of the matching rows. */
function multipleChoices(ctx: SfContext, call: ApiCall, table: Table, ids: readonly string[]): EmuResponse {
  return sfResponse(
    ctx,
    300,
    ids.map((id) => `/services/data/v${call.version}/sobjects/${table.schema.def.name}/${id}`),
  );
}
