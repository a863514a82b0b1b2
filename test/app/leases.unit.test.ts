/**
 * Loop leases on a real store with real timers and a short TTL: one run per lease at a time (in
 * one process and across instances), renewal, writes stopped at once when renewal fails, takeover
 * by a watching instance, a restarted instance reclaiming its own lease, shutdown order.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';

import { createLeaseMetrics } from '../../src/app/lease-metrics.js';
import { LoopLeases, type UnderLease } from '../../src/app/leases.js';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/logging/index.js';
import { LeaseLostError } from '../../src/store/errors.js';
import { openStore } from '../../src/store/open-store.js';
import type { StateStore } from '../../src/store/types.js';
import { eventually, logSink } from './helpers.js';

const TTL = 900;
const NAME = 'loop:inbound';

/** A promise the test opens by hand. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('loop leases', () => {
  let store: StateStore;
  const logs = logSink();
  const registry = new Registry();
  const metrics = createLeaseMetrics(registry);
  const instance = (owner: string, session = `${owner}-1`, on: StateStore = store) =>
    new LoopLeases({ store: on, clock: systemClock, logger: createLogger({ level: 'debug', pretty: false, destination: logs.stream }), identity: { owner, session }, ttlMs: TTL, metrics });
  const never = new AbortController().signal;

  beforeEach(async () => {
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs an inbound poll and a reconcile of one process one at a time, never both at once', async () => {
    const a = instance('a');
    let running = 0;
    let most = 0;
    const body = async ({ store: fenced }: UnderLease): Promise<void> => {
      running += 1;
      most = Math.max(most, running);
      await fenced.setCursor('c', String(running));
      await new Promise((r) => setTimeout(r, 50));
      running -= 1;
    };
    const outcomes = await Promise.all([
      a.run({ name: NAME, signal: never, wait: 'watch', body }),
      a.run({ name: NAME, signal: never, wait: 'watch', body }),
      a.run({ name: NAME, signal: never, wait: 'untilFree', body }),
    ]);
    expect(most).toBe(1);
    expect(outcomes.sort()).toEqual(['busyHere', 'ran', 'ran']);
  });

  it('keeps the lease while the run lasts longer than the TTL, so no other instance joins it', async () => {
    const a = instance('a');
    const b = instance('b');
    const finish = gate();
    let bRan = false;
    const aRun = a.run({ name: NAME, signal: never, wait: 'watch', body: async () => finish.wait });
    await eventually(() => a.view().some((v) => v.state === 'held'));
    const bRun = b.run({ name: NAME, signal: never, wait: 'watch', body: async () => void (bRan = true) });
    // Three TTLs pass: only renewals keep the lease with a.
    await new Promise((r) => setTimeout(r, 3 * TTL));
    expect(bRan).toBe(false);
    finish.open();
    expect(await aRun).toBe('ran');
    // a released it after a finished run: b has nothing to take over.
    expect(await bRun).toBe('heldElsewhere');
    expect(bRan).toBe(false);
  });

  it('stops the writes of a holder that cannot renew, and a watching instance takes the loop over', async () => {
    let storeReachable = true;
    const cutOff = new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (storeReachable ? (value as (...a: unknown[]) => unknown).apply(target, args) : Promise.reject(new Error('connection refused')));
      },
    });
    const a = instance('a', 'a-1', cutOff);
    const b = instance('b');
    const holding = gate();
    let aWriteAfterLoss: unknown = null;
    let aSignalAborted = false;
    const aRun = a.run({
      name: NAME,
      signal: never,
      wait: 'watch',
      body: async ({ store: fenced, signal }) => {
        const run = await fenced.startRun({ kind: 'inbound', startedAt: new Date().toISOString() });
        holding.open();
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
        aSignalAborted = true;
        // The store is reachable again, but this holder lost the lease: its write is refused.
        storeReachable = true;
        aWriteAfterLoss = await fenced.finishRun({ id: run.id, finishedAt: new Date().toISOString(), status: 'succeeded', summary: {} }).catch((e: unknown) => e);
      },
    });
    await holding.wait;
    storeReachable = false;
    let bRan = false;
    const bRun = b.run({ name: NAME, signal: never, wait: 'watch', body: async ({ store: fenced }) => void (bRan = true, await fenced.setCursor('c', 'b')) });
    expect(await aRun).toBe('ran');
    expect(aSignalAborted).toBe(true);
    expect(aWriteAfterLoss).toBeInstanceOf(LeaseLostError);
    expect(await bRun).toBe('ran');
    expect(bRan).toBe(true);
    expect(await store.getCursor('c')).toBe('b');
    const [run] = await store.listRuns(1);
    expect(run?.status).toBe('abandoned');
    expect(logs.lines().some((l) => l['msg'] === 'lost a lease: this loop stops writing now' && l['level'] === 'warn')).toBe(true);
    expect(logs.lines().some((l) => String(l['msg']).startsWith('took over a lease') && l['level'] === 'warn')).toBe(true);
  });

  it('lets a restarted instance reclaim its own lease at once, however long its TTL', async () => {
    const long = (session: string) =>
      new LoopLeases({ store, clock: systemClock, logger: createLogger({ level: 'silent', pretty: false }), identity: { owner: 'a', session }, ttlMs: 600_000, metrics });
    const before = await store.acquireLease({ name: NAME, owner: 'a', session: 'dead-process', ttlMs: 600_000, now: new Date().toISOString() });
    await store.startRun({ kind: 'inbound', startedAt: new Date().toISOString(), lease: NAME });
    expect(before).not.toBeNull();
    let ran = false;
    expect(await long('a-2').run({ name: NAME, signal: never, wait: 'watch', body: async () => void (ran = true) })).toBe('ran');
    expect(ran).toBe(true);
    expect((await store.listRuns(1))[0]?.status).toBe('abandoned');
  });

  it('on shutdown stops the writes of a run still going, then releases its lease', async () => {
    const a = instance('a');
    const started = gate();
    let late: unknown = null;
    const leave = gate();
    const aRun = a.run({
      name: NAME,
      signal: never,
      wait: 'watch',
      body: async ({ store: fenced }) => {
        started.open();
        await leave.wait;
        late = await fenced.setCursor('c', 'after shutdown').catch((e: unknown) => e);
      },
    });
    await started.wait;
    await a.stopAll();
    expect((await store.getLease(NAME))?.heldUntil).toBeNull();
    leave.open();
    await aRun;
    expect(late).toBeInstanceOf(LeaseLostError);
    expect(await store.getCursor('c')).toBeNull();
  });

  it('counts lease events on /metrics', async () => {
    await instance('m').run({ name: 'loop:metrics', signal: never, wait: 'watch', body: async () => undefined });
    const text = await registry.metrics();
    expect(text).toContain('cosell_lease_events_total{lease="loop:metrics",event="acquired"} 1');
    expect(text).toContain('cosell_lease_events_total{lease="loop:metrics",event="released"} 1');
    expect(text).toContain('cosell_lease_held{lease="loop:metrics"} 0');
  });
});
