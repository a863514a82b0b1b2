/**
 * A loop's view of the store under its lease: every write first checks, in the same transaction,
 * that the loop's fencing token is still current (`assertLease`), and is refused with
 * `LeaseLostError` otherwise. The holder can also stop writes locally at once (`refuse`), before
 * the store would notice, when renewal failed or shutdown passed its grace period.
 */
import type { Clock } from '../core/clock.js';
import { LeaseLostError } from './errors.js';
import type { StoreOps } from './guarded-store.js';
import type { StateStore } from './types.js';

/**
 * Every store operation by what it does, so a new operation must be classified here to compile:
 * `read` passes through, `write` runs fenced, `lease` is lease bookkeeping (never fenced).
 */
const OPERATIONS = {
  getLink: 'read',
  findLinksByCrmIds: 'read',
  findLinksByReferralIds: 'read',
  findLinksByEngagementIds: 'read',
  saveLink: 'write',
  listLinks: 'read',
  hasLinks: 'read',
  countLinks: 'read',
  getCursor: 'read',
  setCursor: 'write',
  startRun: 'write',
  finishRun: 'write',
  recordOutcomes: 'write',
  listRuns: 'read',
  listOutcomes: 'read',
  recordFailure: 'write',
  clearFailure: 'write',
  listFailures: 'read',
  listDueFailures: 'read',
  failureAttempts: 'read',
  retryFailureNow: 'write',
  holdConflict: 'write',
  listConflicts: 'read',
  resolveConflict: 'write',
  acquireLease: 'lease',
  renewLease: 'lease',
  releaseLease: 'lease',
  getLease: 'lease',
  assertLease: 'lease',
  getBlob: 'read',
  putBlob: 'write',
  noteReferrals: 'write',
  listReferralFacts: 'read',
  listAwaitingAnswer: 'read',
  claimReminder: 'write',
  settleReminder: 'write',
  listReminders: 'read',
  getRegistration: 'read',
  saveRegistration: 'write',
  listRegistrations: 'read',
  appendHistory: 'write',
  listHistory: 'read',
  prune: 'write',
  countOpen: 'read',
  lastRun: 'read',
  takeWebhookEvent: 'write',
} as const satisfies Record<keyof StoreOps, 'read' | 'write' | 'lease'>;

/** The lease a fenced store writes under, as its holder sees it. */
export interface Fence {
  name: string;
  token: number;
  /** Why writes must stop now (renewal failed, shutdown), or null while the holder believes it holds the lease. */
  refusal(): string | null;
}

type Method = (...args: unknown[]) => Promise<unknown>;

export function fencedStore(args: { store: StateStore; fence: Fence; clock: Clock }): StateStore {
  const { store, fence, clock } = args;
  /** Said before touching the store: after shutdown the store may already be closed. */
  const refuseLocally = (): void => {
    const refusal = fence.refusal();
    if (refusal !== null) throw new LeaseLostError(fence.name, fence.token, refusal);
  };
  const check = async (tx: StateStore): Promise<void> => {
    refuseLocally();
    await tx.assertLease({ name: fence.name, token: fence.token, now: clock.now().toISOString() });
  };
  const fencedTransaction = async <T>(fn: (tx: StateStore) => Promise<T>): Promise<T> => {
    refuseLocally();
    return store.transaction(async (tx) => (await check(tx), fn(tx)));
  };
  // The facade is built from the table above; indexing by name needs the untyped view of both.
  const fenced: Record<string, unknown> = {
    transaction: fencedTransaction,
    close: () => store.close(),
  };
  const raw = store as unknown as Record<string, Method>;
  for (const [method, kind] of Object.entries(OPERATIONS)) {
    const call = raw[method];
    if (call === undefined) throw new Error(`the store has no ${method}()`);
    fenced[method] =
      kind !== 'write'
        ? call.bind(store)
        : (...callArgs: unknown[]) =>
            fencedTransaction(async (tx) => {
              const target = (tx as unknown as Record<string, Method>)[method] as Method;
              // Runs started under a lease remember it, so a takeover can mark them abandoned.
              return target.apply(tx, method === 'startRun' ? [{ ...(callArgs[0] as object), lease: fence.name }] : callArgs);
            });
  }
  return fenced as unknown as StateStore;
}
