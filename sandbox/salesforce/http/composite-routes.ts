import type { EmuRequest, EmuResponse, Router } from '../../shared/http.js';
import { createRecord, deleteRecord, tableOf, updateRecord, upsertRecord, type SaveResult, type WriteContext } from '../model/dml.js';
import { toId18 } from '../model/ids.js';
import { requestError, sfError } from '../model/sf-error.js';
import { projectFullRow } from '../soql/project.js';
import type { SfContext } from './context.js';
import { api, readJson, readJsonObject, sfResponse, type ApiCall } from './respond.js';

type Op = (ctx: WriteContext, record: Record<string, unknown>) => SaveResult;

const ROLLED_BACK = sfError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

/** Salesforce REST API Developer Guide, "sObject Collections": at most `maxBatchSize` (200) records per call; more is refused as a whole. */
function checkSize(ctx: SfContext, n: number): void {
  if (n > ctx.options.maxBatchSize) {
    throw requestError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${ctx.options.maxBatchSize} records into this call`);
  }
}

function envelope(req: EmuRequest): { allOrNone: boolean; records: Array<Record<string, unknown>> } {
  const body = readJsonObject(req);
  const records = body['records'];
  if (!Array.isArray(records) || records.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw requestError(400, 'JSON_PARSER_ERROR', 'records must be an array of sObjects');
  }
  return { allOrNone: body['allOrNone'] === true, records: records as Array<Record<string, unknown>> };
}

function typeOf(record: Record<string, unknown>): string | undefined {
  const attributes = record['attributes'];
  const type = attributes !== null && typeof attributes === 'object' ? (attributes as Record<string, unknown>)['type'] : undefined;
  return typeof type === 'string' ? type : undefined;
}

function wire(result: SaveResult, withCreated: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: result.id,
    success: result.success,
    errors: result.errors.map((e) => ({ statusCode: e.statusCode, message: e.message, fields: e.fields })),
  };
  if (withCreated && result.success) out['created'] = result.created === true;
  return out;
}

/**
 * Applies one operation per row inside one transaction ("sObject Collections"): with `allOrNone` a failure
 * anywhere rolls everything back, the failing rows keep their errors and the others report
 * ALL_OR_NONE_OPERATION_ROLLED_BACK. The answer is always 200 with results in request order.
 */
function applyAll(ctx: SfContext, call: ApiCall, { allOrNone, records, op, withCreated }: { allOrNone: boolean; records: Array<Record<string, unknown>>; op: Op; withCreated: boolean }): EmuResponse {
  checkSize(ctx, records.length);
  const write: WriteContext = { org: ctx.org, userId: call.userId };
  let results: SaveResult[] = [];
  ctx.org.transaction(() => {
    results = records.map((r) => op(write, r));
    return !(allOrNone && results.some((r) => !r.success));
  });
  if (allOrNone && results.some((r) => !r.success)) {
    // A rolled-back create has no id any more; a rolled-back update or delete keeps its own.
    results = results.map((r, i) => (r.success ? { id: typeof records[i]?.['id'] === 'string' ? r.id : null, success: false, errors: [ROLLED_BACK] } : r));
  }
  return sfResponse(ctx, 200, results.map((r) => wire(r, withCreated)));
}

function withType(ctx: SfContext, record: Record<string, unknown>, write: (type: string) => SaveResult): SaveResult {
  const type = typeOf(record);
  if (type === undefined || !ctx.org.table(type)) {
    return { id: null, success: false, errors: [sfError('INVALID_TYPE', `sObject type '${type ?? ''}' is not supported.`)] };
  }
  return write(type);
}

/** sObject Collections: create, update, upsert by external id, delete, retrieve. */
export function addCompositeRoutes(router: Router, ctx: SfContext): void {
  const base = '/services/data/:version/composite/sobjects';
  router.add('POST', base, api(ctx, (req, call) => {
    const { allOrNone, records } = envelope(req);
    return applyAll(ctx, call, {
      allOrNone, records, withCreated: false,
      op: (w, r) => withType(ctx, r, (type) => createRecord(w, tableOf(ctx.org, type), r)),
    });
  }), 'POST composite/sobjects');
  router.add('PATCH', base, api(ctx, (req, call) => {
    const { allOrNone, records } = envelope(req);
    return applyAll(ctx, call, {
      allOrNone, records, withCreated: false,
      op: (w, r) => withType(ctx, r, (type) => {
        const id = r['id'] ?? r['Id'];
        if (typeof id !== 'string') return { id: null, success: false, errors: [sfError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id'])] };
        return updateRecord(w, tableOf(ctx.org, type), id, r);
      }),
    });
  }), 'PATCH composite/sobjects');
  router.add('PATCH', `${base}/:type/:field`, api(ctx, (req, call) => {
    const table = tableOf(ctx.org, req.params['type'] ?? '');
    const field = table.schema.field(req.params['field'] ?? '');
    // "sObject Collections": collections upsert takes external ids only, not record ids.
    if (!field || !field.externalId) {
      throw requestError(400, 'INVALID_FIELD', `Field name provided, ${req.params['field'] ?? ''} is not an External ID or indexed field for ${table.schema.def.name}`);
    }
    const { allOrNone, records } = envelope(req);
    return applyAll(ctx, call, {
      allOrNone, records, withCreated: true,
      op: (w, r) => {
        const value = r[field.name];
        if (typeof value !== 'string' && typeof value !== 'number') {
          return { id: null, success: false, errors: [sfError('MISSING_ARGUMENT', `${field.name} not specified`, [field.name])] };
        }
        const result = upsertRecord(w, table, { field: field.name, value: String(value), body: r });
        return result.matches ? { id: null, success: false, errors: result.errors } : result;
      },
    });
  }), 'PATCH composite/sobjects upsert');
  router.add('DELETE', base, api(ctx, (req, call) => {
    const ids = (req.query.get('ids') ?? '').split(',').filter((s) => s !== '');
    const records = ids.map((id) => ({ id }));
    return applyAll(ctx, call, {
      allOrNone: req.query.get('allOrNone') === 'true', records, withCreated: false,
      op: (w, r) => {
        const id = String(r.id);
        const table = ctx.org.tableOfId(id);
        if (!table || toId18(id) === undefined) return { id, success: false, errors: [sfError('MALFORMED_ID', `malformed id ${id}`, [])] };
        return deleteRecord(w, table, id);
      },
    });
  }), 'DELETE composite/sobjects');
  const retrieve = (req: EmuRequest, call: ApiCall, ids: string[], fieldNames: string[]): EmuResponse => {
    checkSize(ctx, ids.length);
    const table = tableOf(ctx.org, req.params['type'] ?? '');
    const fields = fieldNames.map((name) => {
      const f = table.schema.field(name);
      if (!f) throw requestError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${table.schema.def.name}'`);
      return f;
    });
    return sfResponse(ctx, 200, ids.map((raw) => {
      const id = toId18(raw);
      const row = id === undefined ? undefined : table.get(id);
      return row && row['IsDeleted'] !== true ? projectFullRow({ row, fields, type: table.schema.def.name, version: call.version }) : null;
    }));
  };
  router.add('POST', `${base}/:type`, api(ctx, (req, call) => {
    const body = readJson(req) as { ids?: unknown; fields?: unknown };
    const ids = Array.isArray(body.ids) ? body.ids.map(String) : [];
    const fields = Array.isArray(body.fields) ? body.fields.map(String) : [];
    return retrieve(req, call, ids, fields);
  }), 'POST composite/sobjects retrieve');
  router.add('GET', `${base}/:type`, api(ctx, (req, call) => {
    const list = (name: string): string[] => (req.query.get(name) ?? '').split(',').filter((s) => s !== '');
    return retrieve(req, call, list('ids'), list('fields'));
  }), 'GET composite/sobjects retrieve');
}
