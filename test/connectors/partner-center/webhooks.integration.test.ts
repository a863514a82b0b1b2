/**
 * Webhooks end to end against the sandbox: register with the CSP-audience token, let the
 * emulator deliver signed events to our fastify route, verify them against the sandbox CA
 * (downloading the signing certificate over TLS), and fetch the referral the event names.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { createDeviceCodeTokenProvider } from '../../../connectors/partner-center/auth/device-code.js';
import { parseCacheKey } from '../../../connectors/partner-center/auth/encrypted-cache.js';
import { createMsalNetworkClient } from '../../../connectors/partner-center/auth/network-client.js';
import { createPartnerCenterConnector } from '../../../connectors/partner-center/connector.js';
import { cachedCertificates, fetchCertificateOverHttps } from '../../../connectors/partner-center/webhooks/certificate-cache.js';
import type { WebhookEvent } from '../../../connectors/partner-center/webhooks/event.js';
import { createWebhookRegistrationClient } from '../../../connectors/partner-center/webhooks/registration.js';
import type { WebhookRegistrationClient } from '../../../connectors/partner-center/webhooks/registration.js';
import { webhookRoute } from '../../../connectors/partner-center/webhooks/route.js';
import { verifyWebhook } from '../../../connectors/partner-center/webhooks/verify.js';
import type { PartnerCenterConnector } from '../../../connectors/types.js';
import { startEntraEmulator } from '../../../sandbox/entra/index.js';
import { startPartnerCenterEmulator } from '../../../sandbox/partner-center/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert } from '../../../sandbox/shared/tls.js';
import { systemClock } from '../../../src/core/clock.js';
import { openStore } from '../../../src/store/open-store.js';
import type { StateStore } from '../../../src/store/types.js';
import { logSink } from './support/harness.js';
import { SOLUTION_ID, draft } from './support/fixtures.js';

const ca = createSandboxCa();
const tls = issueServerCert(ca, { hosts: ['127.0.0.1'] });
const clock = new SandboxClock(new Date('2026-03-02T09:00:00.000Z'));
const events: WebhookEvent[] = [];
const sink = logSink();
let entra: Awaited<ReturnType<typeof startEntraEmulator>>;
let pc: Awaited<ReturnType<typeof startPartnerCenterEmulator>>;
let app: FastifyInstance;
let store: StateStore;
let connector: PartnerCenterConnector;
let registration: WebhookRegistrationClient;
let closeNetwork = (): void => undefined;

beforeAll(async () => {
  entra = await startEntraEmulator({ clock, tls, deviceCodeIntervalSeconds: 0, autoApproveDeviceCodesAs: 'referral.admin@partner.example' });
  pc = await startPartnerCenterEmulator({ clock, seed: 3, size: 0, tls, tokenValidator: entra.tokenValidator, options: { webhooks: { ca, retryBaseMs: 20, resourceUriStyle: 'documented' } } });
  store = await openStore({ kind: 'sqlite', path: ':memory:' });
  const network = createMsalNetworkClient({ ca: ca.cert });
  closeNetwork = () => network.close();
  const tokens = createDeviceCodeTokenProvider({ clientId: 'cosell-sync', authority: entra.control.authority() }, { store, cacheKey: parseCacheKey('e'.repeat(64)), logger: sink.logger, networkClient: network });
  await tokens.loginWithDeviceCode({ onCode: () => undefined });
  connector = createPartnerCenterConnector({ baseUrl: pc.server.url, ca: ca.cert, solutionId: SOLUTION_ID }, { logger: sink.logger, clock: systemClock, tokens });
  registration = createWebhookRegistrationClient({ baseUrl: pc.server.url, ca: ca.cert }, { tokens, logger: sink.logger, clock: systemClock });

  const fetchCertificate = cachedCertificates({ fetch: fetchCertificateOverHttps({ ca: ca.cert }), clock: systemClock });
  app = Fastify();
  await app.register(
    webhookRoute({
      path: '/webhooks/partner-center',
      logger: sink.logger,
      verify: (req) => verifyWebhook({ ...req, trustedRoots: [ca.cert], hostAllowList: ['127.0.0.1'], fetchCertificate, now: new Date() }),
      onEvent: (e) => void events.push(e),
    }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await connector.close();
  registration.close();
  closeNetwork();
  await pc.server.close();
  await entra.server.close();
  await store.close();
});

describe('Partner Center webhooks against the sandbox', () => {
  it('registers, receives a signed referral-created event, and fetches that referral', async () => {
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const reg = await registration.register({ url: `http://127.0.0.1:${port}/webhooks/partner-center` });
    expect(reg.events).toContain('referral-updated');
    expect((await registration.get())?.webhookUrl).toBe(`http://127.0.0.1:${port}/webhooks/partner-center`);

    const { referral } = await connector.createReferral({ draft: draft({ externalReferenceId: 'crm-webhook-1' }), dealType: { kind: 'private' } });
    await pc.control.webhooksIdle();
    const created = events.find((e) => e.eventName === 'referral-created');
    expect(created?.referralId).toBe(referral.id);
    expect((await connector.getReferral(created?.referralId ?? ''))?.externalReferenceId).toBe('crm-webhook-1');
    expect(sink.lines().some((l) => l.msg === 'rejected a Partner Center webhook')).toBe(false);
  });
});
