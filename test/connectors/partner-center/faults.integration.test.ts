/**
 * Creates and reads through injected 429s, 503s, timeouts, connection resets and cut-off answers
 * (the emulator's seeded fault injection): every create ends with exactly one referral.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDeviceCodeTokenProvider } from '../../../connectors/partner-center/auth/device-code.js';
import { parseCacheKey } from '../../../connectors/partner-center/auth/encrypted-cache.js';
import { createMsalNetworkClient } from '../../../connectors/partner-center/auth/network-client.js';
import { createPartnerCenterConnector } from '../../../connectors/partner-center/connector.js';
import type { PartnerCenterConnector } from '../../../connectors/types.js';
import { DEFAULT_TENANT_ID, startEntraEmulator } from '../../../sandbox/entra/index.js';
import { startPartnerCenterEmulator } from '../../../sandbox/partner-center/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { systemClock } from '../../../src/core/clock.js';
import { openStore } from '../../../src/store/open-store.js';
import type { StateStore } from '../../../src/store/types.js';
import { collect, logSink } from './support/harness.js';
import { SOLUTION_ID, draft } from './support/fixtures.js';

const clock = new SandboxClock(new Date('2026-03-02T09:00:00.000Z'));
let entra: Awaited<ReturnType<typeof startEntraEmulator>>;
let pc: Awaited<ReturnType<typeof startPartnerCenterEmulator>>;
let store: StateStore;
let connector: PartnerCenterConnector;
let closeNetwork = (): void => undefined;

beforeAll(async () => {
  entra = await startEntraEmulator({ clock, deviceCodeIntervalSeconds: 0, autoApproveDeviceCodesAs: 'referral.admin@partner.example' });
  pc = await startPartnerCenterEmulator({
    clock,
    seed: 5,
    size: 150,
    tokenValidator: entra.tokenValidator,
    faults: [{ path: '/v1\\.0/engagements/referrals', errorRate: 0.15, errorStatus: 429, retryAfterSeconds: 0, resetRate: 0.05, timeoutRate: 0.03, truncateRate: 0.05 }],
  });
  store = await openStore({ kind: 'sqlite', path: ':memory:' });
  const network = createMsalNetworkClient({ rewrite: { from: 'https://login.microsoftonline.com', to: entra.server.url } });
  closeNetwork = () => network.close();
  const logger = logSink().logger;
  const tokens = createDeviceCodeTokenProvider(
    { clientId: 'cosell-sync', authority: `https://login.microsoftonline.com/${DEFAULT_TENANT_ID}` },
    { store, cacheKey: parseCacheKey('c'.repeat(64)), logger, networkClient: network },
  );
  await tokens.loginWithDeviceCode({ onCode: () => undefined });
  connector = createPartnerCenterConnector(
    { baseUrl: pc.server.url, solutionId: SOLUTION_ID, timeoutMs: 250, pageSize: 50, retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 40, retryUnknownOutcome: true } },
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

describe('Partner Center connector under injected faults', () => {
  it('creates every referral exactly once', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `crm-fault-${i}`);
    for (const ext of ids) {
      const dealType = ext.endsWith('0') ? ({ kind: 'coSell', help: 'GeneralOrOther', notes: null } as const) : ({ kind: 'private' } as const);
      const { referral } = await connector.createReferral({ draft: draft({ externalReferenceId: ext }), dealType });
      if (dealType.kind === 'coSell') await connector.inviteMicrosoft({ own: referral, draft: draft({ externalReferenceId: ext }), dealType });
    }
    expect(ids.map((ext) => pc.control.countByExternalReferenceId(ext))).toEqual(ids.map(() => 1));
    // The faults really happened (timeouts and resets are not logged by the emulator).
    expect(pc.server.stats.log().filter((e) => e.status === 429).length).toBeGreaterThan(3);
    // Each co-sell engagement holds exactly one Microsoft-side invite.
    const cosell = pc.control.list().filter((r) => r.externalReferenceId?.endsWith('0') && r.externalReferenceId.startsWith('crm-fault-'));
    for (const r of cosell) {
      const side = pc.control.list().filter((x) => x.engagementId === r.engagementId && x.target.some((t) => t.id === 'msft'));
      expect(side).toHaveLength(1);
    }
  });

  it('lists every referral once through the faults', async () => {
    const pages = await collect(connector.listChanged({ cursor: null }));
    const seen = pages.flatMap((p) => p.items.map((r) => r.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(pc.control.list().length);
  });
});
