/** Record history and retention of the PostgreSQL store. */
import { HISTORY_COLUMNS, historyValues, toHistory, type HistoryRow } from './history-rows.js';
import type { HistoryStoreOps, Pruned } from './history-types.js';
import type { Queryable } from './postgres-queryable.js';
import { assertLimit, isoToMs, toRun, type RunRow } from './row-mapping.js';
import { checkedRetention } from './sqlite-history-ops.js';

const placeholders = (from: number, n: number): string => Array.from({ length: n }, (_, i) => `$${from + i}`).join(', ');

export function postgresHistoryOps(args: { db: Queryable; s: string }): HistoryStoreOps {
  const { db, s } = args;
  const count = async (sql: string, values: unknown[]): Promise<number> => (await db.query(sql, values)).rowCount ?? 0;
  /** Deletes the runs `doomed` selects and their outcomes, in one statement (one snapshot: no outcome outlives its run). */
  const dropRuns = async (doomed: string, values: unknown[], pruned: Pruned): Promise<void> => {
    const { rows } = await db.query<{ runs: number; outcomes: number }>(
      `WITH doomed AS (${doomed}),
       gone_outcomes AS (DELETE FROM ${s}.run_outcomes WHERE run_id IN (SELECT id FROM doomed) RETURNING 1),
       gone_runs AS (DELETE FROM ${s}.runs WHERE id IN (SELECT id FROM doomed) RETURNING 1)
       SELECT (SELECT count(*) FROM gone_runs)::int AS runs, (SELECT count(*) FROM gone_outcomes)::int AS outcomes`,
      values,
    );
    pruned.runs += rows[0]?.runs ?? 0;
    pruned.outcomes += rows[0]?.outcomes ?? 0;
  };
  return {
    appendHistory: async (entries) => {
      if (entries.length === 0) return;
      const width = HISTORY_COLUMNS.length;
      const rows = entries.map((_, i) => `(${placeholders(i * width + 1, width)})`).join(', ');
      // One statement, so a batch lands whole and in the caller's order.
      await db.query(`INSERT INTO ${s}.record_history (${HISTORY_COLUMNS.join(', ')}) VALUES ${rows}`, entries.flatMap(historyValues));
    },
    listHistory: async ({ crmIds, referralIds, limit }) => {
      if (crmIds.length === 0 && referralIds.length === 0) return [];
      const { rows } = await db.query<HistoryRow>(
        `SELECT * FROM ${s}.record_history WHERE crm_id = ANY($1::text[]) OR referral_id = ANY($2::text[])
         ORDER BY at_ms DESC, seq DESC LIMIT $3`,
        [crmIds, referralIds, assertLimit(limit)],
      );
      return rows.map(toHistory);
    },
    countOpen: async () => {
      const { rows } = await db.query<{ failures: number; conflicts: number }>(
        `SELECT (SELECT count(*)::int FROM ${s}.failures) AS failures, (SELECT count(*)::int FROM ${s}.conflicts WHERE resolved_at IS NULL) AS conflicts`,
      );
      return { failures: rows[0]?.failures ?? 0, conflicts: rows[0]?.conflicts ?? 0 };
    },
    // Newest first by insertion: the scan stops at the first match, a few rows back at most.
    lastRun: async ({ kind, status }) => {
      const { rows } = await db.query<RunRow>(
        `SELECT * FROM ${s}.runs WHERE kind = $1 AND finished_at IS NOT NULL AND ($2::text IS NULL OR status = $2) ORDER BY seq DESC LIMIT 1`,
        [kind, status ?? null],
      );
      return rows[0] === undefined ? null : toRun(rows[0]);
    },
    prune: async (given) => {
      const retention = checkedRetention(given);
      const pruned: Pruned = { runs: 0, outcomes: 0, history: 0 };
      // LIMIT NULL is no limit.
      const batch = retention.batch ?? null;
      if (retention.olderThan !== null) {
        const ms = isoToMs(retention.olderThan, 'olderThan');
        await dropRuns(`SELECT id FROM ${s}.runs WHERE started_ms < $1 ORDER BY started_ms, seq LIMIT $2`, [ms, batch], pruned);
        pruned.history += await count(
          `DELETE FROM ${s}.record_history WHERE seq IN (SELECT seq FROM ${s}.record_history WHERE at_ms < $1 ORDER BY at_ms, seq LIMIT $2)`,
          [ms, batch],
        );
      }
      if (retention.keepRuns !== null) {
        // A run still going is never among those dropped for the count: its loop will finish it.
        await dropRuns(`SELECT id FROM ${s}.runs WHERE status <> 'running' ORDER BY started_ms DESC, seq DESC LIMIT $2 OFFSET $1`, [retention.keepRuns, batch], pruned);
      }
      if (retention.keepHistoryRows !== null) {
        pruned.history += await count(
          `DELETE FROM ${s}.record_history WHERE seq IN (SELECT seq FROM ${s}.record_history
             WHERE seq <= (SELECT max(seq) FROM ${s}.record_history) - $1 ORDER BY seq LIMIT $2)`,
          [retention.keepHistoryRows, batch],
        );
      }
      return pruned;
    },
  };
}
