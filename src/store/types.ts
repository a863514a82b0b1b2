/**
 * The state store: everything that must survive a restart. Implemented on SQLite
 * (the default) and PostgreSQL (scale-out); both pass test/store/store.contract.ts.
 * All methods are async so the two implementations share one contract.
 */
import type { CrmObjectKind, CrmSystem } from '../domain/crm-record.js';
import type { HealthStoreOps } from './health-types.js';
import type { LeaseStoreOps } from './lease-types.js';
import type { HistoryStoreOps } from './history-types.js';
import type { WebhookStoreOps } from './webhook-types.js';
import type { RunRecord } from './run-record.js';

export type { RunRecord };

/** Snapshot values keyed by referral path, as the mappings project them (the three-way base). */
export type Snapshot = Record<string, unknown>;

export const LINK_STATES = ['creating', 'linked', 'writeBackPending', 'closed', 'unlinked', 'held'] as const;
export type LinkState = (typeof LINK_STATES)[number];

export interface Link {
  id: string;
  crmSystem: CrmSystem;
  crmKind: CrmObjectKind;
  /** Null while an inbound create has not yet reached the CRM. */
  crmId: string | null;
  /** Null while an outbound create has not yet reached Partner Center. */
  referralId: string | null;
  engagementId: string | null;
  origin: 'crm' | 'partnerCenter';
  state: LinkState;
  /** The last synced values, by referral path. */
  snapshot: Snapshot;
  crmVersion: string | null;
  referralETag: string | null;
  /** ISO-8601 deadline for answering an inbound referral, when it has one. */
  respondBy: string | null;
  /**
   * The Microsoft-side referral of a co-sell once it is known to exist (created by us, or found in
   * the engagement); null while the invitation is still to be made, or for other deal types.
   */
  microsoftSideId: string | null;
  /** Bumped by every save; a save based on an older revision is refused (`StaleLinkError`). */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * What `saveLink` takes. With `revision`, the save happens only if the stored link is still at that
 * revision (optimistic concurrency between loops and instances); without it, it is unconditional.
 */
export type LinkInput = Omit<Link, 'id' | 'createdAt' | 'updatedAt' | 'revision' | 'microsoftSideId'> & {
  id?: string;
  revision?: number;
  microsoftSideId?: string | null;
};

export interface RunOutcome {
  runId: string;
  recordKey: string;
  action: string;
  result: 'written' | 'skipped' | 'failed' | 'held' | 'planned';
  detail: string | null;
}

export interface FailureRecord {
  /** Stable key of the thing that failed, e.g. `salesforce:opportunity:006...` or `referral:<id>`. */
  key: string;
  operation: string;
  reason: string;
  errorKind: string;
  payload: unknown;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
  nextAttemptAt: string;
}

export interface ConflictRecord {
  id: string;
  linkId: string;
  path: string;
  base: unknown;
  crmValue: unknown;
  partnerCenterValue: unknown;
  createdAt: string;
  resolvedAt: string | null;
  resolution: 'crm' | 'partnerCenter' | 'value' | null;
  resolvedValue: unknown;
}

/**
 * Everything that must survive a restart; co-sell health's operations are in health-types.ts,
 * record history's in history-types.ts, the webhook replay memory's in webhook-types.ts.
 */
export interface StateStore extends HealthStoreOps, HistoryStoreOps, LeaseStoreOps, WebhookStoreOps {
  /** Runs `fn` in one transaction: everything it writes commits together or not at all. */
  transaction<T>(fn: (tx: StateStore) => Promise<T>): Promise<T>;

  getLink(id: string): Promise<Link | null>;
  findLinksByCrmIds(system: CrmSystem, crmIds: readonly string[]): Promise<Link[]>;
  findLinksByReferralIds(referralIds: readonly string[]): Promise<Link[]>;
  /** Links whose referral belongs to one of these engagements (to route Microsoft-side changes). */
  findLinksByEngagementIds(engagementIds: readonly string[]): Promise<Link[]>;
  saveLink(link: LinkInput): Promise<Link>;
  listLinks(args: { state?: LinkState; limit: number; afterId?: string }): Promise<Link[]>;
  /** Whether any link of this CRM object kind exists (an index seek, never a scan). */
  hasLinks(args: { crmSystem: CrmSystem; crmKind: CrmObjectKind }): Promise<boolean>;
  countLinks(): Promise<number>;

  getCursor(source: string): Promise<string | null>;
  setCursor(source: string, value: string): Promise<void>;

  /** `lease`: the lease the run works under; its runs still `running` when the lease changes hands are abandoned. */
  startRun(args: { kind: string; startedAt: string; lease?: string }): Promise<RunRecord>;
  finishRun(args: { id: string; finishedAt: string; status: RunRecord['status']; summary: Record<string, number> }): Promise<void>;
  recordOutcomes(outcomes: readonly RunOutcome[]): Promise<void>;
  listRuns(limit: number): Promise<RunRecord[]>;
  listOutcomes(runId: string): Promise<RunOutcome[]>;

  recordFailure(failure: Omit<FailureRecord, 'attempts' | 'firstFailedAt'> & { failedAt: string }): Promise<FailureRecord>;
  clearFailure(key: string): Promise<void>;
  /**
   * The failures (or those due by `dueBefore`), soonest due first, at most `limit` of them: for
   * people, not for cycles. `countOpen` gives how many there are in all.
   */
  listFailures(args?: { dueBefore?: string; limit?: number }): Promise<FailureRecord[]>;
  /**
   * One page of the failures due by `dueBefore`, soonest due first (then by key), after `after`
   * (the last of the previous page): what a cycle retries. In the order of the due index, so a
   * cycle with nothing due reads nothing, however many failures wait for later. With
   * `keyPrefix`, only keys that start with it (one CRM's records, or `referral:`).
   */
  listDueFailures(args: { dueBefore: string; keyPrefix?: string; after?: Pick<FailureRecord, 'nextAttemptAt' | 'key'>; limit: number }): Promise<FailureRecord[]>;
  /** Attempts so far of those of `keys` that have a failure (one page of records at a time). */
  failureAttempts(keys: readonly string[]): Promise<Map<string, number>>;
  /** Makes a failure due now (an admin fixed the data). Returns false when there is none. */
  retryFailureNow(key: string, now: string): Promise<boolean>;

  holdConflict(conflict: Omit<ConflictRecord, 'id' | 'resolvedAt' | 'resolution' | 'resolvedValue'>): Promise<ConflictRecord>;
  /** Conflicts oldest first (only the unresolved ones when `open`), at most `limit` of them. */
  listConflicts(args: { open: boolean; linkId?: string; limit?: number }): Promise<ConflictRecord[]>;
  resolveConflict(args: { id: string; resolution: NonNullable<ConflictRecord['resolution']>; value: unknown; at: string }): Promise<ConflictRecord | null>;

  /** Small opaque blobs (the encrypted token cache). */
  getBlob(name: string): Promise<Buffer | null>;
  putBlob(name: string, value: Buffer): Promise<void>;

  close(): Promise<void>;
}
