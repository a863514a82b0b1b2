/**
 * Record history: what the sync did to one record, event by event (read, written with the values
 * before and after, skipped with its reason, failed, held as a conflict, resolved by a person),
 * so "what happened to this deal?" is answered from the store, never from logs. Also the
 * retention of runs, outcomes and history, which would otherwise grow for ever, and what metrics
 * and readiness read from the store on every scrape.
 */

import type { RunRecord } from './run-record.js';

export const HISTORY_EVENTS = ['read', 'written', 'skipped', 'failed', 'held', 'resolved'] as const;
export type HistoryEvent = (typeof HISTORY_EVENTS)[number];

/** One field of a write: its value before (the last synced value, when known) and after. */
export interface FieldChange {
  /** The field as the mapping names it (a referral path such as `details.dealValue`). */
  field: string;
  /** Which side was written: `partnerCenter`, `salesforce`, `dynamics`. */
  target: string;
  /** Absent when the value before is not known (a create has none). */
  before?: unknown;
  after: unknown;
}

export interface HistoryEntry {
  /** ISO-8601 time of the event. */
  at: string;
  /** The sync run it happened in; null for what a person did (a conflict resolved). */
  runId: string | null;
  /** The engine's key: `salesforce:opportunity:006…` or `referral:<id>`. */
  recordKey: string;
  crmId: string | null;
  referralId: string | null;
  event: HistoryEvent;
  /** What was done or tried: `outbound`, `createReferral`, `updateCrm`, `resolve`, … */
  action: string;
  /** The reason of a skip or a failure, a note of a write; contact details redacted. */
  detail: string | null;
  /** The fields of a write or a conflict, values redacted; empty for other events. */
  changes: FieldChange[];
}

/** A stored entry, with the order it was stored in. */
export interface HistoryRecord extends HistoryEntry {
  seq: number;
}

/** How much of the run history the store keeps; null keeps everything of that kind. */
export interface Retention {
  /** Runs, their outcomes and record history older than this (ISO-8601) are deleted. */
  olderThan: string | null;
  /** Only the newest this many runs (and their outcomes) are kept. */
  keepRuns: number | null;
  /**
   * At most the newest this many history entries are kept (counted by the order they were stored
   * in: a number left unused by a write rolled back counts as one).
   */
  keepHistoryRows: number | null;
  /**
   * At most this many runs (with their outcomes) and this many history entries deleted by each
   * rule in one call, so a large backlog goes in short transactions (call again until nothing is
   * deleted); absent, everything due goes at once.
   */
  batch?: number;
}

export interface Pruned {
  runs: number;
  outcomes: number;
  history: number;
}

export interface HistoryStoreOps {
  appendHistory(entries: readonly HistoryEntry[]): Promise<void>;
  /**
   * The entries about any of these CRM ids or referral ids, newest first (by time, then by the
   * order stored), at most `limit`.
   */
  listHistory(args: { crmIds: readonly string[]; referralIds: readonly string[]; limit: number }): Promise<HistoryRecord[]>;
  /** Deletes what `retention` no longer keeps; a run still going is never deleted. */
  prune(retention: Retention): Promise<Pruned>;
  /** Failed records and held conflicts waiting now (for metrics, read on every scrape). */
  countOpen(): Promise<{ failures: number; conflicts: number }>;
  /** The newest finished run of `kind` (with `status` when given), or null. */
  lastRun(args: { kind: string; status?: RunRecord['status'] }): Promise<RunRecord | null>;
}
