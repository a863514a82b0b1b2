/** Record history and retention of the SQLite store. */
import type { Database } from 'better-sqlite3';
import { HISTORY_COLUMNS, historyValues, toHistory, type HistoryRow } from './history-rows.js';
import type { HistoryEntry, HistoryStoreOps, Pruned, Retention } from './history-types.js';
import { assertLimit, isoToMs, toRun, type RunRow } from './row-mapping.js';

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

export function sqliteHistoryOps(args: { db: Database }): HistoryStoreOps {
  const { db } = args;
  const sql = {
    add: db.prepare(`INSERT INTO record_history (${HISTORY_COLUMNS.join(', ')}) VALUES (${marks(HISTORY_COLUMNS.length)})`),
    // Oldest first, at most `batch` (-1: all); run twice in one transaction, the same runs each time.
    outcomesBefore: db.prepare('DELETE FROM run_outcomes WHERE run_id IN (SELECT id FROM runs WHERE started_ms < ? ORDER BY started_ms, seq LIMIT ?)'),
    runsBefore: db.prepare('DELETE FROM runs WHERE seq IN (SELECT seq FROM runs WHERE started_ms < ? ORDER BY started_ms, seq LIMIT ?)'),
    historyBefore: db.prepare('DELETE FROM record_history WHERE seq IN (SELECT seq FROM record_history WHERE at_ms < ? ORDER BY at_ms, seq LIMIT ?)'),
    // A run still going is never among those dropped for the count: its loop will finish it.
    outcomesBeyond: db.prepare(
      "DELETE FROM run_outcomes WHERE run_id IN (SELECT id FROM runs WHERE status <> 'running' ORDER BY started_ms DESC, seq DESC LIMIT ? OFFSET ?)",
    ),
    runsBeyond: db.prepare(
      "DELETE FROM runs WHERE seq IN (SELECT seq FROM runs WHERE status <> 'running' ORDER BY started_ms DESC, seq DESC LIMIT ? OFFSET ?)",
    ),
    openFailures: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM failures'),
    openConflicts: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM conflicts WHERE resolved_at IS NULL'),
    // Newest first by insertion: the scan stops at the first match, a few rows back at most.
    lastRun: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE kind = ? AND finished_at IS NOT NULL ORDER BY seq DESC LIMIT 1'),
    lastRunWith: db.prepare<[string, string], RunRow>('SELECT * FROM runs WHERE kind = ? AND status = ? AND finished_at IS NOT NULL ORDER BY seq DESC LIMIT 1'),
    // Entries are numbered in the order stored: those more than `keep` behind the newest go, read
    // from the primary key at once instead of counting `keep` rows on every call.
    historyBeyond: db.prepare(
      'DELETE FROM record_history WHERE seq IN (SELECT seq FROM record_history WHERE seq <= (SELECT max(seq) FROM record_history) - ? ORDER BY seq LIMIT ?)',
    ),
  };
  // better-sqlite3 turns these into SAVEPOINTs when a store transaction is already open.
  const addAll = db.transaction((entries: readonly HistoryEntry[]) => {
    for (const entry of entries) sql.add.run(...historyValues(entry));
  });
  const pruneAll = db.transaction((retention: Retention): Pruned => {
    const pruned: Pruned = { runs: 0, outcomes: 0, history: 0 };
    const batch = retention.batch ?? -1;
    if (retention.olderThan !== null) {
      const ms = isoToMs(retention.olderThan, 'olderThan');
      pruned.outcomes += sql.outcomesBefore.run(ms, batch).changes;
      pruned.runs += sql.runsBefore.run(ms, batch).changes;
      pruned.history += sql.historyBefore.run(ms, batch).changes;
    }
    if (retention.keepRuns !== null) {
      pruned.outcomes += sql.outcomesBeyond.run(batch, retention.keepRuns).changes;
      pruned.runs += sql.runsBeyond.run(batch, retention.keepRuns).changes;
    }
    if (retention.keepHistoryRows !== null) pruned.history += sql.historyBeyond.run(retention.keepHistoryRows, batch).changes;
    return pruned;
  });

  return {
    appendHistory: async (entries) => {
      if (entries.length > 0) addAll.immediate(entries);
    },
    listHistory: async ({ crmIds, referralIds, limit }) => {
      const where = [
        ...(crmIds.length > 0 ? [`crm_id IN (${marks(crmIds.length)})`] : []),
        ...(referralIds.length > 0 ? [`referral_id IN (${marks(referralIds.length)})`] : []),
      ];
      if (where.length === 0) return [];
      const rows = db
        .prepare<unknown[], HistoryRow>(`SELECT * FROM record_history WHERE ${where.join(' OR ')} ORDER BY at_ms DESC, seq DESC LIMIT ?`)
        .all(...crmIds, ...referralIds, assertLimit(limit));
      return rows.map(toHistory);
    },
    prune: async (retention) => pruneAll.immediate(checkedRetention(retention)),
    countOpen: async () => ({ failures: sql.openFailures.get()?.n ?? 0, conflicts: sql.openConflicts.get()?.n ?? 0 }),
    lastRun: async ({ kind, status }) => {
      const row = status === undefined ? sql.lastRun.get(kind) : sql.lastRunWith.get(kind, status);
      return row === undefined ? null : toRun(row);
    },
  };
}

/** Counts must be whole and not negative: SQLite reads a negative OFFSET as none at all. */
export function checkedRetention(retention: Retention): Retention {
  for (const key of ['keepRuns', 'keepHistoryRows'] as const) {
    const n = retention[key];
    if (n !== null && (!Number.isInteger(n) || n < 0)) throw new RangeError(`${key} must be a whole number of at least 0, got ${n}`);
  }
  const { batch } = retention;
  if (batch !== undefined && (!Number.isInteger(batch) || batch < 1)) throw new RangeError(`batch must be a whole number of at least 1, got ${batch}`);
  return retention;
}
