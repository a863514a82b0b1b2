/**
 * The connector contract against the sandbox Partner Center emulator, over TLS with the sandbox
 * CA, under both readings of each point Microsoft's documentation leaves open the emulator can switch (nextLink style,
 * server-side filters, co-sell shape, create status). The filters are not told to the connector:
 * it must detect the refusal itself.
 */
import { afterAll, beforeAll, describe } from '@jest/globals';
import { createDeviceCodeTokenProvider } from '../../../connectors/partner-center/auth/device-code.js';
import { parseCacheKey } from '../../../connectors/partner-center/auth/encrypted-cache.js';
import { createMsalNetworkClient } from '../../../connectors/partner-center/auth/network-client.js';
import { createPartnerCenterConnector } from '../../../connectors/partner-center/connector.js';
import type { PartnerCenterConnector } from '../../../connectors/types.js';
import { startEntraEmulator } from '../../../sandbox/entra/index.js';
import { startPartnerCenterEmulator } from '../../../sandbox/partner-center/index.js';
import type { PartnerCenterOptionsInput } from '../../../sandbox/partner-center/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert } from '../../../sandbox/shared/tls.js';
import { systemClock } from '../../../src/core/clock.js';
import { openStore } from '../../../src/store/open-store.js';
import type { StateStore } from '../../../src/store/types.js';
import { partnerCenterContract } from './support/contract-suite.js';
import type { ContractBackend } from './support/contract-suite.js';
import { logSink } from './support/harness.js';
import { SOLUTION_ID } from './support/fixtures.js';

const ca = createSandboxCa();
const tls = issueServerCert(ca, { hosts: ['127.0.0.1'] });

const readings: { name: string; emulator: PartnerCenterOptionsInput; coSellMode: 'twoReferrals' | 'singleReferral' }[] = [
  { name: 'documented readings (quirky nextLink, filters, two POSTs, 201)', emulator: { nextLinkStyle: 'quirk', createStatus: 201, coSellMode: 'twoReferrals' }, coSellMode: 'twoReferrals' },
  {
    name: 'other readings (clean nextLink, no server filters, one POST, 200)',
    emulator: { nextLinkStyle: 'clean', filterExternalReferenceId: false, filterUpdatedDateTimeGt: false, createStatus: 200, coSellMode: 'singleReferral' },
    coSellMode: 'singleReferral',
  },
];

describe.each(readings)('against the sandbox emulator', (reading) => {
  const clock = new SandboxClock(new Date('2026-03-02T09:00:00.000Z'));
  let entra: Awaited<ReturnType<typeof startEntraEmulator>>;
  let pc: Awaited<ReturnType<typeof startPartnerCenterEmulator>>;
  let store: StateStore;
  let connector: PartnerCenterConnector;
  let closeNetwork: () => void = () => undefined;
  const seeded = 230;

  beforeAll(async () => {
    entra = await startEntraEmulator({ clock, tls, deviceCodeIntervalSeconds: 0, autoApproveDeviceCodesAs: 'referral.admin@partner.example' });
    pc = await startPartnerCenterEmulator({ clock, seed: 11, size: seeded, tls, options: reading.emulator, tokenValidator: entra.tokenValidator });
    store = await openStore({ kind: 'sqlite', path: ':memory:' });
    const network = createMsalNetworkClient({ ca: ca.cert });
    closeNetwork = () => network.close();
    const logger = logSink().logger;
    const tokens = createDeviceCodeTokenProvider(
      { clientId: 'cosell-sync', authority: entra.control.authority() },
      { store, cacheKey: parseCacheKey(Buffer.alloc(32, 9).toString('base64')), logger, networkClient: network },
    );
    await tokens.loginWithDeviceCode({ onCode: () => undefined });
    connector = createPartnerCenterConnector(
      {
        baseUrl: pc.server.url,
        ca: ca.cert,
        solutionId: SOLUTION_ID,
        coSellMode: reading.coSellMode,
        timeoutMs: 5000,
        pageSize: 100,
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50, retryUnknownOutcome: true },
      },
      { logger, clock: systemClock, tokens, store },
    );
  });

  afterAll(async () => {
    await connector.close();
    closeNetwork();
    await pc.server.close();
    await entra.server.close();
    await store.close();
  });

  const backend = (): ContractBackend => ({
    connector,
    coSellMode: reading.coSellMode,
    seeded,
    editAsUser: (id, changes) => Promise.resolve(void pc.control.editAsUser({ id, changes })),
    countByExternalReferenceId: (ext) => Promise.resolve(pc.control.countByExternalReferenceId(ext)),
    receiveFromMicrosoft: (category) => Promise.resolve(pc.control.createInbound({ category }).id),
    cutOffCreates: (on) => pc.server.faults.set(on ? [{ method: 'POST', path: '/v1\\.0/engagements/referrals$', truncateRate: 1 }] : []),
  });

  partnerCenterContract(reading.name, backend);
});
