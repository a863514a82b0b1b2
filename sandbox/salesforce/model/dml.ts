import type { ObjectSchema } from '../schema/catalog.js';
import { coerceValue } from './coerce.js';
import { deriveFields } from './derive.js';
import { toId18 } from './ids.js';
import type { SalesforceOrg } from './org.js';
import { requestError, sfError, type SfError } from './sf-error.js';
import type { Row, Table } from './table.js';
import { validateRecord, type WriteMode } from './validate.js';

/** Outcome of one row write, the SaveResult / UpsertResult (Salesforce REST API Developer
 * Guide, "sObject Rows", "sObject Collections"). */
export interface SaveResult {
  id: string | null;
  success: boolean;
  errors: SfError[];
  created?: boolean;
  /** Upsert only: the ids an external id matched when it matched more than one ("Insert or Update (Upsert) a Record Using an External ID": 300). */
  matches?: string[];
}

/** Who writes, and how: `stamp` forces a SystemModstamp (control API, watermark tests). */
export interface WriteContext {
  org: SalesforceOrg;
  userId: string;
  stamp?: number;
  /** A system write (docs/change-watermarks.md): only SystemModstamp moves, LastModifiedDate stays. */
  system?: boolean;
  /** Control API only: let a unique external id be duplicated, to set up the 300 case ("Insert or Update (Upsert) a Record Using an External ID"). */
  allowDuplicates?: boolean;
}

const fail = (statusCode: string, message: string, fields: string[] = []): SaveResult => ({
  id: null,
  success: false,
  errors: [sfError(statusCode, message, fields)],
});

/** The table of a type, or a request-level INVALID_TYPE / NOT_FOUND ("Status Codes and Error Responses"). */
export function tableOf(org: SalesforceOrg, type: string): Table {
  const table = org.table(type);
  if (!table) throw requestError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return table;
}

/**
 * Reads a JSON body into typed field values. Unknown fields and values of the wrong JSON type
 * fail the whole request (INVALID_FIELD, JSON_PARSER_ERROR, "Status Codes and Error Responses"); `attributes` is envelope.
 */
export function readBody(schema: ObjectSchema, body: Record<string, unknown>, skip: readonly string[] = []): Row {
  const changes: Row = {};
  for (const [key, raw] of Object.entries(body)) {
    if (key === 'attributes' || skip.some((s) => s.toLowerCase() === key.toLowerCase())) continue;
    const def = schema.field(key);
    if (!def) {
      throw requestError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${schema.def.name}`, [key]);
    }
    changes[def.name] = coerceValue(def, raw);
  }
  return changes;
}

function finishWrite(ctx: WriteContext, table: Table, mode: WriteMode, changes: Row, existing?: Row): SaveResult {
  const { org } = ctx;
  const validation = validateRecord({ org, table, changes, mode, ...(existing ? { existing } : {}), checkUnique: ctx.allowDuplicates !== true });
  if (validation.length > 0) return { id: existing ? String(existing['Id']) : null, success: false, errors: validation };
  const row: Row = Object.assign(table.blank(), existing, changes);
  const stamp = ctx.stamp ?? org.nextStamp(existing ? (existing['SystemModstamp'] as number) : undefined);
  if (!existing) {
    row['Id'] = org.newId(table.schema.def.keyPrefix);
    row['CreatedDate'] = stamp;
    row['CreatedById'] = ctx.userId;
    if (table.schema.field('OwnerId') && row['OwnerId'] === null) row['OwnerId'] = ctx.userId;
  }
  row['SystemModstamp'] = stamp;
  if (!ctx.system) {
    row['LastModifiedDate'] = stamp;
    row['LastModifiedById'] = ctx.userId;
  }
  const derived = deriveFields({ org, type: table.schema.def.name, row, changes });
  if (derived.length > 0) return { id: existing ? String(existing['Id']) : null, success: false, errors: derived };
  org.write(table, row);
  afterWrite(ctx, table, row);
  return { id: String(row['Id']), success: true, errors: [] };
}

/** Side effects on other rows: one primary contact role per opportunity (Object Reference, "OpportunityContactRole"). */
function afterWrite(ctx: WriteContext, table: Table, row: Row): void {
  if (table.schema.def.name !== 'OpportunityContactRole' || row['IsPrimary'] !== true) return;
  for (const otherId of table.childIds('OpportunityId', String(row['OpportunityId']))) {
    const other = table.get(otherId);
    if (otherId === row['Id'] || !other || other['IsPrimary'] !== true) continue;
    const stamp = ctx.org.nextStamp(other['SystemModstamp'] as number);
    ctx.org.write(table, { ...other, IsPrimary: false, SystemModstamp: stamp, LastModifiedDate: stamp, LastModifiedById: ctx.userId });
  }
}

export function createRecord(ctx: WriteContext, table: Table, body: Record<string, unknown>): SaveResult {
  if (!table.schema.def.createable) return fail('INVALID_TYPE', `entity type cannot be inserted: ${table.schema.def.name}`);
  if (Object.keys(body).some((k) => k.toLowerCase() === 'id')) {
    return fail('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
  }
  return finishWrite(ctx, table, 'create', readBody(table.schema, body));
}

/** The live row of an id, or the per-record error (NOT_FOUND, ENTITY_IS_DELETED). */
export function findLive(table: Table, rawId: string): Row | SaveResult {
  const id = toId18(rawId);
  if (id === undefined) return fail('MALFORMED_ID', `${table.schema.def.name} ID: id value of incorrect type: ${rawId}`, ['Id']);
  const row = table.get(id);
  if (!row) return fail('NOT_FOUND', 'The requested resource does not exist');
  if (row['IsDeleted'] === true) return { id, success: false, errors: [sfError('ENTITY_IS_DELETED', 'entity is deleted')] };
  return row;
}

/** Whether `findLive` answered with an error rather than a row. */
export function isSaveResult(x: Row | SaveResult): x is SaveResult {
  return typeof (x as SaveResult).success === 'boolean' && Array.isArray((x as SaveResult).errors);
}

export function updateRecord(ctx: WriteContext, table: Table, rawId: string, body: Record<string, unknown>): SaveResult {
  const existing = findLive(table, rawId);
  if (isSaveResult(existing)) return existing;
  if (!table.schema.def.updateable) return fail('INVALID_TYPE', `entity type cannot be updated: ${table.schema.def.name}`);
  return finishWrite(ctx, table, 'update', readBody(table.schema, body, ['Id']), existing);
}

/**
 * Upsert by external id ("Insert or Update (Upsert) a Record Using an External ID"): no match creates, one match updates, several matches report
 * them. Rows in the Recycle Bin do not match.
 */
export function upsertRecord(
  ctx: WriteContext,
  table: Table,
  { field, value, body }: { field: string; value: string; body: Record<string, unknown> },
): SaveResult {
  const def = table.schema.field(field);
  if (!def || (!def.externalId && def.name !== 'Id')) {
    throw requestError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${field}`);
  }
  const matches =
    def.name === 'Id'
      ? [toId18(value)].filter((id): id is string => id !== undefined && table.get(id) !== undefined)
      : table.idsByUnique(def.name, value).filter((id) => table.get(id)?.['IsDeleted'] !== true);
  if (matches.length > 1) {
    return { ...fail('DUPLICATE_EXTERNAL_ID', `${def.name}: more than one record found for external id field: [${matches.join(', ')}]`), matches };
  }
  const changes = readBody(table.schema, body, [def.name, 'Id']);
  const existingId = matches[0];
  if (existingId === undefined) {
    if (!table.schema.def.createable) return fail('INVALID_TYPE', `entity type cannot be inserted: ${table.schema.def.name}`);
    if (def.name !== 'Id') changes[def.name] = coerceValue(def, value);
    return { ...finishWrite(ctx, table, 'create', changes), created: true };
  }
  const existing = findLive(table, existingId);
  if (isSaveResult(existing)) return existing;
  return { ...finishWrite(ctx, table, 'update', changes, existing), created: false };
}

export function deleteRecord(ctx: WriteContext, table: Table, rawId: string, cascadeFrom: string | null = null): SaveResult {
  const existing = findLive(table, rawId);
  if (isSaveResult(existing)) return existing;
  if (!table.schema.def.deletable) {
    return fail('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
  }
  const id = String(existing['Id']);
  const { org } = ctx;
  const stamp = ctx.stamp ?? org.nextStamp(existing['SystemModstamp'] as number);
  for (const rel of table.schema.def.childRelationships.filter((r) => r.cascadeDelete)) {
    const childTable = org.table(rel.childSObject);
    for (const childId of childTable?.childIds(rel.field, id) ?? []) {
      if (childTable && childTable.get(childId)?.['IsDeleted'] !== true) deleteRecord({ ...ctx, stamp }, childTable, childId, id);
    }
  }
  if (table.schema.def.recycleBin) {
    org.write(table, { ...existing, IsDeleted: true, SystemModstamp: stamp, LastModifiedDate: stamp, LastModifiedById: ctx.userId });
  } else {
    // Object Reference, "OpportunityTeamMember": a deleted team member skips the Recycle Bin; Get Deleted still reports it.
    org.purge(table, id);
  }
  org.logDelete({ type: table.schema.def.name, id, deletedDate: stamp, cascadeFrom });
  return { id, success: true, errors: [] };
}

/** Brings a row back from the Recycle Bin, with the children its delete took along. */
export function undeleteRecord(ctx: WriteContext, table: Table, rawId: string): SaveResult {
  const id = toId18(rawId);
  const row = id === undefined ? undefined : table.get(id);
  if (!row || id === undefined) return fail('NOT_FOUND', 'The requested resource does not exist');
  if (row['IsDeleted'] !== true) return fail('UNDELETE_FAILED', 'Entity is not in the recycle bin');
  const { org } = ctx;
  const stamp = ctx.stamp ?? org.nextStamp(row['SystemModstamp'] as number);
  org.write(table, { ...row, IsDeleted: false, SystemModstamp: stamp, LastModifiedDate: stamp, LastModifiedById: ctx.userId });
  org.unlogDelete(id);
  const cascaded = [...org.deletedEntries()].filter((e) => e.cascadeFrom === id);
  for (const e of cascaded) {
    const childTable = org.table(e.type);
    if (childTable?.get(e.id)) undeleteRecord({ ...ctx, stamp }, childTable, e.id);
  }
  return { id, success: true, errors: [] };
}
