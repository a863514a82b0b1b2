/**
 * Both stores implement the data operations once (`StoreOps`) and expose them several ways:
 * as the store itself and as the handle a transaction passes to its `fn`. The difference between
 * those is only the guard each call passes through (a lock, a "still open" check), so the facade
 * is written once here, method by method, and type-checked against the contract.
 */
import type { StateStore } from './types.js';

/** Everything a store does except opening transactions and closing. */
export type StoreOps = Omit<StateStore, 'transaction' | 'close'>;

/** Wraps one call: may wait for a lock, may refuse because the scope is closed. */
export type Guard = <T>(call: () => Promise<T>) => Promise<T>;

export function guardedStore(args: {
  ops: StoreOps;
  guard: Guard;
  transaction: StateStore['transaction'];
  close: StateStore['close'];
}): StateStore {
  const { ops, guard } = args;
  return {
    transaction: args.transaction,
    close: args.close,
    getLink: (id) => guard(() => ops.getLink(id)),
    findLinksByCrmIds: (system, crmIds) => guard(() => ops.findLinksByCrmIds(system, crmIds)),
    findLinksByReferralIds: (referralIds) => guard(() => ops.findLinksByReferralIds(referralIds)),
    findLinksByEngagementIds: (engagementIds) => guard(() => ops.findLinksByEngagementIds(engagementIds)),
    saveLink: (link) => guard(() => ops.saveLink(link)),
    listLinks: (listArgs) => guard(() => ops.listLinks(listArgs)),
    countLinks: () => guard(() => ops.countLinks()),
    getCursor: (source) => guard(() => ops.getCursor(source)),
    setCursor: (source, value) => guard(() => ops.setCursor(source, value)),
    startRun: (runArgs) => guard(() => ops.startRun(runArgs)),
    finishRun: (runArgs) => guard(() => ops.finishRun(runArgs)),
    recordOutcomes: (outcomes) => guard(() => ops.recordOutcomes(outcomes)),
    listRuns: (limit) => guard(() => ops.listRuns(limit)),
    listOutcomes: (runId) => guard(() => ops.listOutcomes(runId)),
    recordFailure: (failure) => guard(() => ops.recordFailure(failure)),
    clearFailure: (key) => guard(() => ops.clearFailure(key)),
    listFailures: (listArgs) => guard(() => ops.listFailures(listArgs)),
    retryFailureNow: (key, now) => guard(() => ops.retryFailureNow(key, now)),
    holdConflict: (conflict) => guard(() => ops.holdConflict(conflict)),
    listConflicts: (listArgs) => guard(() => ops.listConflicts(listArgs)),
    resolveConflict: (resolveArgs) => guard(() => ops.resolveConflict(resolveArgs)),
    acquireLease: (leaseArgs) => guard(() => ops.acquireLease(leaseArgs)),
    releaseLease: (leaseArgs) => guard(() => ops.releaseLease(leaseArgs)),
    getBlob: (name) => guard(() => ops.getBlob(name)),
    putBlob: (name, value) => guard(() => ops.putBlob(name, value)),
  };
}
