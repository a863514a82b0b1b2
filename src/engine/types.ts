/**
 * What the engine is handed by the composition root and what it hands back.
 */
import type { Logger } from 'pino';
import type { CrmConnector, Notification, PartnerCenterConnector } from '../../connectors/types.js';
import type { Mapping, MappingContext } from '../../mappings/index.js';
import type { Clock } from '../core/clock.js';
import type { CrmSystem } from '../domain/crm-record.js';
import type { Referral } from '../domain/referral.js';
import type { StateStore } from '../store/types.js';

/** One CRM the daemon syncs: its connector and its mapping. */
export interface CrmSide {
  system: CrmSystem;
  connector: CrmConnector;
  mapping: Mapping;
}

export type DeletePolicy = 'closeAsLost' | 'unlink' | 'hold';

export interface EngineOptions {
  deletePolicy: DeletePolicy;
  /** Plan only: nothing is written anywhere, not even the state store. */
  dryRun: boolean;
  retry: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number };
  /** Referral writes in flight at once (the connector's limiter still applies). */
  writeConcurrency: number;
}

export interface EngineDeps {
  store: StateStore;
  partnerCenter: PartnerCenterConnector;
  /** The CRMs; inbound referrals land in the first one. */
  crms: readonly CrmSide[];
  logger: Logger;
  clock: Clock;
  ctx: MappingContext;
  options: EngineOptions;
  /** Operator notifications (a new inbound referral); absent when none are configured. */
  notify?: (notification: Notification) => void;
  /** Told of every page of referrals read from Partner Center, before it is applied (co-sell health). */
  onReferralsRead?: (store: StateStore, referrals: readonly Referral[]) => Promise<void>;
  /** Called for every record outcome (metrics). */
  onOutcome?: (outcome: { direction: Direction; system: string; result: OutcomeResult }) => void;
}

export type Direction = 'outbound' | 'inbound';
export type OutcomeResult = 'written' | 'skipped' | 'failed' | 'held' | 'planned';

/** One line of a plan: what would be (or was) written, field by field. */
export interface PlannedWrite {
  target: 'partnerCenter' | CrmSystem;
  operation: 'create' | 'update' | 'statusChange' | 'writeBack' | 'hold' | 'close' | 'link';
  recordKey: string;
  fields: Record<string, unknown>;
  note: string | null;
  /** The last synced values (by the same keys as `fields`), for the record history; absent for a create. */
  before?: Record<string, unknown>;
}

export interface CycleReport {
  runId: string;
  direction: Direction | 'both';
  read: number;
  written: number;
  skipped: number;
  failed: number;
  held: number;
  /** Dry run: every write it would make. A real run keeps its writes in the record history instead. */
  plan: PlannedWrite[];
  /** Dry run: the records that would fail, with the reason (nothing is stored). */
  wouldFail: { recordKey: string; operation: string; reason: string }[];
}

export function emptyReport(runId: string, direction: CycleReport['direction']): CycleReport {
  return { runId, direction, read: 0, written: 0, skipped: 0, failed: 0, held: 0, plan: [], wouldFail: [] };
}
