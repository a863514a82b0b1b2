/** Cursors, runs, failures, conflicts and blobs of the PostgreSQL store. */
import { randomUUID } from 'node:crypto';
import type { StoreOps } from './guarded-store.js';
import type { HealthStoreOps } from './health-types.js';
import type { HistoryStoreOps } from './history-types.js';
import type { LeaseStoreOps } from './lease-types.js';
import type { WebhookStoreOps } from './webhook-types.js';
import type { Queryable } from './postgres-queryable.js';
import { assertLimit, encodeUnknown, isoToMs, keyPrefixRange, toConflict, toFailure, toOutcome, toRun } from './row-mapping.js';
import type { ConflictRow, FailureRow, OutcomeRow, RunRow } from './row-mapping.js';

type RecordOps = Omit<
  StoreOps,
  'getLink' | 'findLinksByCrmIds' | 'findLinksByReferralIds' | 'findLinksByEngagementIds' | 'saveLink' | 'listLinks' | 'countLinks' | 'hasLinks' | keyof HealthStoreOps | keyof HistoryStoreOps | keyof LeaseStoreOps | keyof WebhookStoreOps
>;

export function postgresRecordOps(args: { db: Queryable; s: string }): RecordOps {
  const { db, s } = args;
  const one = async <R extends object>(sql: string, values: unknown[]): Promise<R> => {
    const row = (await db.query<R>(sql, values)).rows[0];
    if (row === undefined) throw new Error(`expected a row from: ${sql.slice(0, 60)}`);
    return row;
  };

  return {
    getCursor: async (source) => (await db.query<{ value: string }>(`SELECT value FROM ${s}.cursors WHERE source = $1`, [source])).rows[0]?.value ?? null,
    setCursor: async (source, value) => {
      await db.query(`INSERT INTO ${s}.cursors (source, value) VALUES ($1, $2) ON CONFLICT (source) DO UPDATE SET value = EXCLUDED.value`, [source, value]);
    },
    startRun: async ({ kind, startedAt, lease }) =>
      toRun(
        await one<RunRow>(
          `INSERT INTO ${s}.runs (id, kind, started_at, started_ms, finished_at, status, summary, lease)
           VALUES ($1, $2, $3, $4, NULL, 'running', '{}', $5) RETURNING *`,
          [randomUUID(), kind, startedAt, isoToMs(startedAt, 'startedAt'), lease ?? null],
        ),
      ),
    finishRun: async ({ id, finishedAt, status, summary }) => {
      const { rowCount } = await db.query(`UPDATE ${s}.runs SET finished_at = $1, status = $2, summary = $3 WHERE id = $4`, [
        finishedAt,
        status,
        JSON.stringify(summary),
        id,
      ]);
      if (rowCount === 0) throw new Error(`finishRun: no run ${id}`);
    },
    recordOutcomes: async (outcomes) => {
      if (outcomes.length === 0) return;
      // One statement, so the batch lands whole; ORDER BY ord keeps the caller's order in seq.
      await db.query(
        `INSERT INTO ${s}.run_outcomes (run_id, record_key, action, result, detail)
         SELECT r, k, a, res, d FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(r, k, a, res, d, ord)
         ORDER BY ord`,
        [outcomes.map((o) => o.runId), outcomes.map((o) => o.recordKey), outcomes.map((o) => o.action), outcomes.map((o) => o.result), outcomes.map((o) => o.detail)],
      );
    },
    listRuns: async (limit) =>
      (await db.query<RunRow>(`SELECT * FROM ${s}.runs ORDER BY started_ms DESC, seq DESC LIMIT $1`, [assertLimit(limit)])).rows.map(toRun),
    listOutcomes: async (runId) =>
      (await db.query<OutcomeRow>(`SELECT * FROM ${s}.run_outcomes WHERE run_id = $1 ORDER BY seq`, [runId])).rows.map(toOutcome),
    // `failedAt` is this failure's time; the input's `lastFailedAt` (the contract type keeps it) is not read.
    recordFailure: async (f) =>
      toFailure(
        await one<FailureRow>(
          `INSERT INTO ${s}.failures AS f (key, operation, reason, error_kind, payload, attempts, first_failed_at, last_failed_at, next_attempt_at, next_attempt_ms)
           VALUES ($1, $2, $3, $4, $5, 1, $6, $6, $7, $8)
           ON CONFLICT (key) DO UPDATE SET operation = EXCLUDED.operation, reason = EXCLUDED.reason, error_kind = EXCLUDED.error_kind,
             payload = EXCLUDED.payload, attempts = f.attempts + 1, last_failed_at = EXCLUDED.last_failed_at,
             next_attempt_at = EXCLUDED.next_attempt_at, next_attempt_ms = EXCLUDED.next_attempt_ms
           RETURNING *`,
          [f.key, f.operation, f.reason, f.errorKind, encodeUnknown(f.payload), f.failedAt, f.nextAttemptAt, isoToMs(f.nextAttemptAt, 'nextAttemptAt')],
        ),
      ),
    clearFailure: async (key) => {
      await db.query(`DELETE FROM ${s}.failures WHERE key = $1`, [key]);
    },
    // Due means nextAttemptAt <= dueBefore, compared as instants, not as strings.
    listFailures: async (listArgs) => {
      const due = listArgs?.dueBefore;
      // LIMIT NULL is no limit in PostgreSQL.
      const limit = listArgs?.limit === undefined ? null : assertLimit(listArgs.limit);
      const { rows } =
        due === undefined
          ? await db.query<FailureRow>(`SELECT * FROM ${s}.failures ORDER BY next_attempt_ms, key LIMIT $1`, [limit])
          : await db.query<FailureRow>(`SELECT * FROM ${s}.failures WHERE next_attempt_ms <= $1 ORDER BY next_attempt_ms, key LIMIT $2`, [isoToMs(due, 'dueBefore'), limit]);
      return rows.map(toFailure);
    },
    // Along the due index (next_attempt_ms, key), paged in its collation: nothing due reads
    // nothing. The prefix is a byte range, so it is compared as such ("C").
    listDueFailures: async ({ dueBefore, keyPrefix, after, limit }) => {
      const range = keyPrefixRange(keyPrefix);
      const { rows } = await db.query<FailureRow>(
        `SELECT * FROM ${s}.failures
          WHERE next_attempt_ms <= $1 AND (next_attempt_ms, key) > ($2, $3) AND key COLLATE "C" >= $4 AND ($5::text IS NULL OR key COLLATE "C" < $5)
          ORDER BY next_attempt_ms, key LIMIT $6`,
        [isoToMs(dueBefore, 'dueBefore'), after === undefined ? Number.MIN_SAFE_INTEGER : isoToMs(after.nextAttemptAt, 'after'), after?.key ?? '', range.from, range.to, assertLimit(limit)],
      );
      return rows.map(toFailure);
    },
    failureAttempts: async (keys) =>
      keys.length === 0
        ? new Map()
        : new Map(
            (await db.query<{ key: string; attempts: number }>(`SELECT key, attempts FROM ${s}.failures WHERE key = ANY($1::text[])`, [keys])).rows.map((r) => [r.key, Number(r.attempts)]),
          ),
    retryFailureNow: async (key, now) =>
      ((await db.query(`UPDATE ${s}.failures SET next_attempt_at = $1, next_attempt_ms = $2 WHERE key = $3`, [now, isoToMs(now, 'now'), key])).rowCount ?? 0) > 0,
    holdConflict: async (c) =>
      toConflict(
        await one<ConflictRow>(
          `INSERT INTO ${s}.conflicts (id, link_id, path, base, crm_value, partner_center_value, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
          [randomUUID(), c.linkId, c.path, encodeUnknown(c.base), encodeUnknown(c.crmValue), encodeUnknown(c.partnerCenterValue), c.createdAt],
        ),
      ),
    // `open: true` lists only the unresolved conflicts; `open: false` lists all, history included.
    listConflicts: async ({ open, linkId, limit }) => {
      const params: unknown[] = linkId === undefined ? [] : [linkId];
      const where = [...(open ? ['resolved_at IS NULL'] : []), ...(linkId === undefined ? [] : ['link_id = $1'])];
      const filter = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
      params.push(limit === undefined ? null : assertLimit(limit));
      const { rows } = await db.query<ConflictRow>(`SELECT * FROM ${s}.conflicts ${filter} ORDER BY seq LIMIT $${params.length}`, params);
      return rows.map(toConflict);
    },
    resolveConflict: async ({ id, resolution, value, at }) => {
      // Only an open conflict is resolved: null tells the caller someone else resolved it first.
      const { rows } = await db.query<ConflictRow>(
        `UPDATE ${s}.conflicts SET resolved_at = $1, resolution = $2, resolved_value = $3 WHERE id = $4 AND resolved_at IS NULL RETURNING *`,
        [at, resolution, encodeUnknown(value), id],
      );
      const row = rows[0];
      return row === undefined ? null : toConflict(row);
    },
    getBlob: async (name) => (await db.query<{ value: Buffer }>(`SELECT value FROM ${s}.blobs WHERE name = $1`, [name])).rows[0]?.value ?? null,
    putBlob: async (name, value) => {
      await db.query(`INSERT INTO ${s}.blobs (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`, [name, value]);
    },
  };
}
