/**
 * The status page and its JSON: connector health, recent runs, held conflicts (resolvable here),
 * failed records (retryable here). Customer contact details never appear: values are shown as
 * the mapping's canonical values of deal fields, and contact lists only as counts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml, pageShell } from '../server/admin/index.js';
import { isFormBody } from '../server/admin/decide.js';
import { resolveHeldConflict, type ConflictChoice } from '../engine/conflicts.js';
import type { EngineDeps } from '../engine/types.js';
import type { Metrics } from '../server/metrics.js';
import { recordHistory } from '../store/record-history.js';
import { historyQueryOf, renderHistoryPage } from './history-page.js';
import { renderStatusPage } from './status-page.js';
import { statusSnapshot, type ScheduledLoops } from './status-snapshot.js';

/**
 * JSON for API clients; for the page's own form posts, back to the page (303) on success, or a
 * short page saying what went wrong.
 */
function answer(req: FastifyRequest, reply: FastifyReply, status: number, body: object) {
  if (!isFormBody(req.headers['content-type'])) return reply.code(status).send(body);
  if (status < 300) return reply.code(303).header('location', '/').send();
  const message = 'error' in body ? String(body.error) : 'the request failed';
  return reply.code(status).type('text/html; charset=utf-8').send(pageShell('cosell-sync', `<p class="bad" role="alert">${escapeHtml(message)}</p><p><a href="/">Back to the status page</a></p>`));
}

export async function statusRoutes(args: { app: FastifyInstance; deps: EngineDeps; metrics: Metrics; schedules?: ScheduledLoops }): Promise<void> {
  const { app, deps, schedules } = args;
  app.get('/status', async () => statusSnapshot(deps, schedules));
  app.get('/', async (req, reply) =>
    reply.type('text/html; charset=utf-8').send(renderStatusPage(await statusSnapshot(deps, schedules), { csrf: req.adminSession?.csrf ?? null, user: req.adminSession?.user ?? null })),
  );
  app.get<{ Querystring: { crmId?: string; referralId?: string } }>('/history', async (req, reply) => {
    const query = historyQueryOf(req.query);
    const history = query === null ? null : await recordHistory(deps.store, query);
    const asked = req.query.crmId !== undefined || req.query.referralId !== undefined;
    return reply.code(query === null && asked ? 400 : 200).type('text/html; charset=utf-8').send(renderHistoryPage(query, history, asked));
  });
  app.get<{ Querystring: { crmId?: string; referralId?: string } }>('/history.json', async (req, reply) => {
    const query = historyQueryOf(req.query);
    if (query === null) return reply.code(400).send({ error: 'name one record: crmId or referralId' });
    return recordHistory(deps.store, query);
  });
  app.post<{ Params: { id: string }; Body: { take?: string; value?: unknown } | undefined; Querystring: { take?: string } }>('/conflicts/:id/resolve', async (req, reply) => {
    const take = req.body?.take ?? req.query.take;
    const choice: ConflictChoice | null =
      take === 'crm' || take === 'partnerCenter' ? { take } : take === 'value' ? { take, value: req.body?.value ?? null } : null;
    if (!choice) return answer(req, reply, 400, { error: 'take must be crm, partnerCenter or value' });
    try {
      return answer(req, reply, 200, await resolveHeldConflict(deps, { conflictId: req.params.id, choice }));
    } catch (error) {
      return answer(req, reply, 409, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  app.post<{ Params: { key: string } }>('/failures/:key/retry', async (req, reply) => {
    const found = await deps.store.retryFailureNow(req.params.key, deps.clock.now().toISOString());
    return found ? answer(req, reply, 200, { key: req.params.key, due: 'now' }) : answer(req, reply, 404, { error: `no failure ${req.params.key}` });
  });
}
