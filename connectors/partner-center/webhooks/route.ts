/**
 * The webhook endpoint as a fastify plugin. The signature is checked on the raw body before
 * anything else; bad or unsigned requests get 401 and one log line, never a crash. A good event is
 * only handed to `onEvent` (which enqueues "fetch referral X"); the work happens elsewhere.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Result } from '../../../src/domain/result.js';
import { parseWebhookEvent } from './event.js';
import type { WebhookEvent } from './event.js';
import type { HeaderBag, WebhookRejection } from './verify.js';

export interface WebhookRouteOptions {
  path: string;
  /** Usually `(req) => verifyWebhook({ ...req, trustedRoots, hostAllowList, fetchCertificate, now })`. */
  verify: (request: { headers: HeaderBag; rawBody: string }) => Promise<Result<unknown, WebhookRejection>>;
  /** Enqueues; must be quick. A throw answers 500 so Partner Center delivers again. */
  onEvent: (event: WebhookEvent) => void | Promise<void>;
  logger: Logger;
  /** Bodies above this are refused before verification. */
  bodyLimit?: number;
}

export function webhookRoute(options: WebhookRouteOptions): FastifyPluginAsync {
  const log = options.logger.child({ component: 'partnerCenterWebhook' });
  return async (app) => {
    // Encapsulated: the raw-text parser applies to this plugin's routes only.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: options.bodyLimit ?? 64 * 1024 }, (_req, body, done) => done(null, body));

    app.post(options.path, async (request, reply) => {
      const rawBody = typeof request.body === 'string' ? request.body : '';
      let verdict: Result<unknown, WebhookRejection>;
      try {
        verdict = await options.verify({ headers: request.headers, rawBody });
      } catch (error) {
        verdict = { ok: false, error: { reason: 'badSignature', detail: `verification failed: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200) } };
      }
      if (!verdict.ok) {
        log.warn({ reason: verdict.error.reason, detail: verdict.error.detail, ip: request.ip }, 'rejected a Partner Center webhook');
        return reply.code(401).send({ error: 'unauthorized' });
      }
      let body: unknown;
      try {
        body = JSON.parse(rawBody);
      } catch {
        log.warn({ ip: request.ip }, 'a signed Partner Center webhook has a body that is not JSON');
        return reply.code(400).send({ error: 'bad request' });
      }
      const event = parseWebhookEvent(body);
      if (!event.ok) {
        log.warn({ detail: event.error }, 'a signed Partner Center webhook could not be read');
        return reply.code(400).send({ error: 'bad request' });
      }
      try {
        await options.onEvent(event.value);
      } catch (error) {
        log.error({ eventName: event.value.eventName, referralId: event.value.referralId, err: { message: error instanceof Error ? error.message : String(error) } }, 'could not enqueue a Partner Center webhook event');
        return reply.code(500).send({ error: 'try again' });
      }
      log.info({ eventName: event.value.eventName, referralId: event.value.referralId }, 'Partner Center webhook accepted');
      return reply.code(200).send({ ok: true });
    });
  };
}
