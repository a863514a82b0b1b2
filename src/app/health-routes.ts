/**
 * The co-sell health section of the admin status site, as routes of its own (the status page
 * includes the section; its listener and authentication apply to these routes too):
 * `GET /co-sell` (page), `GET /co-sell/section` (the HTML fragment), `GET /co-sell.json`.
 * `?since=YYYY-MM-DD` sets the period. Read-only.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import { renderHealthPage, renderHealthSection } from '../health/render-html.js';
import { parseSince } from '../health/since.js';
import type { StateStore } from '../store/types.js';
import { configuredMappings, healthReportFrom } from './health-report.js';

export async function healthRoutes(args: { app: FastifyInstance; config: Config; store: StateStore; clock: Clock }): Promise<void> {
  const { app, config, store, clock } = args;
  const mappings = configuredMappings(config);
  const report = async (since: string | undefined, reply: FastifyReply) => {
    const parsed = since === undefined ? undefined : parseSince(since);
    if (parsed === null) {
      await reply.code(400).send({ error: `since ${JSON.stringify(since)} is not a date; write it as YYYY-MM-DD` });
      return null;
    }
    return healthReportFrom({ config, store, now: clock.now(), mappings, ...(parsed === undefined ? {} : { since: parsed }) });
  };
  type Req = { Querystring: { since?: string } };
  app.get<Req>('/co-sell.json', async (req, reply) => {
    const r = await report(req.query.since, reply);
    return r === null ? reply : r;
  });
  app.get<Req>('/co-sell/section', async (req, reply) => {
    const r = await report(req.query.since, reply);
    return r === null ? reply : reply.type('text/html; charset=utf-8').send(renderHealthSection(r));
  });
  app.get<Req>('/co-sell', async (req, reply) => {
    const r = await report(req.query.since, reply);
    return r === null ? reply : reply.type('text/html; charset=utf-8').send(renderHealthPage(r));
  });
}
