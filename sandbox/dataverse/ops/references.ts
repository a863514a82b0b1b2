/**
 * Entity references as they appear in `@odata.bind`, `OData-EntityId`, `$ref` bodies and batch
 * URLs: `/accounts(<guid>)`, `accounts(<guid>)`, absolute URLs, alternate keys
 * (`/accounts(accountnumber='A1')`) and `$n` Content-ID references (Dataverse developer guide, "Associate and disassociate table rows using the Web API", "Execute batch operations using the Web API").
 */
import type { Row } from '../model/row.js';
import type { OrgStore, TableStore } from '../model/store.js';
import { parseKey, parseResourcePath, PathSyntaxError } from '../odata/resource-path.js';
import type { TableInfo } from '../schema/tables.js';
import { badRequest, CODES, DvError, notFound, segmentNotFound } from '../wire/errors.js';

export interface ResolvedKey {
  info: TableInfo;
  table: TableStore;
  /** The row id when the key names an existing row or a GUID. */
  id: string | null;
  /** For an alternate key that matched no row: the column values an upsert must set. */
  keyValues: Record<string, string | number> | null;
}

/** Resolves `(key)` text against a table: GUID, `primaryid=GUID` or a defined alternate key ("Update and delete table rows using the Web API"). */
export function resolveKey(store: OrgStore, info: TableInfo, rawKey: string): ResolvedKey {
  const table = store.table(info.def.logicalName);
  let parsed;
  try {
    parsed = parseKey(rawKey);
  } catch (error) {
    if (error instanceof PathSyntaxError) throw badRequest(`Bad Request - Error in query syntax: ${error.message}.`, CODES.propertyNotFound);
    throw error;
  }
  if (parsed.kind === 'guid') return { info, table, id: parsed.id, keyValues: null };
  const first = parsed.pairs[0];
  if (parsed.pairs.length === 1 && first && first.name === info.def.primaryId) return { info, table, id: String(first.value).toLowerCase(), keyValues: null };
  const names = parsed.pairs.map((p) => p.name).sort();
  const key = info.def.alternateKeys.find((k) => [...k.columns].sort().join(',') === names.join(','));
  if (!key) throw badRequest(`The key specified for the entity '${info.def.logicalName}' is not valid: no alternate key is defined on ${names.join(', ')}.`);
  const values = key.columns.map((c) => parsed.pairs.find((p) => p.name === c)?.value ?? null);
  const id = table.findByKey(key.name, values) ?? null;
  return { info, table, id, keyValues: Object.fromEntries(parsed.pairs.map((p) => [p.name, p.value])) };
}

/** Strips the origin and `/api/data/v9.x/` of an absolute or leading-slash reference. */
export function relativeReference(text: string): string {
  let rest = text.trim();
  const absolute = /^https?:\/\/[^/]+(\/.*)$/i.exec(rest);
  if (absolute) rest = absolute[1] as string;
  rest = rest.replace(/^\/?api\/data\/v9\.\d\//, '');
  return rest.replace(/^\//, '');
}

/** Resolves a reference to an existing row; missing rows are 404 0x80040217 (for binds, the emulator's choice). */
export function resolveReference(store: OrgStore, text: string, contentIds?: Map<string, string>): { info: TableInfo; row: Row } {
  let relative = relativeReference(text);
  const dollar = /^\$([^/(]+)$/.exec(relative);
  if (dollar) {
    const target = contentIds?.get(dollar[1] as string);
    // Referencing a Content-ID that was not declared earlier is a 400 ("Execute batch operations using the Web API").
    if (!target) throw badRequest(`Content-ID reference '$${dollar[1]}' was not found in the change set.`);
    relative = relativeReference(target);
  }
  let segments;
  try {
    segments = parseResourcePath(relative);
  } catch {
    throw badRequest(`The entity reference '${text}' is not valid.`, CODES.propertyNotFound);
  }
  const [segment] = segments;
  if (!segment || segments.length !== 1 || segment.key === undefined) throw badRequest(`The entity reference '${text}' is not valid.`, CODES.propertyNotFound);
  const info = store.schema.tableBySet(segment.name);
  if (!info) throw segmentNotFound(segment.name);
  const resolved = resolveKey(store, info, segment.key);
  const row = resolved.id === null ? undefined : resolved.table.rows.get(resolved.id);
  if (!row) throw resolved.id ? notFound(info.def.logicalName, resolved.id) : new DvError(404, CODES.objectDoesNotExist, `${info.def.logicalName} with the specified key values does not exist`);
  return { info, row };
}

export function entityUrl(apiBase: string, info: TableInfo, id: string): string {
  return `${apiBase}${info.def.entitySetName}(${id})`;
}
