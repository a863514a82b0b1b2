/**
 * The Partner Center webhook endpoint of the daemon: signature checked against the configured
 * roots (the sandbox CA only in sandbox mode; otherwise Node's bundled public roots or a
 * configured file), certificate fetched only from allow-listed hosts and within bounds, replayed
 * and too old events ignored (webhook-replay.ts), the rest only enqueued.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { cachedCertificates, fetchCertificateOverHttps, verifyWebhook, webhookRoute } from '../../connectors/partner-center/index.js';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { StateStore } from '../store/types.js';
import { trustedCa } from './compose.js';
import type { ReferralEventQueue } from './event-queue.js';
import { judgeEventAge, webhookEventId } from './webhook-replay.js';

export async function webhookRoutes(args: { app: FastifyInstance; config: Config; logger: Logger; queue: ReferralEventQueue; store: StateStore; clock: Clock }): Promise<void> {
  const { app, config, logger, queue, store, clock } = args;
  const hooks = config.partnerCenter.webhooks;
  const sandboxCa = trustedCa(config);
  const trustedRoots = hooks.trustedRootCaFile ? [readFileSync(hooks.trustedRootCaFile, 'utf8')] : sandboxCa ? [sandboxCa] : [...rootCertificates];
  // `*.microsoft.com` in the config means any subdomain; the verifier spells that `.microsoft.com`.
  const hostAllowList = hooks.certificateHostAllowList.map((h) => (h.startsWith('*.') ? h.slice(1) : h));
  const download = hooks.certificateDownload;
  const fetchCertificate = cachedCertificates({
    fetch: fetchCertificateOverHttps({ timeoutMs: download.timeoutMs, ...(sandboxCa ? { ca: sandboxCa } : {}) }),
    clock,
    concurrency: download.concurrency,
  });
  await app.register(
    webhookRoute({
      path: hooks.path,
      logger,
      verify: ({ headers, rawBody }) =>
        verifyWebhook({
          headers,
          rawBody,
          trustedRoots,
          hostAllowList,
          fetchCertificate,
          now: clock.now(),
          expectedOrganization: sandboxCa ? null : 'Microsoft Corporation',
        }),
      onEvent: async (event, rawBody) => {
        const now = clock.now();
        const age = judgeEventAge({ changedAt: event.changedAt, nowMs: now.getTime(), windowMs: hooks.replayWindowMs });
        if (age.kind === 'tooOld') return { ignored: 'tooOld' };
        const first = await store.takeWebhookEvent({ eventId: webhookEventId(rawBody), now: now.toISOString(), forgetAfter: new Date(age.forgetAfterMs).toISOString() });
        if (!first) return { ignored: 'replayed' };
        if (event.referralId !== null) queue.push(event.referralId);
        return undefined;
      },
    }),
  );
}
