/** Record history rows as both stores hold them, and their mapping to the contract types. */
import type { FieldChange, HistoryEntry, HistoryEvent, HistoryRecord } from './history-types.js';
import { isoToMs } from './row-mapping.js';

export interface HistoryRow {
  seq: number | string;
  at: string;
  run_id: string | null;
  record_key: string;
  crm_id: string | null;
  referral_id: string | null;
  event: string;
  action: string;
  detail: string | null;
  changes: string;
}

/** Column order of inserts; `historyValues` yields values in this order. */
export const HISTORY_COLUMNS = ['at', 'at_ms', 'run_id', 'record_key', 'crm_id', 'referral_id', 'event', 'action', 'detail', 'changes'] as const;

export function historyValues(entry: HistoryEntry): (string | number | null)[] {
  return [
    entry.at,
    isoToMs(entry.at, 'at'),
    entry.runId,
    entry.recordKey,
    entry.crmId,
    entry.referralId,
    entry.event,
    entry.action,
    entry.detail,
    JSON.stringify(entry.changes),
  ];
}

export function toHistory(row: HistoryRow): HistoryRecord {
  return {
    // PostgreSQL returns bigint as text; SQLite as a number.
    seq: Number(row.seq),
    at: row.at,
    runId: row.run_id,
    recordKey: row.record_key,
    crmId: row.crm_id,
    referralId: row.referral_id,
    event: row.event as HistoryEvent,
    action: row.action,
    detail: row.detail,
    changes: JSON.parse(row.changes) as FieldChange[],
  };
}
