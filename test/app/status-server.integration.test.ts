import { Writable } from 'node:stream';

import { describe, expect, it } from '@jest/globals';

import type { ConnectorHealth } from '../../connectors/types.js';
import { createLogger } from '../../src/logging/index.js';
import type { HealthReport } from '../../src/server/index.js';
import { buildServer, createMetrics } from '../../src/server/index.js';
import { SessionStore } from '../../src/server/admin/index.js';
import { systemClock } from '../../src/core/clock.js';

const quiet = createLogger({ level: 'silent', pretty: false, destination: new Writable({ write: (_c, _e, done) => done() }) });
const ok: ConnectorHealth = { state: 'ok', detail: null, pausedUntil: null };
const TOKEN = 'status-server-test-token-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };
const auth = {
  token: TOKEN,
  allowedHosts: new Set(['127.0.0.1']),
  sessions: new SessionStore({ clock: systemClock, ttlMs: 60_000 }),
  sessionTtlMs: 60_000,
  logger: quiet,
  entra: null,
};

async function withServer(
  health: () => HealthReport,
  use: (base: string, metrics: ReturnType<typeof createMetrics>) => Promise<void>,
  routes?: Parameters<typeof buildServer>[0]['routes'],
): Promise<void> {
  const metrics = createMetrics();
  const app = await buildServer({ logger: quiet, metrics, health, auth, ...(routes === undefined ? {} : { routes }) });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    await use(address, metrics);
  } finally {
    await app.close();
  }
}

describe('status server', () => {
  it('answers /healthz while the process runs', async () => {
    await withServer(
      () => ({ storeOpen: false, connectors: {} }),
      async (base) => {
        const response = await fetch(`${base}/healthz`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: 'ok' });
      },
    );
  });

  it('is ready with the store open even when a connector is paused by rate limits', async () => {
    const paused: ConnectorHealth = { state: 'paused', detail: 'Retry-After 30 s', pausedUntil: '2026-01-01T00:00:30Z' };
    await withServer(
      () => ({ storeOpen: true, connectors: { partnerCenter: ok, salesforce: paused } }),
      async (base) => {
        const response = await fetch(`${base}/readyz`);
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ status: 'ready', reasons: [] });
      },
    );
  });

  it('is not ready, with every reason, when the store is closed or a sign-in failed', async () => {
    const locked: ConnectorHealth = { state: 'authFailed', detail: 'refresh token expired', pausedUntil: null };
    await withServer(
      () => ({ storeOpen: false, connectors: { partnerCenter: locked, dynamics: ok } }),
      async (base) => {
        const response = await fetch(`${base}/readyz`);
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual({
          status: 'notReady',
          reasons: ['store: not open', 'partnerCenter: authentication failed (refresh token expired)'],
        });
      },
    );
  });

  it('is not ready while a lease blocks its loop: held past its expiry and not obtainable here', async () => {
    const blocked = { name: 'loop:inbound', state: 'blocked' as const, holder: 'host-b', heldUntil: '2026-12-07T10:00:00.000Z', blockedSince: '2026-12-07T10:01:00.000Z' };
    const elsewhere = { name: 'loop:outbound:salesforce', state: 'elsewhere' as const, holder: 'host-b', heldUntil: '2099-01-01T00:00:00.000Z', blockedSince: null };
    await withServer(
      () => ({ storeOpen: true, connectors: { partnerCenter: ok }, leases: [blocked, elsewhere] }),
      async (base) => {
        const response = await fetch(`${base}/readyz`);
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual({
          status: 'notReady',
          reasons: [
            'lease loop:inbound: held by host-b past its expiry (2026-12-07T10:00:00.000Z) since 2026-12-07T10:01:00.000Z and cannot be taken over (clocks out of step, or the store refuses); its loop does not run',
          ],
        });
      },
    );
  });

  it('is not ready once shutdown began, so no new webhooks are sent here', async () => {
    await withServer(
      () => ({ storeOpen: true, stopping: true, connectors: { partnerCenter: ok } }),
      async (base) => {
        const response = await fetch(`${base}/readyz`);
        expect(response.status).toBe(503);
        expect(await response.json()).toEqual({ status: 'notReady', reasons: ['daemon: shutting down'] });
      },
    );
  });

  it('exposes default and sync metrics in Prometheus text', async () => {
    await withServer(
      () => ({ storeOpen: true, connectors: {} }),
      async (base, metrics) => {
        metrics.recordsSynced.inc({ direction: 'outbound', system: 'salesforce', result: 'written' }, 3);
        metrics.cycleSeconds.observe({ crm: 'salesforce', direction: 'inbound' }, 0.2);
        // Metrics are for the operator's scraper, which sends the admin token.
        expect((await fetch(`${base}/metrics`)).status).toBe(401);
        const response = await fetch(`${base}/metrics`, { headers: bearer });
        expect(response.headers.get('content-type')).toContain('text/plain');
        const text = await response.text();
        expect(text).toContain('cosell_records_synced_total{direction="outbound",system="salesforce",result="written"} 3');
        expect(text).toContain('cosell_cycle_seconds_count{crm="salesforce",direction="inbound"} 1');
        expect(text).toContain('cosell_process_cpu_user_seconds_total');
      },
    );
  });

  it('serves routes other parts add, behind the admin token', async () => {
    await withServer(
      () => ({ storeOpen: true, connectors: {} }),
      async (base) => {
        expect((await fetch(`${base}/conflicts`)).status).toBe(401);
        const response = await fetch(`${base}/conflicts`, { headers: bearer });
        expect(await response.json()).toEqual({ open: 0 });
      },
      (app) => {
        app.get('/conflicts', async () => ({ open: 0 }));
      },
    );
  });
});
