import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';

import type { Clock } from '../../src/core/clock.js';
import type { Loop } from '../../src/daemon/index.js';
import { startDaemon } from '../../src/daemon/index.js';
import { createLeaseMetrics } from '../../src/app/lease-metrics.js';
import { LoopLeases } from '../../src/app/leases.js';
import { LeaseLostError } from '../../src/store/errors.js';
import { Registry } from 'prom-client';
import { createLogger } from '../../src/logging/index.js';
import { openStore } from '../../src/store/open-store.js';
import type { StateStore } from '../../src/store/types.js';
import { eventually, logSink } from './helpers.js';

const config = (overrides: { shutdownGraceMs?: number; serverEnabled?: boolean; port?: number } = {}) => ({
  sync: {
    schedule: { outbound: '* * * * *', inbound: '* * * * *', reconcile: '* * * * *' },
    dryRun: false,
    deletePolicy: 'hold' as const,
    retry: { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 1 },
    timeZone: 'UTC',
    shutdownGraceMs: overrides.shutdownGraceMs ?? 5_000,
    notReadyAfterIntervals: 3,
  },
  server: { enabled: overrides.serverEnabled ?? false, host: '127.0.0.1', port: overrides.port ?? 0, webhooks: { host: '127.0.0.1', port: 0 } },
});

/** A promise the test opens by hand. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** The real in-memory store, with its close recorded in `events`. */
async function recordedStore(events: string[]): Promise<StateStore> {
  const store = await openStore({ kind: 'sqlite', path: ':memory:' });
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      await close();
      events.push('store closed');
    },
  });
}

/** A loop that runs until aborted, recording what it sees. */
function waitingLoop(name: string, events: string[]): Loop & { runs: number } {
  const loop = {
    name,
    runs: 0,
    schedule: { kind: 'cron' as const, expression: '0 0 1 1 *' },
    run: (signal: AbortSignal) =>
      new Promise<void>((resolve) => {
        loop.runs += 1;
        events.push(`${name} running`);
        signal.addEventListener('abort', () => {
          events.push(`${name} aborted`);
          setTimeout(() => {
            events.push(`${name} finished`);
            resolve();
          }, 20);
        });
      }),
  };
  return loop;
}

describe('startDaemon', () => {
  it('runs a cron loop on its schedule and stops scheduling it on close', async () => {
    const log = logSink();
    let runs = 0;
    const daemon = await startDaemon({
      config: config(),
      logger: createLogger({ level: 'info', pretty: false, destination: log.stream }),
      openStore: () => openStore({ kind: 'sqlite', path: ':memory:' }),
      loops: [{ name: 'outbound', schedule: { kind: 'cron', expression: '* * * * * *' }, run: async () => void (runs += 1) }],
    });
    await eventually(() => runs >= 1);
    await daemon.close();
    const after = runs;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(runs).toBe(after);
    expect(log.events()).toEqual(expect.arrayContaining(['daemon started', 'daemon stopped']));
  });

  it('shuts down in order: abort running work, wait for it, stop the server, close the store', async () => {
    const events: string[] = [];
    const loop = waitingLoop('inbound', events);
    let stopping: () => boolean = () => true;
    const daemon = await startDaemon({
      config: config({ serverEnabled: true }),
      logger: createLogger({ level: 'silent', pretty: false, destination: logSink().stream }),
      openStore: () => recordedStore(events),
      loops: async ({ store }) => {
        await store.setCursor('test', 'opened');
        return { loops: [loop], close: async () => void events.push('connectors released') };
      },
      server: async (deps) => {
        stopping = deps.stopping;
        const app = Fastify();
        app.addHook('onClose', async () => void events.push('server closed'));
        app.get('/healthz', async () => ({ status: 'ok' }));
        return { admin: app, webhooks: null };
      },
    });
    expect(daemon.serverAddress).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const running = daemon.trigger('inbound');
    await eventually(() => events.includes('inbound running'));
    expect(stopping()).toBe(false);
    const first = daemon.close();
    expect(stopping()).toBe(true);
    expect(daemon.close()).toBe(first);
    await first;
    await running;
    expect(events).toEqual([
      'inbound running',
      'inbound aborted',
      'inbound finished',
      'server closed',
      'connectors released',
      'store closed',
    ]);
  });

  it('abandons work that ignores the abort once the grace period is over', async () => {
    const events: string[] = [];
    const log = logSink();
    // The grace period passes at once: the test controls time through the clock, not by waiting.
    const clock: Clock = { now: () => new Date(), sleep: () => Promise.resolve() };
    const daemon = await startDaemon({
      config: config({ shutdownGraceMs: 60_000 }),
      logger: createLogger({ level: 'info', pretty: false, destination: log.stream }),
      openStore: () => recordedStore(events),
      loops: [{ name: 'stuck', schedule: { kind: 'cron', expression: '0 0 1 1 *' }, run: () => new Promise<void>(() => undefined) }],
      clock,
    });
    void daemon.trigger('stuck');
    await daemon.close();
    expect(events).toEqual(['store closed']);
    expect(log.events()).toContain('running work abandoned after the grace period');
  });

  it('after the grace period stops the abandoned run writing and releases its lease, then closes the store', async () => {
    const events: string[] = [];
    const clock: Clock = { now: () => new Date(), sleep: () => Promise.resolve() };
    const store = await recordedStore(events);
    const release = store.releaseLease.bind(store);
    Object.assign(store, { releaseLease: async (args: Parameters<StateStore['releaseLease']>[0]) => (await release(args), events.push('lease released')) });
    let abandonedWrite: unknown = null;
    const carryOn = gate();
    const leases = new LoopLeases({
      store,
      clock,
      logger: createLogger({ level: 'silent', pretty: false }),
      identity: { owner: 'a', session: 'a-1' },
      ttlMs: 30_000,
      metrics: createLeaseMetrics(new Registry()),
    });
    const daemon = await startDaemon({
      config: config({ shutdownGraceMs: 60_000 }),
      logger: createLogger({ level: 'silent', pretty: false }),
      openStore: async () => store,
      loops: async () => ({
        loops: [
          {
            name: 'inbound',
            schedule: { kind: 'cron', expression: '0 0 1 1 *' },
            // Ignores the abort: keeps going after the grace period, and tries to write.
            run: async (signal) =>
              void (await leases.run({
                name: 'loop:inbound',
                signal,
                wait: 'watch',
                body: async ({ store: fenced }) => {
                  events.push('run started');
                  await carryOn.wait;
                  abandonedWrite = await fenced.setCursor('late', 'x').catch((e: unknown) => e);
                },
              })),
          },
        ],
        stopWrites: () => leases.stopAll(),
      }),
      clock,
    });
    void daemon.trigger('inbound');
    await eventually(() => events.includes('run started'));
    await daemon.close();
    expect(events).toEqual(['run started', 'lease released', 'store closed']);
    carryOn.open();
    await eventually(() => abandonedWrite !== null);
    expect(abandonedWrite).toBeInstanceOf(LeaseLostError);
  });

  it('keeps running after a failed run and runs once more when triggered mid-run', async () => {
    const log = logSink();
    let runs = 0;
    let release: () => void = () => undefined;
    const daemon = await startDaemon({
      config: config(),
      logger: createLogger({ level: 'info', pretty: false, destination: log.stream }),
      openStore: () => openStore({ kind: 'sqlite', path: ':memory:' }),
      loops: [
        {
          name: 'inbound',
          schedule: { kind: 'cron', expression: '0 0 1 1 *' },
          run: async () => {
            runs += 1;
            if (runs === 1) throw new Error('Partner Center unavailable');
            if (runs === 2) await new Promise<void>((resolve) => (release = resolve));
          },
        },
      ],
    });
    await daemon.trigger('inbound');
    expect(log.lines().find((line) => line['msg'] === 'loop run failed')).toMatchObject({ loop: 'inbound', err: { message: 'Partner Center unavailable' } });
    const second = daemon.trigger('inbound');
    await eventually(() => runs === 2);
    const third = daemon.trigger('inbound');
    const sameThird = daemon.trigger('inbound');
    release();
    await Promise.all([second, third, sameThird]);
    expect(runs).toBe(3);
    await daemon.close();
  });

  it('restarts a continuous loop that ends before shutdown', async () => {
    let starts = 0;
    const clock: Clock = { now: () => new Date(), sleep: () => new Promise((resolve) => setImmediate(resolve)) };
    const daemon = await startDaemon({
      config: config(),
      logger: createLogger({ level: 'silent', pretty: false, destination: logSink().stream }),
      openStore: () => openStore({ kind: 'sqlite', path: ':memory:' }),
      loops: [{ name: 'webhook-queue', schedule: { kind: 'continuous' }, run: async () => void (starts += 1) }],
      clock,
    });
    await eventually(() => starts >= 3);
    await daemon.close();
  });

  it('closes the store when it cannot start', async () => {
    const events: string[] = [];
    const blocker = Fastify();
    const taken = await blocker.listen({ host: '127.0.0.1', port: 0 });
    try {
      const started = startDaemon({
        config: config({ serverEnabled: true, port: Number(new URL(taken).port) }),
        logger: createLogger({ level: 'silent', pretty: false, destination: logSink().stream }),
        openStore: () => recordedStore(events),
        loops: [],
        server: async () => ({ admin: Fastify(), webhooks: null }),
      });
      await expect(started).rejects.toThrow(/^server.port: 127.0.0.1:\d+ is already in use/);
      expect(events).toEqual(['store closed']);
    } finally {
      await blocker.close();
    }
  });
});
