/** Cursors, runs, failures, conflicts and blobs of the SQLite store. */
import { randomUUID } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { StoreOps } from './guarded-store.js';
import type { HealthStoreOps } from './health-types.js';
import type { HistoryStoreOps } from './history-types.js';
import type { LeaseStoreOps } from './lease-types.js';
import { assertLimit, encodeUnknown, isoToMs, keyPrefixRange, toConflict, toFailure, toOutcome, toRun } from './row-mapping.js';
import type { ConflictRow, FailureRow, OutcomeRow, RunRow } from './row-mapping.js';
import type { RunOutcome } from './types.js';
import type { WebhookStoreOps } from './webhook-types.js';

type RecordOps = Omit<StoreOps, 'getLink' | 'findLinksByCrmIds' | 'findLinksByReferralIds' | 'findLinksByEngagementIds' | 'saveLink' | 'listLinks' | 'countLinks' | 'hasLinks' | keyof HealthStoreOps | keyof HistoryStoreOps | keyof LeaseStoreOps | keyof WebhookStoreOps>;

/**
 * One page of due failures (of one key prefix), walked along the due index (next_attempt_ms,
 * key): with nothing due it reads nothing. Paged by key, SQLite walked the primary key and read
 * every failure of the prefix waiting for later (twelve thousand invalid records: a tenth of a
 * second each cycle).
 */
export const DUE_FAILURES_PAGE =
  'SELECT * FROM failures WHERE next_attempt_ms <= ? AND (next_attempt_ms, key) > (?, ?) AND key >= ? AND (? IS NULL OR key < ?) ORDER BY next_attempt_ms, key LIMIT ?';

export function sqliteRecordOps(args: { db: Database }): RecordOps {
  const { db } = args;
  const sql = {
    getCursor: db.prepare<[string], { value: string }>('SELECT value FROM cursors WHERE source = ?'),
    setCursor: db.prepare('INSERT INTO cursors (source, value) VALUES (?, ?) ON CONFLICT (source) DO UPDATE SET value = excluded.value'),
    startRun: db.prepare<unknown[], RunRow>(
      "INSERT INTO runs (id, kind, started_at, started_ms, finished_at, status, summary, lease) VALUES (?, ?, ?, ?, NULL, 'running', '{}', ?) RETURNING *",
    ),
    finishRun: db.prepare('UPDATE runs SET finished_at = ?, status = ?, summary = ? WHERE id = ?'),
    listRuns: db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY started_ms DESC, seq DESC LIMIT ?'),
    addOutcome: db.prepare('INSERT INTO run_outcomes (run_id, record_key, action, result, detail) VALUES (?, ?, ?, ?, ?)'),
    listOutcomes: db.prepare<[string], OutcomeRow>('SELECT * FROM run_outcomes WHERE run_id = ? ORDER BY seq'),
    recordFailure: db.prepare<unknown[], FailureRow>(
      `INSERT INTO failures (key, operation, reason, error_kind, payload, attempts, first_failed_at, last_failed_at, next_attempt_at, next_attempt_ms)
       VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET operation = excluded.operation, reason = excluded.reason, error_kind = excluded.error_kind,
         payload = excluded.payload, attempts = failures.attempts + 1, last_failed_at = excluded.last_failed_at,
         next_attempt_at = excluded.next_attempt_at, next_attempt_ms = excluded.next_attempt_ms
       RETURNING *`,
    ),
    clearFailure: db.prepare('DELETE FROM failures WHERE key = ?'),
    // LIMIT -1 is no limit in SQLite.
    allFailures: db.prepare<[number], FailureRow>('SELECT * FROM failures ORDER BY next_attempt_ms, key LIMIT ?'),
    dueFailures: db.prepare<[number, number], FailureRow>('SELECT * FROM failures WHERE next_attempt_ms <= ? ORDER BY next_attempt_ms, key LIMIT ?'),
    dueFailuresPage: db.prepare<[number, number, string, string, string | null, string | null, number], FailureRow>(DUE_FAILURES_PAGE),
    failureAttempts: db.prepare<[string], { key: string; attempts: number }>('SELECT key, attempts FROM failures WHERE key IN (SELECT value FROM json_each(?))'),
    retryNow: db.prepare('UPDATE failures SET next_attempt_at = ?, next_attempt_ms = ? WHERE key = ?'),
    holdConflict: db.prepare<unknown[], ConflictRow>(
      `INSERT INTO conflicts (id, link_id, path, base, crm_value, partner_center_value, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    resolveConflict: db.prepare<unknown[], ConflictRow>(
      'UPDATE conflicts SET resolved_at = ?, resolution = ?, resolved_value = ? WHERE id = ? AND resolved_at IS NULL RETURNING *',
    ),
    getBlob: db.prepare<[string], { value: Buffer }>('SELECT value FROM blobs WHERE name = ?'),
    putBlob: db.prepare('INSERT INTO blobs (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
  };
  const conflictLists = new Map<string, Statement<(string | number)[], ConflictRow>>();
  const conflictList = (open: boolean, byLink: boolean): Statement<(string | number)[], ConflictRow> => {
    const key = `${open}:${byLink}`;
    let statement = conflictLists.get(key);
    if (statement === undefined) {
      const where = [...(open ? ['resolved_at IS NULL'] : []), ...(byLink ? ['link_id = ?'] : [])];
      statement = db.prepare<(string | number)[], ConflictRow>(`SELECT * FROM conflicts ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY seq LIMIT ?`);
      conflictLists.set(key, statement);
    }
    return statement;
  };
  // better-sqlite3 turns this into a SAVEPOINT when a store transaction is already open.
  const addOutcomes = db.transaction((outcomes: readonly RunOutcome[]) => {
    for (const o of outcomes) sql.addOutcome.run(o.runId, o.recordKey, o.action, o.result, o.detail);
  });

  return {
    getCursor: async (source) => sql.getCursor.get(source)?.value ?? null,
    setCursor: async (source, value) => {
      sql.setCursor.run(source, value);
    },
    startRun: async ({ kind, startedAt, lease }) => {
      const row = sql.startRun.get(randomUUID(), kind, startedAt, isoToMs(startedAt, 'startedAt'), lease ?? null);
      if (row === undefined) throw new Error('run insert returned no row');
      return toRun(row);
    },
    finishRun: async ({ id, finishedAt, status, summary }) => {
      const { changes } = sql.finishRun.run(finishedAt, status, JSON.stringify(summary), id);
      if (changes === 0) throw new Error(`finishRun: no run ${id}`);
    },
    recordOutcomes: async (outcomes) => {
      addOutcomes.immediate(outcomes);
    },
    listRuns: async (limit) => sql.listRuns.all(assertLimit(limit)).map(toRun),
    listOutcomes: async (runId) => sql.listOutcomes.all(runId).map(toOutcome),
    // `failedAt` is this failure's time; the input's `lastFailedAt` (the contract type keeps it) is not read.
    recordFailure: async (f) => {
      const nextMs = isoToMs(f.nextAttemptAt, 'nextAttemptAt');
      const row = sql.recordFailure.get(f.key, f.operation, f.reason, f.errorKind, encodeUnknown(f.payload), f.failedAt, f.failedAt, f.nextAttemptAt, nextMs);
      if (row === undefined) throw new Error('failure upsert returned no row');
      return toFailure(row);
    },
    clearFailure: async (key) => {
      sql.clearFailure.run(key);
    },
    // Due means nextAttemptAt <= dueBefore, compared as instants, not as strings.
    listFailures: async (listArgs) => {
      const limit = listArgs?.limit === undefined ? -1 : assertLimit(listArgs.limit);
      const due = listArgs?.dueBefore;
      return (due === undefined ? sql.allFailures.all(limit) : sql.dueFailures.all(isoToMs(due, 'dueBefore'), limit)).map(toFailure);
    },
    listDueFailures: async ({ dueBefore, keyPrefix, after, limit }) => {
      const range = keyPrefixRange(keyPrefix);
      const afterMs = after === undefined ? Number.MIN_SAFE_INTEGER : isoToMs(after.nextAttemptAt, 'after');
      return sql.dueFailuresPage.all(isoToMs(dueBefore, 'dueBefore'), afterMs, after?.key ?? '', range.from, range.to, range.to, assertLimit(limit)).map(toFailure);
    },
    failureAttempts: async (keys) =>
      keys.length === 0 ? new Map() : new Map(sql.failureAttempts.all(JSON.stringify(keys)).map((r) => [r.key, r.attempts])),
    retryFailureNow: async (key, now) => sql.retryNow.run(now, isoToMs(now, 'now'), key).changes > 0,
    holdConflict: async (c) => {
      const values = [randomUUID(), c.linkId, c.path, encodeUnknown(c.base), encodeUnknown(c.crmValue), encodeUnknown(c.partnerCenterValue), c.createdAt];
      const row = sql.holdConflict.get(...values);
      if (row === undefined) throw new Error('conflict insert returned no row');
      return toConflict(row);
    },
    // `open: true` lists only the unresolved conflicts; `open: false` lists all, history included.
    listConflicts: async ({ open, linkId, limit }) =>
      conflictList(open, linkId !== undefined)
        .all(...(linkId === undefined ? [] : [linkId]), limit === undefined ? -1 : assertLimit(limit))
        .map(toConflict),
    resolveConflict: async ({ id, resolution, value, at }) => {
      // Only an open conflict is resolved: null tells the caller someone else resolved it first.
      const row = sql.resolveConflict.get(at, resolution, encodeUnknown(value), id);
      return row === undefined ? null : toConflict(row);
    },
    getBlob: async (name) => sql.getBlob.get(name)?.value ?? null,
    putBlob: async (name, value) => {
      sql.putBlob.run(name, value);
    },
  };
}
