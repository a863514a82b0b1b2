import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify, { LogController } from 'fastify';

import type { Logger } from '../logging/index.js';
import type { AdminGuardOptions } from './admin/guard.js';
import { installAdminGuard } from './admin/guard.js';
import type { HealthReport } from './health.js';
import { judgeReadiness } from './health.js';
import type { Metrics } from './metrics.js';
import { logRequests } from './request-log.js';
import { requestTimeoutOptions } from './request-timeout.js';

const PROBE_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** Adds routes (status page, webhooks, conflict review) to the status server. */
export type RouteRegistrar = (app: FastifyInstance) => void | Promise<void>;

/**
 * The admin listener: `/healthz` (the process answers), `/readyz` (store open, no connector
 * locked out; 503 with reasons otherwise) and `/metrics` (Prometheus text). Others add routes
 * through `routes`. Everything but the two probes is behind `auth` (admin/guard.ts). It does not
 * listen: the caller decides where (`app.listen`) and when.
 */
export async function buildServer(args: {
  logger: Logger;
  metrics: Metrics;
  auth: AdminGuardOptions;
  health: () => HealthReport | Promise<HealthReport>;
  routes?: RouteRegistrar;
  /** How long a request may take to arrive whole (default 30 s); a sender still trickling after that is cut off. */
  requestTimeoutMs?: number;
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: args.logger.child({ component: 'server' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ...requestTimeoutOptions(args.requestTimeoutMs ?? 30_000),
  });
  logRequests(app, { quiet: PROBE_PATHS });

  installAdminGuard(app, args.auth);

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const readiness = judgeReadiness(await args.health());
    return reply.code(readiness.ready ? 200 : 503).send({ status: readiness.ready ? 'ready' : 'notReady', reasons: readiness.reasons });
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await args.metrics.registry.metrics();
    return reply.type(args.metrics.registry.contentType).send(body);
  });

  if (args.routes !== undefined) await app.register(async (scope) => args.routes?.(scope));
  return app;
}
