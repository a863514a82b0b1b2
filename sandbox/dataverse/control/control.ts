/**
 * The control surface of the Dataverse emulator, used by tests, the demo and benchmarks to act
 * as a person would: edit, create, delete and read any record,
 * close an opportunity, count rows by column value, toggle change tracking, expire delta tokens,
 * set service-protection limits and read call counts.
 */
import { randomUUID } from 'node:crypto';
import type { CallStats } from '../../shared/stats.js';
import type { TokenCheck } from '../http/auth.js';
import type { LimitKind, ServiceProtection } from '../http/service-protection.js';
import type { Value } from '../model/row.js';
import { column } from '../odata/columns.js';
import { dispatch } from '../ops/dispatch.js';
import type { DvResponse, Service } from '../ops/context.js';
import { nextRow } from '../ops/rows.js';
import { applyBody } from '../ops/write-values.js';
import type { ServiceProtectionLimits } from '../options.js';
import type { OrgSchema, TableInfo } from '../schema/tables.js';
import { DvError, notFound } from '../wire/errors.js';
import { serializeRow } from '../wire/serialize.js';

/** Control API of the Dataverse emulator. `table` is an entity set name or a logical name. */
export interface DataverseControl {
  /** A record in wire form (all columns, `_x_value` lookups, `@odata.etag`), or undefined. */
  getRecord(args: { table: string; id: string }): Record<string, unknown> | undefined;
  /** Creates a row as a person would; the body uses Web API shapes (`x@odata.bind` for lookups). Returns the id. */
  createRecord(args: { table: string; values: Record<string, unknown> }): string;
  /** Edits a row as a person would: any column, state included; bumps version and modifiedon. */
  editRecord(args: { table: string; id: string; values: Record<string, unknown> }): void;
  deleteRecord(args: { table: string; id: string }): void;
  /** Closes an opportunity through the Win/LoseOpportunity action, as the Dynamics UI does. */
  closeOpportunity(args: { id: string; won: boolean; status?: number; actualRevenue?: number }): void;
  /** Rows whose column (wire name) equals the value; every row when column is omitted. */
  count(args: { table: string; column?: string; value?: Value }): number;
  setChangeTracking(args: { table: string; enabled: boolean }): void;
  /** Every delta token minted so far becomes expired. */
  expireDeltaTokens(): void;
  /** The `deltaTokenExpired` switch. */
  setDeltaTokenExpired(expired: boolean): void;
  setServiceProtection(limits: ServiceProtectionLimits | null): void;
  /** The next `count` API requests answer 429 with this limit's code. */
  tripServiceProtection(args: { kind: LimitKind; count?: number; retryAfterSeconds?: number }): void;
  /** Registers a bearer token the API accepts. */
  addToken(token: string): void;
  /** Per-route call counts of the attached server (shared stats). */
  callCounts(): Record<string, number>;
  attachStats(stats: CallStats): void;
}

function tableIn(schema: OrgSchema, name: string): TableInfo {
  const info = schema.tableBySet(name) ?? schema.tableByLogicalName(name);
  if (!info) throw new DvError(404, '0x8006088a', `Unknown table '${name}'.`);
  return info;
}

function check(response: DvResponse): void {
  if (response.status >= 400) {
    const error = (response.body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new DvError(response.status, error?.code ?? '', error?.message ?? 'control request failed');
  }
}

export function createControl(deps: { service: Service; tokens: TokenCheck; protection: ServiceProtection }): DataverseControl {
  const { service, tokens, protection } = deps;
  const { store } = service;
  const tableOf = (name: string): TableInfo => tableIn(store.schema, name);
  let stats: CallStats | null = null;
  const write = (info: TableInfo, id: string, values: Record<string, unknown>, mode: 'create' | 'update'): void => {
    const table = store.table(info.def.logicalName);
    const existing = table.rows.get(id);
    if (mode === 'update' && !existing) throw notFound(info.def.logicalName, id);
    const changes = applyBody({ store, info, body: values, mode, bindNullClears: true, force: true });
    if (mode === 'create' && !('statecode' in changes.values)) changes.values['statecode'] = 0;
    store.put(table, nextRow({ service, info, id, existing, changes }));
  };
  return {
    getRecord: ({ table, id }) => {
      const info = tableOf(table);
      const row = store.table(info.def.logicalName).rows.get(id.toLowerCase());
      return row ? serializeRow(info, row, null, [], { store, annotate: () => false }) : undefined;
    },
    createRecord: ({ table, values }) => {
      const id = typeof values['id'] === 'string' ? values['id'] : randomUUID();
      const { id: _ignored, ...rest } = values;
      write(tableOf(table), id, rest, 'create');
      return id;
    },
    editRecord: ({ table, id, values }) => write(tableOf(table), id.toLowerCase(), values, 'update'),
    deleteRecord: ({ table, id }) => {
      const info = tableOf(table);
      const t = store.table(info.def.logicalName);
      if (!t.rows.has(id.toLowerCase())) throw notFound(info.def.logicalName, id);
      store.remove(t, id.toLowerCase());
    },
    closeOpportunity: ({ id, won, status, actualRevenue }) => {
      const body = {
        Status: status ?? (won ? 3 : 4),
        OpportunityClose: {
          subject: won ? 'Won' : 'Lost',
          'opportunityid@odata.bind': `/opportunities(${id})`,
          ...(actualRevenue !== undefined ? { actualrevenue: actualRevenue } : {}),
        },
      };
      const resource = won ? 'WinOpportunity' : 'LoseOpportunity';
      check(dispatch(service, { method: 'POST', resource, rawQuery: '', query: new URLSearchParams(), headers: {}, body: JSON.stringify(body), apiBase: 'https://control.local/api/data/v9.2/' }));
    },
    count: ({ table, column: name, value }) => {
      const info = tableOf(table);
      const rows = store.table(info.def.logicalName).rows;
      if (name === undefined) return rows.size;
      const get = column(info, name).get;
      let n = 0;
      for (const row of rows.values()) if (get(row) === (value ?? null)) n++;
      return n;
    },
    setChangeTracking: ({ table, enabled }) => {
      store.table(tableOf(table).def.logicalName).changeTracking = enabled;
    },
    expireDeltaTokens: () => {
      const floor = store.nextVersion();
      for (const table of store.allTables()) table.minDeltaVersion = floor;
    },
    setDeltaTokenExpired: (expired) => {
      service.options.deltaTokenExpired = expired;
    },
    setServiceProtection: (limits) => protection.setLimits(limits),
    tripServiceProtection: (args) => protection.trip(args),
    addToken: (token) => tokens.register(token),
    callCounts: () => stats?.byRoute() ?? {},
    attachStats: (s) => {
      stats = s;
    },
  };
}
