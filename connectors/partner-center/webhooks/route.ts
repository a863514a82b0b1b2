/**
 * The webhook endpoint as a fastify plugin. A body that is not JSON by its Content-Type is
 * refused (415) before it is read; then the signature is checked on the raw body before anything
 * else; bad or unsigned requests get 401 and one log line, never a crash. A good event is handed
 * to `onEvent` (which enqueues "fetch referral X"); the work happens elsewhere. An event that
 * `onEvent` ignores (seen before, too old) is still answered 200, so the sender stops delivering it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { Result } from '../../../src/domain/result.js';
import { parseWebhookEvent } from './event.js';
import type { WebhookEvent } from './event.js';
import type { HeaderBag, WebhookRejection } from './verify.js';

/** Why a signed, well-formed event was not acted on. */
export type IgnoredReason = 'replayed' | 'tooOld';

export interface WebhookRouteOptions {
  path: string;
  /** Usually `(req) => verifyWebhook({ ...req, trustedRoots, hostAllowList, fetchCertificate, now })`. */
  verify: (request: { headers: HeaderBag; rawBody: string }) => Promise<Result<unknown, WebhookRejection>>;
  /**
   * Enqueues, or says why the event is ignored; must be quick. `rawBody` is the signed body, the
   * one identity an event has (the payload carries no event id). A throw answers 500 so Partner
   * Center delivers again.
   */
  onEvent: (event: WebhookEvent, rawBody: string) => void | { ignored: IgnoredReason } | Promise<void | { ignored: IgnoredReason }>;
  logger: Logger;
  /** Bodies above this are refused before verification. */
  bodyLimit?: number;
}

/** Partner Center posts JSON; the media type is compared without its parameters (`; charset=utf-8`). */
export const isJsonContentType = (value: string | undefined): boolean => (value ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';

export function webhookRoute(options: WebhookRouteOptions): FastifyPluginAsync {
  const log = options.logger.child({ component: 'partnerCenterWebhook' });
  return async (app) => {
    // Encapsulated: the raw-text parser and the media-type check apply to this plugin's routes only.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: options.bodyLimit ?? 64 * 1024 }, (_req, body, done) => done(null, body));
    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST' || isJsonContentType(request.headers['content-type'])) return undefined;
      log.warn({ contentType: String(request.headers['content-type'] ?? '(none)').slice(0, 80), ip: request.ip }, 'refused a webhook post that is not JSON');
      return reply.code(415).send({ error: 'unsupported media type: send application/json' });
    });

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
      const { eventName, referralId, changedAt } = event.value;
      let outcome: void | { ignored: IgnoredReason };
      try {
        outcome = await options.onEvent(event.value, rawBody);
      } catch (error) {
        log.error({ eventName, referralId, err: { message: error instanceof Error ? error.message : String(error) } }, 'could not enqueue a Partner Center webhook event');
        return reply.code(500).send({ error: 'try again' });
      }
      if (outcome !== undefined) {
        // 200, not an error: an error would have Partner Center deliver it again, up to ten times.
        log.warn({ eventName, referralId, changedAt, ignored: outcome.ignored, ip: request.ip }, 'Partner Center webhook ignored');
        return reply.code(200).send({ ok: true, ignored: outcome.ignored });
      }
      log.info({ eventName, referralId }, 'Partner Center webhook accepted');
      return reply.code(200).send({ ok: true });
    });
  };
}
