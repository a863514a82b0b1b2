import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify, { LogController } from 'fastify';

import type { Logger } from '../logging/index.js';
import type { RouteRegistrar } from './build-server.js';
import type { HealthReport } from './health.js';
import { judgeReadiness } from './health.js';
import { logRequests } from './request-log.js';
import { requestTimeoutOptions } from './request-timeout.js';

/**
 * The public listener: Partner Center webhooks (added through `routes`) and, for a load balancer
 * in front of it, `/healthz` and `/readyz`. Readiness says only ready or not: the reasons name
 * connectors and sign-in problems, which are for the operator on the admin listener. Nothing of the
 * admin surface (status page, conflicts, failures, metrics) exists here.
 */
export async function buildWebhookServer(args: {
  logger: Logger;
  health: () => HealthReport | Promise<HealthReport>;
  routes: RouteRegistrar;
  /** How long a request may take to arrive whole; a sender still trickling after that is cut off. */
  requestTimeoutMs: number;
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: args.logger.child({ component: 'webhookServer' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ...requestTimeoutOptions(args.requestTimeoutMs),
  });
  logRequests(app, { quiet: new Set(['/healthz', '/readyz']) });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const readiness = judgeReadiness(await args.health());
    return reply.code(readiness.ready ? 200 : 503).send({ status: readiness.ready ? 'ready' : 'notReady' });
  });
  await app.register(async (scope) => args.routes(scope));
  return app;
}
