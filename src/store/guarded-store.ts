/**
 * Both stores implement the data operations once (`StoreOps`) and expose them several ways:
 * as the store itself and as the handle a transaction passes to its `fn`. The difference between
 * those is only the guard each call passes through (a lock, a "still open" check), so the facade
 * is written once here, method by method, and type-checked against the contract.
 */
import type { StateStore } from './types.js';

/** Everything a store does except opening transactions and closing. */
export type StoreOps = Omit<StateStore, 'transaction' | 'close'>;

/** Wraps one call: may wait for a lock, may refuse because the scope is closed or misused. */
export type Guard = <T>(call: () => Promise<T>, method: string) => Promise<T>;

/** A StateStore whose every data call runs `ops` through `guard`. */
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
    getLink: (id) => guard(() => ops.getLink(id), 'getLink'),
    findLinksByCrmIds: (system, crmIds) => guard(() => ops.findLinksByCrmIds(system, crmIds), 'findLinksByCrmIds'),
    findLinksByReferralIds: (referralIds) => guard(() => ops.findLinksByReferralIds(referralIds), 'findLinksByReferralIds'),
    findLinksByEngagementIds: (engagementIds) => guard(() => ops.findLinksByEngagementIds(engagementIds), 'findLinksByEngagementIds'),
    saveLink: (link) => guard(() => ops.saveLink(link), 'saveLink'),
    listLinks: (listArgs) => guard(() => ops.listLinks(listArgs), 'listLinks'),
    countLinks: () => guard(() => ops.countLinks(), 'countLinks'),
    hasLinks: (args) => guard(() => ops.hasLinks(args), 'hasLinks'),
    getCursor: (source) => guard(() => ops.getCursor(source), 'getCursor'),
    setCursor: (source, value) => guard(() => ops.setCursor(source, value), 'setCursor'),
    startRun: (runArgs) => guard(() => ops.startRun(runArgs), 'startRun'),
    finishRun: (runArgs) => guard(() => ops.finishRun(runArgs), 'finishRun'),
    recordOutcomes: (outcomes) => guard(() => ops.recordOutcomes(outcomes), 'recordOutcomes'),
    listRuns: (limit) => guard(() => ops.listRuns(limit), 'listRuns'),
    listOutcomes: (runId) => guard(() => ops.listOutcomes(runId), 'listOutcomes'),
    recordFailure: (failure) => guard(() => ops.recordFailure(failure), 'recordFailure'),
    clearFailure: (key) => guard(() => ops.clearFailure(key), 'clearFailure'),
    listFailures: (listArgs) => guard(() => ops.listFailures(listArgs), 'listFailures'),
    listDueFailures: (listArgs) => guard(() => ops.listDueFailures(listArgs), 'listDueFailures'),
    failureAttempts: (keys) => guard(() => ops.failureAttempts(keys), 'failureAttempts'),
    retryFailureNow: (key, now) => guard(() => ops.retryFailureNow(key, now), 'retryFailureNow'),
    holdConflict: (conflict) => guard(() => ops.holdConflict(conflict), 'holdConflict'),
    listConflicts: (listArgs) => guard(() => ops.listConflicts(listArgs), 'listConflicts'),
    resolveConflict: (resolveArgs) => guard(() => ops.resolveConflict(resolveArgs), 'resolveConflict'),
    acquireLease: (leaseArgs) => guard(() => ops.acquireLease(leaseArgs), 'acquireLease'),
    renewLease: (leaseArgs) => guard(() => ops.renewLease(leaseArgs), 'renewLease'),
    releaseLease: (leaseArgs) => guard(() => ops.releaseLease(leaseArgs), 'releaseLease'),
    getLease: (name) => guard(() => ops.getLease(name), 'getLease'),
    assertLease: (leaseArgs) => guard(() => ops.assertLease(leaseArgs), 'assertLease'),
    getBlob: (name) => guard(() => ops.getBlob(name), 'getBlob'),
    putBlob: (name, value) => guard(() => ops.putBlob(name, value), 'putBlob'),
    noteReferrals: (facts) => guard(() => ops.noteReferrals(facts), 'noteReferrals'),
    listReferralFacts: (listArgs) => guard(() => ops.listReferralFacts(listArgs), 'listReferralFacts'),
    listAwaitingAnswer: (listArgs) => guard(() => ops.listAwaitingAnswer(listArgs), 'listAwaitingAnswer'),
    claimReminder: (claimArgs) => guard(() => ops.claimReminder(claimArgs), 'claimReminder'),
    settleReminder: (settleArgs) => guard(() => ops.settleReminder(settleArgs), 'settleReminder'),
    listReminders: (listArgs) => guard(() => ops.listReminders(listArgs), 'listReminders'),
    getRegistration: (referralId) => guard(() => ops.getRegistration(referralId), 'getRegistration'),
    saveRegistration: (record) => guard(() => ops.saveRegistration(record), 'saveRegistration'),
    listRegistrations: () => guard(() => ops.listRegistrations(), 'listRegistrations'),
    appendHistory: (entries) => guard(() => ops.appendHistory(entries), 'appendHistory'),
    listHistory: (listArgs) => guard(() => ops.listHistory(listArgs), 'listHistory'),
    prune: (retention) => guard(() => ops.prune(retention), 'prune'),
    countOpen: () => guard(() => ops.countOpen(), 'countOpen'),
    lastRun: (runArgs) => guard(() => ops.lastRun(runArgs), 'lastRun'),
    takeWebhookEvent: (eventArgs) => guard(() => ops.takeWebhookEvent(eventArgs), 'takeWebhookEvent'),
  };
}
