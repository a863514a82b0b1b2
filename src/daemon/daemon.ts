import type { FastifyInstance } from 'fastify';
import type { Logger as CronLogger, ScheduledTask } from 'node-cron';
import { createTask } from 'node-cron';

import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../logging/index.js';
import type { StateStore } from '../store/types.js';
import { isLoopback } from '../server/loopback.js';
import { listenOn } from './listen.js';
import { LoopRunner } from './loop-runner.js';
import type { Daemon, Loop, LoopFactory, LoopSet, ServerFactory } from './types.js';

const CONTINUOUS_RESTART_DELAY_MS = 5_000;

/**
 * Opens the store, starts the status server and the loops, and returns the handle whose
 * `close()` undoes all of it in order. A failure while starting closes what was opened.
 */
export async function startDaemon(args: {
  config: Pick<Config, 'sync'> & { server: Pick<Config['server'], 'enabled' | 'host' | 'port'> & { webhooks: Pick<Config['server']['webhooks'], 'host' | 'port'> } };
  logger: Logger;
  openStore: () => Promise<StateStore>;
  /** The loops, or a factory that builds them (and what they hold open) once the store is open. */
  loops: readonly Loop[] | LoopFactory;
  server?: ServerFactory;
  clock?: Clock;
}): Promise<Daemon> {
  const { config, logger } = args;
  const clock = args.clock ?? systemClock;
  const abort = new AbortController();
  const runners = new Map<string, LoopRunner>();
  const tasks: ScheduledTask[] = [];
  const continuous: Promise<void>[] = [];
  let servers: FastifyInstance[] = [];
  let loopSet: LoopSet = { loops: [] };
  let storeOpen = false;
  let started = false;

  const store = await args.openStore();
  storeOpen = true;

  const shutdown = async (): Promise<void> => {
    // A start that failed is reported by the caller; "stopping" would read like a normal stop.
    if (started) logger.info('daemon stopping');
    await step(logger, 'stop schedules', () => Promise.all(tasks.map(async (task) => task.destroy())));
    abort.abort(new Error('daemon shutting down'));
    const running = [...continuous, ...[...runners.values()].flatMap((runner) => runner.inFlight())];
    if (running.length > 0) await waitForWork({ running, graceMs: config.sync.shutdownGraceMs, clock, logger });
    // Before the server and the store close: work abandoned after the grace period must not write on.
    if (loopSet.stopWrites !== undefined) await step(logger, 'stop loop writes and release leases', loopSet.stopWrites);
    if (servers.length > 0) await step(logger, 'stop server', () => Promise.all(servers.map((server) => server.close())));
    if (loopSet.close !== undefined) await step(logger, 'release loop resources', loopSet.close);
    await step(logger, 'close store', () => store.close());
    storeOpen = false;
    if (started) logger.info('daemon stopped');
  };
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => (closing ??= shutdown());

  try {
    loopSet = typeof args.loops === 'function' ? await args.loops({ store }) : { loops: args.loops };
    let serverAddress: string | null = null;
    let webhookAddress: string | null = null;
    if (args.server !== undefined && config.server.enabled) {
      const built = await args.server({ store, storeOpen: () => storeOpen, stopping: () => closing !== null });
      servers = built.webhooks === null ? [built.admin] : [built.admin, built.webhooks];
      serverAddress = await listenOn(built.admin, { host: config.server.host, port: config.server.port, key: 'server.port' });
      if (!isLoopback(config.server.host)) {
        logger.warn(
          { host: config.server.host },
          'the admin listener (status page, conflict resolution, failure retry, metrics) is bound to an address other than loopback; anyone who can reach it can try to sign in: keep it behind a firewall or set server.host to 127.0.0.1',
        );
      }
      if (built.webhooks !== null) {
        webhookAddress = await listenOn(built.webhooks, { host: config.server.webhooks.host, port: config.server.webhooks.port, key: 'server.webhooks.port' });
      }
    }
    for (const loop of loopSet.loops) {
      if (runners.has(loop.name)) throw new Error(`two loops are named "${loop.name}"`);
      const runner = new LoopRunner({ loop, signal: abort.signal, logger: logger.child({ loop: loop.name }), clock });
      runners.set(loop.name, runner);
      if (loop.schedule.kind === 'continuous') {
        continuous.push(runner.runContinuously(CONTINUOUS_RESTART_DELAY_MS));
        continue;
      }
      // The callback must be a real function: node-cron treats anything else as a file path.
      const task = createTask(loop.schedule.expression, () => runner.tick(), {
        name: loop.name,
        noOverlap: true,
        timezone: config.sync.timeZone,
        logger: cronLogger(logger),
      });
      await task.start();
      tasks.push(task);
    }
    started = true;
    logger.info(
      { loops: loopSet.loops.map((loop) => loop.name), server: serverAddress, webhooks: webhookAddress, dryRun: config.sync.dryRun },
      'daemon started',
    );
    return {
      store,
      serverAddress,
      webhookAddress,
      trigger: (name) => {
        const runner = runners.get(name);
        if (runner === undefined) return Promise.reject(new Error(`no loop named "${name}"`));
        if (closing !== null) return Promise.resolve();
        return runner.trigger();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function waitForWork(args: { running: Promise<void>[]; graceMs: number; clock: Clock; logger: Logger }): Promise<void> {
  const timer = new AbortController();
  const finished = Promise.allSettled(args.running).then(() => 'finished' as const);
  const expired = args.clock.sleep(args.graceMs, timer.signal).then(
    () => 'expired' as const,
    () => 'finished' as const,
  );
  const outcome = await Promise.race([finished, expired]);
  timer.abort();
  if (outcome === 'expired') args.logger.warn({ graceMs: args.graceMs }, 'running work abandoned after the grace period');
  else args.logger.info('running work finished');
}

/** One shutdown step: a failure is logged and the next step still runs. */
async function step(logger: Logger, name: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    logger.error({ err: error, step: name }, 'shutdown step failed');
  }
}

/** node-cron's own messages (overlap skipped, missed runs) go to our log, not the console. */
function cronLogger(logger: Logger): CronLogger {
  const cron = logger.child({ component: 'cron' });
  return {
    info: (message) => cron.debug(message),
    warn: (message) => cron.warn(message),
    error: (message, error) => cron.error({ err: error ?? message }, typeof message === 'string' ? message : 'cron error'),
    debug: (message) => cron.debug(typeof message === 'string' ? message : { err: message }, 'cron debug'),
  };
}
