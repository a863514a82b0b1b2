import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import https from 'node:https';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { EmuHttpError, Router, startEmulatorServer, type EmulatorServer } from '../../../sandbox/shared/http.js';
import { createRandom } from '../../../sandbox/shared/random.js';
import { createSandboxCa, issueServerCert } from '../../../sandbox/shared/tls.js';

const clock = new SandboxClock(new Date('2026-01-01T00:00:00Z'));
const written: string[] = [];
const router = new Router()
  .add('PUT', '/notes/:id', (req) => {
    written.push(req.params['id'] ?? '');
    return { status: 200, body: { saved: req.params['id'] } };
  })
  .add('GET', '/things/:id', (req) => ({ status: 200, body: { id: req.params['id'] } }), 'get thing')
  .add('POST', '/things', (req) => {
    const body = req.json<{ name?: string }>();
    if (!body.name) throw new EmuHttpError(400, { error: { code: 'invalidRequest', message: 'name is required' } });
    return { status: 201, body };
  });

describe('emulator server', () => {
  let server: EmulatorServer;
  beforeAll(async () => {
    server = await startEmulatorServer({ name: 'test', router, clock, errorBody: (s) => ({ body: { error: { code: `E${s}` } } }) });
  });
  afterAll(() => server.close());

  it('routes, decodes params and counts calls per route', async () => {
    const res = await fetch(`${server.url}/things/a%20b`);
    expect(await res.json()).toEqual({ id: 'a b' });
    expect(server.stats.byRoute()['get thing']).toBe(1);
  });

  it('answers handler errors with their status and body, and 404/405 for unknown routes', async () => {
    const bad = await fetch(`${server.url}/things`, { method: 'POST', body: '{}' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: { code: 'invalidRequest', message: 'name is required' } });
    expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    expect((await fetch(`${server.url}/things/1`, { method: 'DELETE' })).status).toBe(405);
  });

  it('injects 429 with Retry-After and the vendor error body on the configured route only', async () => {
    await fetch(`${server.url}/_control/faults`, {
      method: 'PUT',
      body: JSON.stringify([{ path: '^/things/', errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 }]),
    });
    const limited = await fetch(`${server.url}/things/1`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({ error: { code: 'E429' } });
    expect((await fetch(`${server.url}/things`, { method: 'POST', body: '{"name":"x"}' })).status).toBe(201);
    server.faults.set([]);
  });

  it('resets connections when told to', async () => {
    server.faults.set([{ resetRate: 1 }]);
    await expect(fetch(`${server.url}/things/1`)).rejects.toThrow();
    server.faults.set([]);
  });

  it('applies a write and then loses its answer, by reset or by holding the socket', async () => {
    const put = await fetch(`${server.url}/_control/faults`, {
      method: 'PUT',
      body: JSON.stringify([
        { method: 'PUT', path: '^/notes/', nth: [2], lostAnswerRate: 1 },
        { method: 'PUT', path: '^/notes/', nth: [3], lostAnswerRate: 1, lostAnswerAs: 'timeout' },
      ]),
    });
    expect(put.status).toBe(204);
    written.length = 0;
    expect((await fetch(`${server.url}/notes/a`, { method: 'PUT' })).status).toBe(200);
    await expect(fetch(`${server.url}/notes/b`, { method: 'PUT' })).rejects.toThrow();
    await expect(fetch(`${server.url}/notes/c`, { method: 'PUT', signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect((await fetch(`${server.url}/notes/d`, { method: 'PUT' })).status).toBe(200);
    expect(written).toEqual(['a', 'b', 'c', 'd']);
    const log = (await (await fetch(`${server.url}/_control/faults/log`)).json()) as Array<{ path: string; n: number; action: string }>;
    expect(log.map((f) => [f.path, f.action])).toEqual([
      ['/notes/b', 'lostAnswer'],
      ['/notes/c', 'lostAnswer'],
    ]);
    server.faults.set([]);
  });

  it('refuses fault rules it cannot read, with what and where', async () => {
    const res = await fetch(`${server.url}/_control/faults`, { method: 'PUT', body: JSON.stringify([{ lostAnswerRate: 'often' }]) });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('0.lostAnswerRate');
    expect(server.faults.list()).toEqual([]);
  });

  it('advances the sandbox clock through the control API', async () => {
    const before = clock.now().getTime();
    const res = await fetch(`${server.url}/_control/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: 14 * 86_400_000 }) });
    const { now } = (await res.json()) as { now: string };
    expect(Date.parse(now) - before).toBeGreaterThanOrEqual(14 * 86_400_000);
  });
});

describe('sandbox TLS', () => {
  it('serves HTTPS that a client trusting only the sandbox CA accepts', async () => {
    const ca = createSandboxCa();
    const server = await startEmulatorServer({ name: 'tls', router, clock, tls: issueServerCert(ca, { hosts: ['127.0.0.1', 'localhost'] }) });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${server.url}/things/7`, { ca: ca.cert }, (res) => {
            let data = '';
            res.on('data', (c: Buffer) => (data += c.toString()));
            res.on('end', () => resolve(data));
          })
          .on('error', reject);
      });
      expect(JSON.parse(body)).toEqual({ id: '7' });
      const untrusted = new Promise((resolve, reject) => https.get(`${server.url}/things/7`, resolve).on('error', reject));
      await expect(untrusted).rejects.toThrow(/self-signed|unable to verify|certificate/i);
    } finally {
      await server.close();
    }
  });
});

describe('seeded random', () => {
  it('gives the same data for the same seed and different data for another', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const sample = (r: ReturnType<typeof createRandom>) => [r.companyName(), r.guid(), r.digits(9), r.int(1, 100)];
    expect(sample(a)).toEqual(sample(b));
    expect(sample(createRandom(42))).not.toEqual(sample(c));
  });
});
