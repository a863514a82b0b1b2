/**
 * The running sync for `cosell-sync run`: a loop per direction and CRM on the configured cron
 * schedules (never overlapping, each under a lease so scale-out runs it once), a webhook queue
 * drained as events arrive, and the routes of the status server.
 */
import type { FastifyInstance } from 'fastify';
import type { ConnectorHealth } from '../../connectors/types.js';
import type { ComposeRuntime, SyncRuntime } from '../cli/context.js';
import { runInbound, runOutbound, runReferralEvents } from '../engine/cycle.js';
import type { Loop } from '../daemon/index.js';
import { systemClock } from '../core/clock.js';
import type { MeteredLoop } from '../server/metrics.js';
import { composeEngine, trustedCa } from './compose.js';
import { healthLoops } from './health-loops.js';
import { cronIntervalMs, loopReadiness } from './loop-readiness.js';
import { healthRoutes } from './health-routes.js';
import { buildMailer, buildNotify, watchHealth } from './notifications.js';
import { withLease } from './leases.js';
import { ReferralEventQueue } from './event-queue.js';
import { statusRoutes } from './status-routes.js';
import { webhookRoutes } from './webhook-routes.js';

const LEASE_TTL_MS = 10 * 60_000;

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
  const scheduled = metered.map((loop) => ({
    ...loop,
    intervalMs: cronIntervalMs(loop.direction === 'outbound' ? config.sync.schedule.outbound : config.sync.schedule.inbound, config.sync.timeZone),
  }));
  metrics.watch({ store, clock, loops: metered, partnerCenterTokenExpiry: () => engine.partnerCenter.tokens.expiresAt?.() ?? null });
  const queue = new ReferralEventQueue();
  const healthWatch = notify ? watchHealth(notify) : null;
  const leased = (name: string, run: () => Promise<unknown>) => async () => {
    const loop = metered.find((m) => m.kind === name);
    const timer = metrics.cycleSeconds.startTimer(loop ? { crm: loop.crm, direction: loop.direction } : {});
    let ran: boolean;
    try {
      ran = await withLease({ store, clock, name: `loop:${name}`, ttlMs: LEASE_TTL_MS, run: async () => void (await run()) });
    } finally {
      // A sign-in that stopped working is said once, loudly, whatever the loop did.
      healthWatch?.(runtime.connectorHealth());
    }
    if (ran) timer();
    else logger.debug({ loop: name }, 'another instance holds this loop; skipped');
  };
  const mailer = buildMailer({ config: config.graph, logger, ca: trustedCa(config) });
  const loops: Loop[] = [
    ...healthLoops({ config, deps, mailer, logger, clock }),
    ...deps.crms.map((side) => ({
      name: `outbound:${side.system}`,
      schedule: { kind: 'cron' as const, expression: config.sync.schedule.outbound },
      run: (signal: AbortSignal) => leased(`outbound:${side.system}`, () => runOutbound(deps, side, signal))(),
    })),
    {
      name: 'inbound',
      schedule: { kind: 'cron', expression: config.sync.schedule.inbound },
      run: (signal) => leased('inbound', () => runInbound(deps, signal))(),
    },
    {
      // Webhook delivery is best effort (PC §6): the reconciliation poll runs regardless.
      name: 'reconcile',
      schedule: { kind: 'cron', expression: config.sync.schedule.reconcile },
      run: (signal) => leased('inbound', () => runInbound(deps, signal))(),
    },
    {
      name: 'webhook-events',
      schedule: { kind: 'continuous' },
      run: async (signal) => {
        while (!signal.aborted) {
          const ids = await queue.take(signal);
          if (ids.length > 0) await runReferralEvents(deps, ids).catch((err: unknown) => logger.error({ err }, 'webhook batch failed; the poll will pick it up'));
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
      await statusRoutes({ app, deps, metrics });
      await healthRoutes({ app, config, store, clock });
    },
    ...(config.partnerCenter.webhooks.enabled ? { webhookRoutes: (app: FastifyInstance) => webhookRoutes({ app, config, logger, queue }) } : {}),
    close: async () => {
      queue.close();
      await engine.close();
    },
  };
  void trigger;
  return runtime;
};
