/**
 * An in-memory CRM behind the CrmConnector contract (connectors/types.ts), for engine unit tests.
 * It keeps what the contract promises and what the field found, and nothing more:
 * - change stamps and versions of whole-second resolution (two writes in one second share one;
 *   an update guarded by the older version then goes through, as Salesforce's does);
 * - reads after a cursor with `>=` on the last second, skipping rows already read unless their
 *   content changed, in pages of `pageSize`, with deletes reported as `deletedIds`;
 * - upserts on the external id (a repeated create finds the first record);
 * - updates guarded by version (`conflict` outcome), and the describe enforced on every write:
 *   required fields, picklist values, text lengths, fields a write cannot set;
 * - injectable failures per call (`faults`), including the answer lost after the write.
 * It passes the CRM contract suite (test/connectors/fake-crm.contract.test.ts).
 */
import type { ChangePage, CrmConnector, CrmCreate, CrmUpdate, WriteOutcome } from '../../connectors/types.js';
import type { ConnectorError } from '../../connectors/errors.js';
import type { Clock } from '../../src/core/clock.js';
import type { CrmFieldDescription, CrmObjectDescription, CrmObjectKind, CrmRecord, CrmSystem, FieldValue } from '../../src/domain/crm-record.js';
import { CallLog, connectorError, Faults } from './faults.js';

export type FakeCrmSchema = Record<CrmObjectKind, CrmFieldDescription[]>;

interface Row {
  kind: CrmObjectKind;
  id: string;
  fields: Record<string, FieldValue>;
  /** Whole-second epoch ms of the last write (the change stamp and the version). */
  stamp: number;
  deleted: boolean;
}

interface WireCursor {
  /** Stamp (epoch ms) of the newest row read. */
  w: number | null;
  /** `id#content` of the rows read at that stamp. */
  s: string[];
}

const second = (ms: number): number => Math.floor(ms / 1000) * 1000;
const iso = (ms: number): string => new Date(ms).toISOString();
const content = (row: Row): string => `${row.id}#${row.deleted ? 'x' : JSON.stringify(row.fields)}`;
const isEmpty = (v: FieldValue | undefined): boolean => v === undefined || v === null || v === '';

export class FakeCrm implements CrmConnector {
  readonly faults = new Faults();
  readonly log = new CallLog();
  /** The customer each created record was given (account and contacts), by record id. */
  readonly customers = new Map<string, CrmCreate['customer']>();
  private readonly rows = new Map<string, Row>();
  private serial = 0;
  private closed = false;

  constructor(
    readonly system: CrmSystem,
    private readonly args: { clock: Clock; schema: FakeCrmSchema; pageSize?: number },
  ) {}

  // --- the contract --------------------------------------------------------------------------

  describe(kind: CrmObjectKind): Promise<CrmObjectDescription> {
    return this.call('describe', { kind }, () => ({ kind, fields: structuredClone(this.args.schema[kind]) }));
  }

  async *readChanges(args: { kind: CrmObjectKind; fields: readonly string[]; cursor: string | null; signal?: AbortSignal }): AsyncIterable<ChangePage<CrmRecord>> {
    const { kind, fields, cursor } = args;
    await this.call('readChanges', { kind, fields, cursor }, () => undefined);
    const state = decode(cursor);
    const from = state.w;
    const rows = [...this.rows.values()]
      .filter((r) => r.kind === kind && (from === null || r.stamp >= from))
      .sort((a, b) => a.stamp - b.stamp || a.id.localeCompare(b.id))
      .map((r) => ({ ...r, fields: structuredClone(r.fields) }));
    const size = this.args.pageSize ?? 200;
    for (let i = 0; i === 0 || i < rows.length; i += size) {
      const items: CrmRecord[] = [];
      const deletedIds: string[] = [];
      for (const row of rows.slice(i, i + size)) {
        if (state.w === row.stamp && state.s.includes(content(row))) continue;
        if (state.w !== row.stamp) state.s = [];
        state.w = row.stamp;
        state.s.push(content(row));
        if (row.deleted) deletedIds.push(row.id);
        else items.push(this.project(row, fields));
      }
      yield { items, deletedIds, cursor: encode(state) };
    }
  }

  getRecords(args: { kind: CrmObjectKind; ids: readonly string[]; fields: readonly string[] }): Promise<CrmRecord[]> {
    return this.call('getRecords', args, () =>
      args.ids.map((id) => this.rows.get(id)).filter((r): r is Row => r !== undefined && !r.deleted && r.kind === args.kind).map((r) => this.project(r, args.fields)),
    );
  }

  findByExternalId(args: { kind: CrmObjectKind; field: string; values: readonly string[]; fields: readonly string[] }): Promise<CrmRecord[]> {
    return this.call('findByExternalId', args, () =>
      this.live(args.kind).filter((r) => args.values.includes(String(r.fields[args.field]))).map((r) => this.project(r, args.fields)),
    );
  }

  createRecords(writes: readonly CrmCreate[]): Promise<WriteOutcome[]> {
    return this.call('createRecords', writes, () => writes.map((w) => this.createOne(w)));
  }

  updateRecords(writes: readonly CrmUpdate[]): Promise<WriteOutcome[]> {
    return this.call('updateRecords', writes, () => writes.map((w) => this.updateOne(w)));
  }

  health(): ReturnType<CrmConnector['health']> {
    return { state: 'ok', detail: null, pausedUntil: null };
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  // --- what a person does in the CRM ---------------------------------------------------------

  /** A person creates a record (no checks beyond the id); returns its id. */
  insert(kind: CrmObjectKind, fields: Record<string, FieldValue>): string {
    const id = this.newId(kind);
    const idField = this.args.schema[kind].find((f) => f.type === 'id')?.path;
    this.rows.set(id, { kind, id, fields: { ...structuredClone(fields), ...(idField ? { [idField]: id } : {}) }, stamp: this.now(), deleted: false });
    return id;
  }

  /** A person edits a record; `at` sets the moment (a second already used keeps its stamp). */
  edit(id: string, fields: Record<string, FieldValue>, at?: Date): void {
    const row = this.mustGet(id);
    row.fields = { ...row.fields, ...structuredClone(fields) };
    row.stamp = at ? second(at.getTime()) : this.now();
  }

  /** A person deletes a record (it goes to the recycle bin: reads report its id once). */
  remove(id: string): void {
    const row = this.mustGet(id);
    row.deleted = true;
    row.stamp = this.now();
  }

  /** The record's fields as the CRM holds them, or null when it does not exist (or is deleted). */
  read(id: string): Record<string, FieldValue> | null {
    const row = this.rows.get(id);
    return row && !row.deleted ? structuredClone(row.fields) : null;
  }

  /** The record as the connector would return it (all stored fields). */
  record(id: string): CrmRecord | null {
    const row = this.rows.get(id);
    return row && !row.deleted ? this.project(row, Object.keys(row.fields)) : null;
  }

  /** Live records of a kind, or those whose `field` holds `value`. */
  count(kind: CrmObjectKind, field?: string, value?: FieldValue): number {
    return this.live(kind).filter((r) => field === undefined || r.fields[field] === value).length;
  }

  ids(kind: CrmObjectKind): string[] {
    return this.live(kind).map((r) => r.id);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  // --- inside ---------------------------------------------------------------------------------

  private async call<T>(method: string, args: unknown, apply: () => T): Promise<T> {
    this.log.record(method, args);
    const fault = this.faults.take(method, args);
    if (fault && !fault.afterApply) throw fault.error;
    const result = apply();
    if (fault) throw fault.error;
    return Promise.resolve(result);
  }

  private now(): number {
    return second(this.args.clock.now().getTime());
  }

  private newId(kind: CrmObjectKind): string {
    this.serial += 1;
    return `${kind === 'lead' ? '00Q' : '006'}FAKE${String(this.serial).padStart(10, '0')}`;
  }

  private mustGet(id: string): Row {
    const row = this.rows.get(id);
    if (!row || row.deleted) throw new Error(`no record ${id} in the fake CRM`);
    return row;
  }

  private live(kind: CrmObjectKind): Row[] {
    return [...this.rows.values()].filter((r) => r.kind === kind && !r.deleted);
  }

  private described(kind: CrmObjectKind): Map<string, CrmFieldDescription> {
    return new Map(this.args.schema[kind].map((f) => [f.path, f]));
  }

  private project(row: Row, fields: readonly string[]): CrmRecord {
    const described = this.described(row.kind);
    const out: Record<string, FieldValue> = {};
    for (const path of fields) out[path] = structuredClone(row.fields[path] ?? (described.get(path)?.type === 'child' ? [] : null));
    return { kind: row.kind, id: row.id, stamp: iso(row.stamp), version: iso(row.stamp), fields: out };
  }

  /** Why the CRM refuses these values, or null. */
  private refusal(kind: CrmObjectKind, fields: Record<string, FieldValue>, mode: 'create' | 'update'): ConnectorError | null {
    const described = this.described(kind);
    const refuse = (vendorCode: string, message: string): ConnectorError => connectorError(this.system === 'salesforce' ? 'salesforce' : 'dynamics', 'invalid', message, { status: 400, vendorCode });
    for (const [path, value] of Object.entries(fields)) {
      const field = described.get(path);
      if (!field) return refuse('INVALID_FIELD', `No such column '${path}' on ${kind}`);
      if (mode === 'create' ? !field.createable : !field.updateable) return refuse('INVALID_FIELD_FOR_INSERT_UPDATE', `${path} cannot be written`);
      if (field.required && isEmpty(value)) return refuse('REQUIRED_FIELD_MISSING', `Required fields are missing: [${path}]`);
      if (field.picklistValues && value !== null && !field.picklistValues.includes(String(value))) {
        return refuse('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${path}: bad value for restricted picklist field: ${String(value)}`);
      }
      if (typeof value === 'string' && field.length !== null && value.length > field.length) {
        return refuse('STRING_TOO_LONG', `${path}: data value too large (max length=${field.length})`);
      }
    }
    if (mode === 'create') {
      const missing = [...described.values()].find((f) => f.required && f.createable && isEmpty(fields[f.path]));
      if (missing) return refuse('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.path}]`);
    }
    return null;
  }

  private createOne(write: CrmCreate): WriteOutcome {
    const existing = this.live(write.kind).find((r) => r.fields[write.externalId.field] === write.externalId.value);
    const error = this.refusal(write.kind, existing ? write.fields : { ...write.fields, [write.externalId.field]: write.externalId.value }, existing ? 'update' : 'create');
    if (error) return { ok: false, error };
    if (existing) {
      existing.fields = { ...existing.fields, ...structuredClone(write.fields) };
      existing.stamp = this.now();
      return { ok: true, id: existing.id, version: iso(existing.stamp), created: false };
    }
    const id = this.insert(write.kind, { ...write.fields, [write.externalId.field]: write.externalId.value });
    if (write.customer) this.customers.set(id, structuredClone(write.customer));
    return { ok: true, id, version: iso(this.mustGet(id).stamp), created: true };
  }

  private updateOne(write: CrmUpdate): WriteOutcome {
    const system = this.system === 'salesforce' ? 'salesforce' : 'dynamics';
    const row = this.rows.get(write.id);
    if (!row || row.deleted || row.kind !== write.kind) return { ok: false, error: connectorError(system, 'notFound', `${write.kind} ${write.id} not found`, { status: 404, vendorCode: 'NOT_FOUND' }) };
    if (write.version !== '*' && Date.parse(write.version) !== row.stamp) {
      return { ok: false, error: connectorError(system, 'conflict', `${write.kind} ${write.id} changed since it was read`, { vendorCode: 'VERSION_MOVED' }) };
    }
    const error = this.refusal(write.kind, write.fields, 'update');
    if (error) return { ok: false, error };
    row.fields = { ...row.fields, ...structuredClone(write.fields) };
    row.stamp = this.now();
    return { ok: true, id: row.id, version: iso(row.stamp), created: false };
  }
}

function encode(state: WireCursor): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

function decode(cursor: string | null): WireCursor {
  if (cursor === null) return { w: null, s: [] };
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as WireCursor;
}
