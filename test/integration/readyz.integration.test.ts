/** /readyz of the admin listener after real cycles of the daemon's own loops against the sandbox. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import { composeRuntime } from '../../src/app/runtime.js';
import type { SyncRuntime } from '../../src/app/sync-runtime.js';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/logging/index.js';
import { SessionStore } from '../../src/server/admin/index.js';
import { buildServer, createMetrics } from '../../src/server/index.js';
import { logSink } from '../app/helpers.js';
import { startHarness, type Harness } from '../support/sandbox-harness.js';

const TOKEN = 'readyz-test-admin-token-0123456789';

describe('/readyz and the sync loops', () => {
  let h: Harness;
  let runtime: SyncRuntime;
  let server: FastifyInstance;
  let base: string;
  const abort = new AbortController();
  const flagged = (): string[] =>
    (h.sandbox.salesforce!.control.query({ soql: 'SELECT Id FROM Opportunity WHERE Sync_With_Partner_Center__c = true' }) as { Id: string }[]).map((r) => r.Id);
  const runOutbound = async (): Promise<void> => runtime.loops.find((l) => l.name === 'outbound:salesforce')!.run(abort.signal);
  const readyz = async (): Promise<{ status: number; body: { status: string; reasons: string[] } }> => {
    const response = await fetch(`${base}/readyz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: response.status, body: (await response.json()) as { status: string; reasons: string[] } };
  };

  beforeAll(async () => {
    h = await startHarness({ size: 8, sandbox: { salesforce: { participatingRate: 1 } } });
    const logger = createLogger({ level: 'info', pretty: false, destination: logSink().stream });
    runtime = await composeRuntime({ config: h.config, logger, store: h.store, metrics: createMetrics(), trigger: async () => undefined });
    const auth = { token: TOKEN, allowedHosts: new Set(['127.0.0.1']), sessions: new SessionStore({ clock: systemClock, ttlMs: 60_000 }), sessionTtlMs: 60_000, logger, entra: null };
    // As `cosell-sync run` wires it: the admin listener's readiness includes the loops.
    server = await buildServer({
      logger,
      metrics: createMetrics(),
      auth,
      health: async () => ({ storeOpen: true, connectors: runtime.connectorHealth(), loops: (await runtime.loopReadiness?.()) ?? [] }),
    });
    base = await server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    abort.abort();
    await server.close();
    await runtime.close();
    await h.close();
  });

  it('turns 503 naming the loop when every record of its last cycle failed, and ready again once records go through', async () => {
    expect((await readyz()).status).toBe(200);
    const ids = flagged();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id, fields: { Name: '  ' } });
    await runOutbound();
    const down = await readyz();
    expect(down.status).toBe(503);
    expect(down.body.reasons).toEqual([`outbound salesforce: every record of the last cycle failed (${ids.length}); see \`cosell-sync failures list\``]);

    h.sandbox.clock.advance(1000);
    for (const [n, id] of ids.entries()) h.sandbox.salesforce!.control.editRecord({ type: 'Opportunity', id, fields: { Name: `Fixed deal ${n}` } });
    await runOutbound();
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', reasons: [] } });
  });
});
