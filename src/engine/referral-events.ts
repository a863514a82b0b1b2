/**
 * Referrals named by webhooks, as a pipeline: ids are fetched from Partner Center as they come,
 * a bounded number at a time, and what was fetched lands in the CRM in groups, one group at a
 * time. A group is whatever was fetched while the group before it was being written (or, with
 * the lander idle, once as many are fetched as are still being fetched: see `landNow`): a burst
 * lands in a few groups close behind its first events, none waits for the slowest fetch of the
 * burst, and CRM writes stay batched. An id is never fetched again while it is being fetched or
 * landed: a later event for it is fetched after it landed, so its newer state is what lands next. Deliveries are duplicated and unordered (Partner Center docs, "Partner
 * Center webhooks"); a referral that cannot be read is left to the reconciliation poll.
 */
import type { Referral } from '../domain/referral.js';
import { runReferralGroup } from './cycle.js';
import type { CycleReport, EngineDeps } from './types.js';

/**
 * Whether the idle lander starts a group with the `ready` referrals now, or first waits for one
 * of the `fetching` reads to end. A group costs several CRM round trips one after another
 * whatever its size, a read one: while fewer are ready than are being read, waiting costs less
 * than a group. It never waits for more than the reads under way: a slow read holds a group
 * back only until as many others are ready.
 */
export function landNow(args: { ready: number; fetching: number }): boolean {
  return args.ready > 0 && args.ready >= args.fetching;
}

/** Where the ids come from (the daemon's webhook event queue). */
export interface ReferralIdSource {
  /** Up to `max` ids to fetch now (none when nothing is waiting); each is the caller's until settled. */
  take(max: number): string[];
  /** Resolves once `take` would give something, or when `signal` aborts. */
  whenReady(signal: AbortSignal): Promise<void>;
  /** These ids were landed, or given up: a later event for one of them can be taken again. */
  settle(ids: readonly string[]): void;
}

/**
 * Fetches and lands until nothing is waiting or in flight; one run per group. `signal` (shutdown,
 * a lost lease) stops it: fetches end, nothing more lands, and it throws when it left ids unlanded.
 */
export async function landReferralEvents(args: { deps: EngineDeps; source: ReferralIdSource; signal: AbortSignal }): Promise<CycleReport[]> {
  const { deps, source, signal } = args;
  const limit = Math.max(1, deps.options.writeConcurrency);
  const reports: CycleReport[] = [];
  const ready: Referral[] = [];
  const unread: { id: string; error: unknown }[] = [];
  let fetching = 0;
  let dropped = 0;
  let landing = true;
  let stopped: unknown = null;
  // Resolved, and replaced, whenever a fetch ends.
  let fetchEnded = resolvable();

  const fetchMore = (): void => {
    if (!landing || signal.aborted) return;
    for (const id of source.take(limit - fetching)) {
      fetching += 1;
      deps.partnerCenter
        .getReferral(id, { signal })
        .then(
          (referral) => (referral === null ? source.settle([id]) : void ready.push(referral)),
          (error: unknown) => {
            source.settle([id]);
            if (signal.aborted) dropped += 1;
            else unread.push({ id, error });
          },
        )
        .finally(() => {
          fetching -= 1;
          fetchMore();
          const ended = fetchEnded;
          fetchEnded = resolvable();
          ended.resolve();
        });
    }
  };

  // Fetches start as ids arrive, also while a group is being written.
  const feeding = new AbortController();
  const feeder = (async () => {
    const feedSignal = AbortSignal.any([signal, feeding.signal]);
    while (!feedSignal.aborted) {
      await (fetching < limit ? source.whenReady(feedSignal) : fetchEnded.promise);
      fetchMore();
    }
  })();

  try {
    for (;;) {
      fetchMore();
      if (signal.aborted) break;
      if (landNow({ ready: ready.length, fetching })) {
        const group = ready.splice(0);
        try {
          reports.push(await runReferralGroup(deps, group));
        } finally {
          source.settle(group.map((r) => r.id));
        }
        continue;
      }
      if (fetching === 0) break;
      await fetchEnded.promise;
    }
  } catch (error) {
    stopped = error;
  }
  landing = false;
  feeding.abort();
  await feeder;
  // The fetches still out end on their own (an aborted signal ends them at once); their ids settle.
  while (fetching > 0) await fetchEnded.promise;
  dropped += ready.length;
  source.settle(ready.splice(0).map((r) => r.id));
  if (unread.length > 0) {
    deps.logger.warn(
      { referrals: unread.length, referralIds: unread.slice(0, 10).map((u) => u.id), err: unread[0]?.error },
      'could not read referrals that webhooks named; the reconciliation poll will pick them up',
    );
  }
  if (stopped !== null) throw stopped;
  if (signal.aborted && dropped > 0) throw signal.reason instanceof Error ? signal.reason : new Error('webhook work stopped');
  return reports;
}

function resolvable(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Referrals named by webhooks, all known at once (a test, a one-off): the same pipeline. */
export async function runReferralEvents(deps: EngineDeps, referralIds: readonly string[], signal: AbortSignal = new AbortController().signal): Promise<CycleReport[]> {
  const waiting = [...new Set(referralIds)];
  const source: ReferralIdSource = {
    take: (max) => waiting.splice(0, max),
    // Nothing more ever comes: only the pipeline's own fetches wake it.
    whenReady: (s) => new Promise((resolve) => s.addEventListener('abort', () => resolve(), { once: true })),
    settle: () => undefined,
  };
  return landReferralEvents({ deps, source, signal });
}
