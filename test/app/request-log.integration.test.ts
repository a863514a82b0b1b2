import { describe, expect, it } from '@jest/globals';

import { createLogger } from '../../src/logging/index.js';
import { systemClock } from '../../src/core/clock.js';
import { SessionStore } from '../../src/server/admin/index.js';
import { buildServer, buildWebhookServer, createMetrics } from '../../src/server/index.js';
import { logSink } from './helpers.js';

const TOKEN = 'request-log-test-token-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };

describe('request log lines', () => {
  it('name the method, the path without its query string, the status and the duration; probes stay quiet', async () => {
    const sink = logSink();
    const logger = createLogger({ level: 'info', pretty: false, destination: sink.stream });
    const app = await buildServer({
      logger,
      metrics: createMetrics(),
      health: () => ({ storeOpen: true, connectors: {} }),
      auth: { token: TOKEN, allowedHosts: new Set(['127.0.0.1']), sessions: new SessionStore({ clock: systemClock, ttlMs: 60_000 }), sessionTtlMs: 60_000, logger, entra: null },
      routes: (scope) => {
        scope.get('/status', async () => ({ ok: true }));
        scope.post('/boom', async () => {
          throw new Error('broken handler');
        });
      },
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`${base}/status?token=s3cret-in-the-query&x=1`, { headers: bearer })).status).toBe(200);
      expect((await fetch(`${base}/nothing-here`, { headers: bearer })).status).toBe(404);
      expect((await fetch(`${base}/boom`, { method: 'POST', headers: bearer })).status).toBe(500);
      await fetch(`${base}/healthz`);
      await fetch(`${base}/metrics`, { headers: bearer });
    } finally {
      await app.close();
    }
    const requests = sink.lines().filter((line) => line['path'] !== undefined);
    expect(requests.map((line) => [line['method'], line['path'], line['status'], line['level']])).toEqual([
      ['GET', '/status', 200, 'info'],
      ['GET', '/nothing-here', 404, 'info'],
      ['POST', '/boom', 500, 'error'],
    ]);
    for (const line of requests) expect(typeof line['durationMs']).toBe('number');
    const text = JSON.stringify(sink.lines());
    expect(text).not.toContain('s3cret-in-the-query');
    expect(text).not.toContain('"req":{}');
    expect(text).not.toContain('"res":{}');
  });

  it('the public webhook listener logs the same way', async () => {
    const sink = logSink();
    const logger = createLogger({ level: 'info', pretty: false, destination: sink.stream });
    const app = await buildWebhookServer({
      logger,
      health: () => ({ storeOpen: true, connectors: {} }),
      routes: (scope) => void scope.post('/webhooks/partner-center', async (_req, reply) => reply.code(202).send()),
      requestTimeoutMs: 10_000,
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      await fetch(`${base}/webhooks/partner-center?code=abc`, { method: 'POST' });
      await fetch(`${base}/readyz`);
    } finally {
      await app.close();
    }
    const requests = sink.lines().filter((line) => line['path'] !== undefined);
    expect(requests.map((line) => [line['method'], line['path'], line['status']])).toEqual([['POST', '/webhooks/partner-center', 202]]);
    expect(JSON.stringify(sink.lines())).not.toContain('"req":{}');
  });
});
