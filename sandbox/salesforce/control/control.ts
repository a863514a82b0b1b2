import { publicKeyOf } from '../auth/jwt.js';
import { INTEGRATION_USERNAME, type SeedSummary } from '../seed/seed.js';
import { createRecord, deleteRecord, tableOf, undeleteRecord, updateRecord, type SaveResult, type WriteContext } from '../model/dml.js';
import { wholeSecond } from '../model/datetime.js';
import { toId18 } from '../model/ids.js';
import type { Row, Table } from '../model/table.js';
import { requestError } from '../model/sf-error.js';
import { projectFullRow, type Json } from '../soql/project.js';
import type { SfContext } from '../http/context.js';

/**
 * What tests, the demo and benchmarks do to the org "as a person would" (the control API):
 * edits and deletes go through the same validation and stamp rules as API writes, but are made
 * by a sales user, so `LastModifiedById` tells them from the daemon's own writes.
 */
export class SalesforceControl {
  constructor(
    private readonly ctx: SfContext,
    readonly seedSummary: SeedSummary,
  ) {}

  get orgId(): string {
    return this.ctx.org.orgId;
  }

  get integrationUser(): { id: string; username: string } {
    return { id: this.ctx.integrationUserId, username: INTEGRATION_USERNAME };
  }

  get clientIds(): readonly string[] {
    return this.ctx.options.clientIds;
  }

  get clientSecret(): string {
    return this.ctx.options.clientSecret;
  }

  /** Any row in its wire form (Salesforce REST API Developer Guide, "sObject Rows"), Recycle Bin included; null when unknown. */
  getRecord({ type, id }: { type?: string; id: string }): Record<string, Json> | null {
    const full = toId18(id);
    const table = type === undefined ? (full === undefined ? undefined : this.ctx.org.tableOfId(full)) : this.ctx.org.table(type);
    const row = full === undefined ? undefined : table?.get(full);
    if (!table || !row) return null;
    return projectFullRow({ row, fields: table.schema.def.fields, type: table.schema.def.name, version: this.version() });
  }

  createRecord({ type, fields, userId, allowDuplicates }: { type: string; fields: Record<string, unknown>; userId?: string; allowDuplicates?: boolean }): SaveResult {
    const table = tableOf(this.ctx.org, type);
    return this.run(() => createRecord({ org: this.ctx.org, userId: userId ?? this.person(), allowDuplicates: allowDuplicates === true }, table, fields));
  }

  /**
   * Edits one row. `system: true` is a system write (only SystemModstamp moves, docs/change-watermarks.md); `stamp`
   * forces the SystemModstamp (cut to its whole second, as every stamp is), for example an older
   * one to play a late-committing transaction.
   */
  editRecord({ type, id, fields, userId, system, stamp }: { type: string; id: string; fields: Record<string, unknown>; userId?: string; system?: boolean; stamp?: Date }): SaveResult {
    const table = tableOf(this.ctx.org, type);
    const ctx: WriteContext = { org: this.ctx.org, userId: userId ?? this.person(table, id), system: system === true };
    if (stamp) ctx.stamp = wholeSecond(stamp.getTime());
    return this.run(() => updateRecord(ctx, table, id, fields));
  }

  /**
   * A person edits a row within the same second as an earlier write: the row's own last write
   * (typically the daemon's write-back), or the last write of the row `sameSecondAs`. The edit
   * carries that write's SystemModstamp and LastModifiedDate, whatever the clock says now, so
   * the two writes cannot be told apart by their stamps, as on a real org (a stamp never goes
   * back, so an anchor older than the row's own last write gives that write's second).
   */
  editInSameSecond({ type, id, fields, sameSecondAs, userId }: { type: string; id: string; fields: Record<string, unknown>; sameSecondAs?: string; userId?: string }): SaveResult {
    const table = tableOf(this.ctx.org, type);
    const anchorId = toId18(sameSecondAs ?? id);
    const anchor = anchorId === undefined ? undefined : this.ctx.org.tableOfId(anchorId)?.get(anchorId);
    if (!anchor) throw requestError(404, 'NOT_FOUND', `no record ${sameSecondAs ?? id} to share a second with`);
    const own = toId18(id);
    const previous = own === undefined ? undefined : (table.get(own)?.['SystemModstamp'] as number | undefined);
    const stamp = Math.max(anchor['SystemModstamp'] as number, previous ?? 0);
    const ctx: WriteContext = { org: this.ctx.org, userId: userId ?? this.person(table, id), stamp };
    return this.run(() => updateRecord(ctx, table, id, fields));
  }

  /** Edits several rows in one transaction: they all get the same SystemModstamp. */
  editRecords({ type, edits, userId }: { type: string; edits: Array<{ id: string; fields: Record<string, unknown> }>; userId?: string }): SaveResult[] {
    const table = tableOf(this.ctx.org, type);
    const previous = edits.map((e) => {
      const id = toId18(e.id);
      return (id === undefined ? undefined : table.get(id)?.['SystemModstamp']) as number | undefined;
    });
    const stamp = this.ctx.org.nextStamp(Math.max(0, ...previous.filter((p): p is number => p !== undefined)));
    let results: SaveResult[] = [];
    this.ctx.org.transaction(() => {
      results = edits.map((e) => updateRecord({ org: this.ctx.org, userId: userId ?? this.person(table, e.id), stamp }, table, e.id, e.fields));
      return true;
    });
    return results;
  }

  deleteRecord({ type, id }: { type: string; id: string }): SaveResult {
    const table = tableOf(this.ctx.org, type);
    return this.run(() => deleteRecord({ org: this.ctx.org, userId: this.person(table, id) }, table, id));
  }

  undeleteRecord({ type, id }: { type: string; id: string }): SaveResult {
    const table = tableOf(this.ctx.org, type);
    return this.run(() => undeleteRecord({ org: this.ctx.org, userId: this.person(table, id) }, table, id));
  }

  /** How many rows hold `value` in `field` (case-insensitive for text): the duplicate check. */
  countRecords({ type, field, value, includeDeleted = false }: { type: string; field: string; value: string | number | boolean | null; includeDeleted?: boolean }): number {
    const table = tableOf(this.ctx.org, type);
    const def = table.schema.field(field);
    if (!def) throw requestError(400, 'INVALID_FIELD', `No such column '${field}' on entity '${table.schema.def.name}'`);
    const wanted = typeof value === 'string' ? value.toLowerCase() : value;
    let n = 0;
    for (const row of table.values()) {
      if (!includeDeleted && row['IsDeleted'] === true) continue;
      const v = row[def.name] ?? null;
      if ((typeof v === 'string' ? v.toLowerCase() : v) === wanted) n += 1;
    }
    return n;
  }

  /** Every record of a SOQL query, all pages joined (not counted as API calls). */
  query({ soql, includeDeleted = false }: { soql: string; includeDeleted?: boolean }): Json[] {
    const records: Json[] = [];
    let page = this.ctx.queries.run({ soql, version: this.version(), includeDeleted });
    records.push(...page.records);
    while (!page.done && page.nextRecordsUrl) {
      page = this.ctx.queries.more({ locator: page.nextRecordsUrl.split('/').pop() ?? '', version: this.version() });
      records.push(...page.records);
    }
    return records;
  }

  apiUsage(): { used: number; limit: number } {
    return { used: this.ctx.budget.used, limit: this.ctx.budget.limit };
  }

  setApiUsage(used: number): void {
    this.ctx.budget.setUsed(used);
  }

  expireAllSessions(): void {
    this.ctx.sessions.expireAll();
  }

  /** Uploads a certificate or public key to a connected app (every configured app by default). */
  registerJwtKey({ publicKeyPem, clientId }: { publicKeyPem: string; clientId?: string }): void {
    const key = publicKeyOf(publicKeyPem);
    for (const id of clientId === undefined ? this.ctx.options.clientIds : [clientId]) {
      this.ctx.jwtKeys.set(id, [...(this.ctx.jwtKeys.get(id) ?? []), key]);
    }
  }

  /** A refresh token, as a web-server flow would have left one (Salesforce Help, "OAuth 2.0 Refresh Token Flow for Renewed Sessions"). */
  issueRefreshToken({ username, clientId }: { username?: string; clientId?: string } = {}): string {
    return this.ctx.sessions.issueRefreshToken({ userId: this.userIdOf(username), clientId: clientId ?? this.defaultClient() });
  }

  /** An access token without a token request, for tests that are not about auth. */
  issueAccessToken({ username, clientId }: { username?: string; clientId?: string } = {}): string {
    return this.ctx.sessions.issue({ userId: this.userIdOf(username), clientId: clientId ?? this.defaultClient() }).token;
  }

  /** Forgets delete-log entries before a date, as Salesforce's purge job does ("sObject Get Deleted"). */
  purgeDeleteLog({ before }: { before: Date }): void {
    this.ctx.org.purgeDeleteLog(before.getTime());
  }

  private run(write: () => SaveResult): SaveResult {
    let result: SaveResult = { id: null, success: false, errors: [] };
    this.ctx.org.transaction(() => {
      result = write();
      return result.success;
    });
    return result;
  }

  private version(): string {
    return this.ctx.options.apiVersions.at(-1) ?? '60.0';
  }

  private defaultClient(): string {
    return this.ctx.options.clientIds[0] ?? 'cosell-sandbox';
  }

  private userIdOf(username: string | undefined): string {
    if (username === undefined) return this.ctx.integrationUserId;
    const id = this.ctx.org.table('User')?.idsByUnique('Username', username)[0];
    if (id === undefined) throw requestError(404, 'NOT_FOUND', `no user ${username}`);
    return id;
  }

  /** The person making a change: the row's owner when it has one, else the first sales user. */
  private person(table?: Table, id?: string): string {
    const full = id === undefined ? undefined : toId18(id);
    const row: Row | undefined = full === undefined ? undefined : table?.get(full);
    const owner = row?.['OwnerId'];
    if (typeof owner === 'string' && owner !== this.ctx.integrationUserId) return owner;
    for (const user of this.ctx.org.table('User')?.values() ?? []) {
      if (user['Id'] !== this.ctx.integrationUserId) return String(user['Id']);
    }
    return this.ctx.integrationUserId;
  }
}
