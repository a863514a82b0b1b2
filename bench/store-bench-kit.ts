/** Shared by the store benchmarks: realistic links, id pages as a poll returns them, a timer. */
import { performance } from 'node:perf_hooks';
import type { LinkInput, LinkState, StateStore } from '../src/store/types.js';

export const crmId = (n: number): string => `006${String(n).padStart(12, '0')}`;

export function benchLink(n: number): LinkInput {
  const state: LinkState = n % 20 === 0 ? 'held' : n % 20 === 1 ? 'writeBackPending' : 'linked';
  return {
    crmSystem: 'salesforce',
    crmKind: 'opportunity',
    crmId: crmId(n),
    referralId: `ref-${n}`,
    engagementId: `eng-${Math.floor(n / 2)}`,
    origin: n % 3 === 0 ? 'partnerCenter' : 'crm',
    state,
    snapshot: {
      name: `Opportunity ${n}`,
      status: 'Active',
      substatus: 'Accepted',
      'details.dealValue': (n % 1000) * 1250,
      'details.currency': 'USD',
      'details.closingDateTime': '2026-06-30T00:00:00.000Z',
      'details.notes': 'Customer is moving two data centres to Azure in FY27.',
      'customerProfile.name': `Customer ${n}`,
      'customerProfile.address.country': 'US',
      'details.solutions': ['SOL-15974-MQF'],
    },
    crmVersion: '2026-03-01T08:59:00.000Z',
    referralETag: `"${n}"`,
    respondBy: null,
  };
}

export const FAILURES_DUE_AT = '2026-03-01T09:00:00.000Z';

/** Fills `links` links, 1,000 per transaction, `parallel` transactions at a time; returns ms. */
export async function fillStore(args: { store: StateStore; links: number; parallel: number }): Promise<number> {
  const { store, links, parallel } = args;
  const started = performance.now();
  const batches = Array.from({ length: Math.ceil(links / 1000) }, (_, b) => b * 1000);
  for (let i = 0; i < batches.length; i += parallel) {
    await Promise.all(
      batches.slice(i, i + parallel).map((base) =>
        store.transaction(async (tx) => {
          for (let n = base; n < Math.min(base + 1000, links); n++) await tx.saveLink(benchLink(n));
        }),
      ),
    );
  }
  const at = Date.parse(FAILURES_DUE_AT);
  for (let n = 0; n < 500; n++) {
    const failedAt = new Date(at).toISOString();
    const nextAttemptAt = new Date(at + (n - 250) * 60_000).toISOString();
    await store.recordFailure({ key: `referral:ref-${n}`, operation: 'update', reason: 'r', errorKind: 'transient', payload: null, failedAt, lastFailedAt: failedAt, nextAttemptAt });
  }
  await store.setCursor('salesforce:opportunity', '2026-03-01T08:59:00.000Z');
  return performance.now() - started;
}

/** A page of ids as a poll returns them: mostly linked records, one in twenty new. */
export const idPage = (args: { i: number; size: number; links: number; make: (n: number) => string }): string[] =>
  Array.from({ length: args.size }, (_, k) => (k % 20 === 19 ? `new-${args.i}-${k}` : args.make((args.i * 7919 + k * 104_729) % args.links)));

/** Runs `run` 10 times to warm up, then `repeat` times, and prints median / p95 / max. */
export async function timeIt(label: string, repeat: number, run: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 10; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): string => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN).toFixed(3);
  console.log(`${label.padEnd(48)} median ${at(0.5)} ms   p95 ${at(0.95)} ms   max ${at(1)} ms`);
}

/** The queries of one idle cycle, timed one by one and together. */
export async function timeIdleCycle(args: { store: StateStore; links: number; pageSize: number; repeat: number }): Promise<void> {
  const { store, links, pageSize: size, repeat } = args;
  const crmPage = (i: number): string[] => idPage({ i, size, links, make: crmId });
  const referralPage = (i: number): string[] => idPage({ i, size, links, make: (n) => `ref-${n}` });
  await timeIt(`findLinksByCrmIds, page of ${size}`, repeat, (i) => store.findLinksByCrmIds('salesforce', crmPage(i)));
  await timeIt(`findLinksByReferralIds, page of ${size}`, repeat, (i) => store.findLinksByReferralIds(referralPage(i)));
  await timeIt('countLinks', repeat, () => store.countLinks());
  await timeIt('getCursor', repeat, () => store.getCursor('salesforce:opportunity'));
  await timeIt('listFailures (due now)', repeat, () => store.listFailures({ dueBefore: FAILURES_DUE_AT }));
  await timeIt(`listLinks held, page of ${size}`, repeat, () => store.listLinks({ state: 'held', limit: size }));
  await timeIt('whole idle cycle (cursor, both lookups, count)', repeat, async (i) => {
    await store.getCursor('salesforce:opportunity');
    await store.findLinksByCrmIds('salesforce', crmPage(i));
    await store.findLinksByReferralIds(referralPage(i));
    await store.countLinks();
  });
}
