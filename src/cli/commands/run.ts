import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';

import type { Command } from 'commander';

import type { Config } from '../../config/index.js';
import type { LoopSet } from '../../daemon/index.js';
import { startDaemon, storeOptionsFrom } from '../../daemon/index.js';
import { storeProblem } from '../../daemon/store-probe.js';
import type { Logger } from '../../logging/index.js';
import { systemClock } from '../../core/clock.js';
import { allowedHostsFor, entraSignIn, loadAdminToken, SessionStore } from '../../server/admin/index.js';
import { buildServer, buildWebhookServer, createMetrics } from '../../server/index.js';
import { openStore } from '../../store/open-store.js';
import type { SyncRuntime } from '../../app/sync-runtime.js';
import type { CliContext } from '../context.js';
import { commandLogger } from '../command-logger.js';
import { CliExit, EXIT_FATAL } from '../context.js';
import { CONFIG_OPTION, loadConfigOrExit } from '../load-config-or-exit.js';

/** `cosell-sync run`: the daemon, until SIGTERM / SIGINT; then one ordered shutdown and exit 0. */
export function register(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run the sync daemon until SIGTERM or SIGINT')
    .option(...CONFIG_OPTION)
    .action(async (options: { config?: string }) => {
      // Listening before anything starts, so a signal during start-up still shuts down cleanly.
      const stopRequested = new Promise<string>((resolve) => {
        const stopListening = ctx.onShutdownSignal((signal) => {
          // A second signal then gets the default action: stop at once.
          stopListening();
          resolve(signal);
        });
      });
      const { config, file } = loadConfigOrExit(ctx, options.config);
      const logger = commandLogger(ctx, config.logging);
      logger.info({ configFile: file, version: ctx.version, store: config.store.kind, ...storeLocation(config, ctx.cwd) }, 'daemon starting');
      const daemon = await start({ ctx, config, logger });
      const signal = await stopRequested;
      logger.info({ signal, graceMs: config.sync.shutdownGraceMs }, 'shutdown requested; send it again to stop at once');
      await daemon.close();
    });
}

/**
 * Where the SQLite store is, resolved: a path outside the working directory is fine (containers
 * mount volumes) but must not be a surprise, so it is said at start.
 */
function storeLocation(config: Config, cwd: string): { storePath?: string; storeOutsideWorkingDirectory?: boolean } {
  if (config.store.kind !== 'sqlite' || config.store.path === ':memory:') return {};
  const fromCwd = relative(cwd, config.store.path);
  return { storePath: config.store.path, storeOutsideWorkingDirectory: fromCwd.startsWith('..') || isAbsolute(fromCwd) };
}

/** The sandbox CA, trusted (next to the public roots) only when sandbox mode is on. */
const sandboxCa = (config: Config): string | null => (config.sandbox.enabled && config.sandbox.caFile ? readFileSync(config.sandbox.caFile, 'utf8') : null);

async function start(args: { ctx: CliContext; config: Config; logger: Logger }) {
  const { ctx, config, logger } = args;
  const metrics = createMetrics();
  let runtime: SyncRuntime | null = null;
  let trigger: (loop: string) => Promise<void> = () => Promise.reject(new Error('the daemon is still starting'));
  try {
    const daemon = await startDaemon({
      config,
      logger,
      openStore: () => openStore(storeOptionsFrom(config.store)),
      loops: async ({ store }): Promise<LoopSet> => {
        if (ctx.composeRuntime === undefined) {
          logger.info('no sync runtime is wired into this build: running the daemon shell only');
          return { loops: [] };
        }
        runtime = await ctx.composeRuntime({ config, logger, store, metrics, trigger: (loop) => trigger(loop) });
        return { loops: runtime.loops, close: runtime.close, ...(runtime.stopWrites === undefined ? {} : { stopWrites: runtime.stopWrites }) };
      },
      server: async ({ store, storeOpen, stopping }) => {
        const health = () => ({ storeOpen: storeOpen(), stopping: stopping(), connectors: runtime?.connectorHealth() ?? {} });
        const sessionTtlMs = config.server.auth.sessionHours * 3_600_000;
        const auth = {
          token: loadAdminToken({ config, cwd: ctx.cwd, logger }),
          allowedHosts: allowedHostsFor(config.server),
          sessions: new SessionStore({ clock: systemClock, ttlMs: sessionTtlMs }),
          sessionTtlMs,
          logger,
          entra: config.server.auth.entra === null ? null : entraSignIn({ config: config.server.auth.entra, logger, clock: systemClock, ca: sandboxCa(config) }),
        };
        // Stalled loops and an unreachable store are the operator's business: the public webhook
        // listener stays ready for deliveries (the reconciliation poll catches up on any it loses).
        const adminHealth = async () => {
          const base = health();
          if (!base.storeOpen) return base;
          const problem = await storeProblem(store);
          const loops = problem === null ? await (runtime?.loopReadiness?.() ?? Promise.resolve([])).catch(() => []) : [];
          return { ...base, storeProblem: problem, loops, leases: runtime?.leases?.() ?? [] };
        };
        const admin = await buildServer({
          logger,
          metrics,
          health: adminHealth,
          auth,
          requestTimeoutMs: config.server.requestTimeoutMs,
          ...(runtime?.routes === undefined ? {} : { routes: runtime.routes }),
        });
        const webhookRoutes = runtime?.webhookRoutes;
        return { admin, webhooks: webhookRoutes === undefined ? null : await buildWebhookServer({ logger, health, routes: webhookRoutes, requestTimeoutMs: config.server.webhooks.requestTimeoutMs }) };
      },
    });
    trigger = (loop) => daemon.trigger(loop);
    return daemon;
  } catch (error) {
    logger.fatal({ err: error }, 'daemon failed to start');
    // Said once more in plain words: the JSON line may be going to a log collector.
    ctx.stderr(`cosell-sync: the daemon could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    throw new CliExit(EXIT_FATAL);
  }
}
