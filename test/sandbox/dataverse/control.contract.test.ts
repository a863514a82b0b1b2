import { describe, expect, it } from '@jest/globals';
import { request } from 'node:https';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSandboxCa, issueServerCert } from '../../../sandbox/shared/tls.js';
import { startDataverseEmulator } from '../../../sandbox/dataverse/index.js';
import { startHarness } from './harness.js';

describe('Dataverse emulator control API and start-up options', () => {
  it('lets a person edit, count, close and read records over /_control/dataverse, and reports call counts', async () => {
    const h = await startHarness({ size: 12 });
    try {
      const base = `${h.url}/_control/dataverse`;
      const created = (await (await fetch(`${base}/records/opportunities`, { method: 'POST', body: JSON.stringify({ name: 'Made by a person', estimatedvalue: 900 }) })).json()) as { id: string };
      const edit = await fetch(`${base}/records/opportunities/${created.id}`, { method: 'PATCH', body: JSON.stringify({ cosell_syncwithpartnercenter: true }) });
      expect(edit.status).toBe(204);
      const record = (await (await fetch(`${base}/records/opportunity/${created.id}`)).json()) as Record<string, unknown>;
      expect(record).toMatchObject({ name: 'Made by a person', cosell_syncwithpartnercenter: true, statecode: 0 });
      const close = await fetch(`${base}/opportunities/${created.id}/close`, { method: 'POST', body: JSON.stringify({ won: false, status: 100000001 }) });
      expect(close.status).toBe(204);
      const count = (await (await fetch(`${base}/count/opportunities?column=statuscode&value=100000001`)).json()) as { count: number };
      expect(count.count).toBe(1);
      const bad = await fetch(`${base}/records/opportunities/${created.id}`, { method: 'PATCH', body: JSON.stringify({ name: 'x'.repeat(400) }) });
      expect(bad.status).toBe(400);
      await h.client().retrieveMultiple({ collection: 'accounts', top: 1 });
      await h.client().retrieve({ collection: 'opportunities', key: created.id });
      const calls = (await (await fetch(`${base}/calls`)).json()) as Record<string, number>;
      expect(calls).toMatchObject({ 'GET accounts': 1, 'GET opportunities(id)': 1 });
      expect(await (await fetch(`${base}/records/opportunities/${created.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await fetch(`${base}/records/opportunities/${created.id}`)).status).toBe(404);
    } finally {
      await h.close();
    }
  });

  it('accepts tokens through the validator with the emulator origin as audience, and serves TLS', async () => {
    const ca = createSandboxCa();
    const tls = issueServerCert(ca, { hosts: ['127.0.0.1'] });
    const audiences: string[] = [];
    const emulator = await startDataverseEmulator({
      clock: new SandboxClock(),
      seed: 3,
      size: 5,
      tls,
      tokenValidator: (token, audience) => {
        audiences.push(audience);
        return token === 'from-entra';
      },
    });
    try {
      expect(emulator.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const status = (token: string): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = request(`${emulator.server.url}/api/data/v9.2/accounts?$top=1`, { ca: ca.cert, headers: { Authorization: `Bearer ${token}` } }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('error', reject);
          req.end();
        });
      expect(await status('from-entra')).toBe(200);
      expect(await status('forged')).toBe(401);
      expect(audiences[0]).toBe(emulator.server.url);
      emulator.control.addToken('registered');
      expect(await status('registered')).toBe(200);
    } finally {
      await emulator.server.close();
    }
  });

  it('answers injected faults in the Dataverse error shape (fault injection per endpoint)', async () => {
    const emulator = await startDataverseEmulator({
      clock: new SandboxClock(),
      seed: 4,
      size: 5,
      options: { staticTokens: ['t'] },
      faults: [{ method: 'GET', path: '/accounts', errorRate: 1, errorStatus: 429, retryAfterSeconds: 3 }],
    });
    try {
      const { DynamicsWebApi } = await import('dynamics-web-api');
      const dwa = new DynamicsWebApi({ serverUrl: emulator.server.url, onTokenRefresh: async () => 't' });
      const error = (await dwa.retrieveMultiple({ collection: 'accounts' }).catch((e: unknown) => e)) as { status: number; code: string; headers: Record<string, string> };
      expect(error.status).toBe(429);
      expect(error.code).toBe('0x80072322');
      expect(error.headers['retry-after']).toBe('3');
      await expect(dwa.retrieveMultiple({ collection: 'contacts', top: 1 })).resolves.toBeDefined();
    } finally {
      await emulator.server.close();
    }
  });
});
