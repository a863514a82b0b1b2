/**
 * The Partner Center webhook endpoint of the daemon: signature checked against the configured
 * roots (the sandbox CA only in sandbox mode; otherwise Node's bundled public roots or a
 * configured file), certificate fetched only from allow-listed hosts, events only enqueued.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { cachedCertificates, fetchCertificateOverHttps, verifyWebhook, webhookRoute } from '../../connectors/partner-center/index.js';
import type { Config } from '../config/index.js';
import { systemClock } from '../core/clock.js';
import { trustedCa } from './compose.js';
import type { ReferralEventQueue } from './event-queue.js';

export async function webhookRoutes(args: { app: FastifyInstance; config: Config; logger: Logger; queue: ReferralEventQueue }): Promise<void> {
  const { app, config, logger, queue } = args;
  const hooks = config.partnerCenter.webhooks;
  const sandboxCa = trustedCa(config);
  const trustedRoots = hooks.trustedRootCaFile ? [readFileSync(hooks.trustedRootCaFile, 'utf8')] : sandboxCa ? [sandboxCa] : [...rootCertificates];
  // `*.microsoft.com` in the config means any subdomain; the verifier spells that `.microsoft.com`.
  const hostAllowList = hooks.certificateHostAllowList.map((h) => (h.startsWith('*.') ? h.slice(1) : h));
  const fetchCertificate = cachedCertificates({ fetch: fetchCertificateOverHttps(sandboxCa ? { ca: sandboxCa } : {}), clock: systemClock });
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
          now: systemClock.now(),
          expectedOrganization: sandboxCa ? null : 'Microsoft Corporation',
        }),
      onEvent: (event) => {
        if (event.referralId !== null) queue.push(event.referralId);
      },
    }),
  );
}
