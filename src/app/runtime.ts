/**
 * The running sync for `cosell-sync run`: a loop per direction and CRM on the configured cron
 * schedules (never overlapping, each under its lease so scale-out runs it once: see leases.ts),
 * webhook events queued and landed under the inbound lease (never beside the poller) as they
 * come, and the routes of the status server.
 */
import type { FastifyInstance } from 'fastify';
import type { ConnectorHealth } from '../../connectors/types.js';
import type { ComposeRuntime, SyncRuntime } from './sync-runtime.js';
import { runInbound, runOutbound } from '../engine/cycle.js';
import { landReferralEvents } from '../engine/referral-events.js';
import type { EngineDeps } from '../engine/types.js';
import type { Loop } from '../daemon/index.js';
import { systemClock } from '../core/clock.js';
import type { MeteredLoop } from '../server/metrics.js';
import { composeEngine, trustedCa } from './compose.js';
import { healthLoops } from './health-loops.js';
import { cronIntervalMs, loopReadiness } from './loop-readiness.js';
import { healthRoutes } from './health-routes.js';
import { buildMailer, buildNotify, watchHealth } from './notifications.js';
import { loadInstanceIdentity } from './instance-identity.js';
import { createLeaseMetrics } from './lease-metrics.js';
import { LoopLeases, type LeaseOutcome, type LeaseWait } from './leases.js';
import { ReferralEventQueue } from './event-queue.js';
import { retentionLoop } from './retention-loop.js';
import { statusRoutes } from './status-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { warmUp } from './warm-up.js';

/**
 * How long a start waits for its sign-ins and describes (warm-up.ts) before listening without
 * them: a healthy Salesforce answers both within a second or two, and an unreachable one should
 * not hold the webhook listener back for long.
 */
const WARM_UP_WAIT_MS = 3_000;

/** Inbound polls, the reconciliation poll and webhook work all write inbound state: one lease. */
const INBOUND_LEASE = 'loop:inbound';

/** The sync loops as metrics and readiness see them: the run kind each records, its CRM and direction. */
export function meteredLoops(crms: readonly string[]): MeteredLoop[] {
  return [
    ...crms.map((crm) => ({ kind: `outbound:${crm}`, crm, direction: 'outbound' as const })),
    // Inbound lands in the first CRM.
    ...(crms[0] === undefined ? [] : [{ kind: 'inbound', crm: crms[0], direction: 'inbound' as const }]),
  ];
}

export const composeRuntime: ComposeRuntime = async ({ config, logger, store, metrics, trigger }) => {
  const clock = systemClock;
  const identity = loadInstanceIdentity(config.leases.identityFile);
  const leases = new LoopLeases({ store, clock, logger, identity, ttlMs: config.leases.ttlMs, metrics: createLeaseMetrics(metrics.registry) });
  logger.info({ instance: identity.owner, leaseTtlMs: config.leases.ttlMs }, 'instance identity');
  const notify = buildNotify({ config: config.graph, logger, ca: trustedCa(config) });
  const engine = composeEngine({
    ...(notify ? { notify } : {}),
    config,
    logger,
    store,
    clock,
    onOutcome: ({ direction, system, result }) => metrics.recordsSynced.inc({ direction, system, result }),
    onApiCall: metrics.observeApiCall,
  });
  const { deps } = engine;
  const metered = meteredLoops(deps.crms.map((side) => side.system));
  const startedAt = clock.now().getTime();
  const schedules = {
    loops: metered.map((loop) => ({ ...loop, expression: loop.direction === 'outbound' ? config.sync.schedule.outbound : config.sync.schedule.inbound })),
    timeZone: config.sync.timeZone,
  };
  const scheduled = metered.map((loop) => ({
    ...loop,
    lease: loop.direction === 'outbound' ? `loop:${loop.kind}` : INBOUND_LEASE,
    intervalMs: cronIntervalMs(loop.direction === 'outbound' ? config.sync.schedule.outbound : config.sync.schedule.inbound, config.sync.timeZone),
  }));
  metrics.watch({ store, clock, loops: metered, partnerCenterTokenExpiry: () => engine.partnerCenter.tokens.expiresAt?.() ?? null });
  const queue = new ReferralEventQueue();
  const healthWatch = notify ? watchHealth(notify) : null;
  /** Runs `work` under `lease` with the engine writing through the lease's fenced store. */
  const leased = async (args: { loop: string; lease: string; wait: LeaseWait; signal: AbortSignal; work: (deps: EngineDeps, signal: AbortSignal) => Promise<unknown> }): Promise<LeaseOutcome> => {
    // The reconciliation poll is an inbound cycle too.
    const loop = metered.find((m) => m.kind === (args.loop === 'reconcile' ? 'inbound' : args.loop));
    const timer = metrics.cycleSeconds.startTimer(loop ? { crm: loop.crm, direction: loop.direction } : {});
    try {
      const outcome = await leases.run({
        name: args.lease,
        signal: args.signal,
        wait: args.wait,
        body: async (held) => void (await args.work({ ...deps, store: held.store }, held.signal)),
      });
      if (outcome === 'ran') timer();
      else logger.debug({ loop: args.loop, lease: args.lease, outcome }, 'not run here: the lease is held by another run');
      return outcome;
    } finally {
      // A sign-in that stopped working is said once, loudly, whatever the loop did.
      healthWatch?.(runtime.connectorHealth());
    }
  };
  const mailer = buildMailer({ config: config.graph, logger, ca: trustedCa(config) });
  const loops: Loop[] = [
    ...healthLoops({ config, deps, mailer, logger, clock, leases }),
    retentionLoop({ config: config.retention, clock, logger, leases }),
    ...deps.crms.map((side) => ({
      name: `outbound:${side.system}`,
      schedule: { kind: 'cron' as const, expression: config.sync.schedule.outbound },
      run: async (signal: AbortSignal) =>
        void await leased({ loop: `outbound:${side.system}`, lease: `loop:outbound:${side.system}`, wait: 'watch', signal, work: (fenced, s) => runOutbound(fenced, side, s) }),
    })),
    {
      name: 'inbound',
      schedule: { kind: 'cron', expression: config.sync.schedule.inbound },
      run: async (signal) => void (await leased({ loop: 'inbound', lease: INBOUND_LEASE, wait: 'watch', signal, work: (fenced, s) => runInbound(fenced, s) })),
    },
    {
      // Webhook delivery is best effort (Partner Center docs, "Partner Center webhooks"): the reconciliation poll runs regardless.
      name: 'reconcile',
      schedule: { kind: 'cron', expression: config.sync.schedule.reconcile },
      run: async (signal) => void (await leased({ loop: 'reconcile', lease: INBOUND_LEASE, wait: 'watch', signal, work: (fenced, s) => runInbound(fenced, s) })),
    },
    {
      name: 'webhook-events',
      schedule: { kind: 'continuous' },
      run: async (signal) => {
        while (!signal.aborted && !queue.isClosed) {
          await queue.whenReady(signal);
          if (signal.aborted || queue.isClosed) break;
          // Under the inbound lease (never beside a poll, here or elsewhere) while events keep coming; released once none is left.
          const outcome = await leased({ loop: 'webhook-events', lease: INBOUND_LEASE, wait: 'untilFree', signal, work: (fenced, s) => landReferralEvents({ deps: fenced, source: queue, signal: s }) }).catch(
            (err: unknown) => {
              if (signal.aborted) logger.info('webhook batch stopped by shutdown; the poll will pick it up');
              else logger.error({ err }, 'webhook batch failed; the poll will pick it up');
              return 'ran' as const;
            },
          );
          // Not run: the daemon is stopping (waiting for the lease ends only then).
          if (outcome !== 'ran') break;
        }
      },
    },
  ];
  const runtime: SyncRuntime = {
    loops,
    connectorHealth: (): Record<string, ConnectorHealth> => ({
      partnerCenter: deps.partnerCenter.health(),
      ...Object.fromEntries(deps.crms.map((s) => [s.system, s.connector.health()])),
    }),
    loopReadiness: () => loopReadiness({ store, loops: scheduled, now: clock.now().getTime(), since: startedAt, intervals: config.sync.notReadyAfterIntervals }),
    routes: async (app) => {
      await statusRoutes({ app, deps, metrics, schedules });
      await healthRoutes({ app, config, store, clock });
    },
    ...(config.partnerCenter.webhooks.enabled ? { webhookRoutes: (app: FastifyInstance) => webhookRoutes({ app, config, logger, queue, store, clock }) } : {}),
    leases: () => leases.view(),
    stopWrites: () => leases.stopAll(),
    close: async () => {
      queue.close();
      await engine.close();
    },
  };
  void trigger;
  // Webhooks land referrals as they come: the first burst after a start should not wait for the
  // sign-ins and describes every later one finds done.
  if (config.partnerCenter.webhooks.enabled) {
    await warmUp({ deps, partnerCenterToken: () => engine.partnerCenter.tokens.getToken('referrals'), logger, waitMs: WARM_UP_WAIT_MS });
  }
  return runtime;
};
