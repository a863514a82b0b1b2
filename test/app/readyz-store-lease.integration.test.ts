/**
 * /readyz of the running daemon (admin listener) when something outside its loops stops them: a
 * lease another instance holds while no cycle completes, and a PostgreSQL store that goes away
 * (reached through a TCP relay this test can cut, like a network partition).
 */
import { mkdirSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { openStore } from '../../src/store/open-store.js';
import { ADMIN_TOKEN, adminYaml, BEARER, startAdminDaemon } from './admin-daemon.js';
import { MINIMAL_ENV } from './helpers.js';
import { PG_URL, pgReachable } from '../support/postgres.js';


/** A TCP relay to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored on the same port. */
async function pgRelay(target: URL): Promise<{ port: number; cut: () => Promise<void>; restore: () => Promise<void>; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server?.address() as { port: number }).port));
    });
  const port = await listen(0);
  const cut = async (): Promise<void> => {
    const open = server;
    server = null;
    if (open === null) return;
    const closed = new Promise<void>((resolve) => open.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
  };
  const restore = async (): Promise<void> => {
    if (server === null) await listen(port);
  };
  return { port, cut, restore, close: cut };
}


interface Ready {
  status: number;
  reasons: string[];
}

async function readyz(base: string): Promise<Ready> {
  const response = await fetch(`${base}/readyz`, { headers: BEARER });
  return { status: response.status, reasons: ((await response.json()) as { reasons: string[] }).reasons };
}

async function readyzUntil(base: string, accept: (r: Ready) => boolean, timeoutMs = 20_000): Promise<Ready> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await readyz(base);
    if (accept(r) || Date.now() > end) return r;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('/readyz and what blocks the loops', () => {
  it('names the instance holding the lease of a loop that completes no cycle', async () => {
    const yaml = adminYaml()
      .replace('outbound: "0 0 1 1 *"', 'outbound: "* * * * * *"')
      .replace('sync:\n', 'sync:\n  notReadyAfterIntervals: 2\n');
    const daemon = await startAdminDaemon({
      yaml,
      prepare: async (dir) => {
        mkdirSync(join(dir, 'state'), { recursive: true });
        const store = await openStore({ kind: 'sqlite', path: join(dir, 'state/cosell.sqlite') });
        // Another instance holds it (renewing it, as far as anyone can tell) while its cycles never finish.
        await store.acquireLease({ name: 'loop:outbound:salesforce', owner: 'other-instance', session: 's1', ttlMs: 3_600_000, now: new Date().toISOString() });
        await store.close();
      },
    });
    try {
      const down = await readyzUntil(daemon.admin, (r) => r.status === 503);
      expect(down.status).toBe(503);
      expect(down.reasons).toEqual([expect.stringMatching(/^outbound salesforce: no cycle completed for \d+ s \(2 intervals of 1 s since the daemon started\); its lease loop:outbound:salesforce is held by other-instance until \d{4}-/)]);
    } finally {
      expect(await daemon.stop()).toBe(0);
    }
  }, 60_000);

  it('turns 503 while the PostgreSQL store cannot be reached, and ready again once it can', async () => {
    if (!(await pgReachable())) {
      if (process.env.COSELL_REQUIRE_SERVICES === '1') throw new Error(`PostgreSQL is not reachable at ${new URL(PG_URL).host}`);
      console.warn(`skipped: no PostgreSQL at ${new URL(PG_URL).host} (set COSELL_TEST_PG_URL)`);
      return;
    }
    const target = new URL(PG_URL);
    const relay = await pgRelay(target);
    const schema = `cosell_readyz_${process.pid}_${Date.now()}`;
    const relayed = new URL(PG_URL);
    relayed.host = `127.0.0.1:${relay.port}`;
    const yaml = adminYaml().replace('store: { kind: sqlite, path: state/cosell.sqlite }', `store: { kind: postgres, schema: ${schema} }`);
    const daemon = await startAdminDaemon({ yaml, env: { ...MINIMAL_ENV, COSELL_ADMIN_TOKEN: ADMIN_TOKEN, COSELL_PG_URL: relayed.toString() } });
    try {
      expect(await readyz(daemon.admin)).toEqual({ status: 200, reasons: [] });
      await relay.cut();
      const down = await readyzUntil(daemon.admin, (r) => r.status === 503);
      expect(down).toEqual({ status: 503, reasons: [expect.stringMatching(/^store: not reachable \(.+\)$/)] });
      await relay.restore();
      expect(await readyzUntil(daemon.admin, (r) => r.status === 200)).toEqual({ status: 200, reasons: [] });
    } finally {
      await relay.restore().catch(() => undefined);
      await daemon.stop();
      await relay.close();
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }, 60_000);

  it('names a lease the store will not hand over (its role may not update leases) and that its holder let expire', async () => {
    if (!(await pgReachable())) {
      if (process.env.COSELL_REQUIRE_SERVICES === '1') throw new Error(`PostgreSQL is not reachable at ${new URL(PG_URL).host}`);
      console.warn(`skipped: no PostgreSQL at ${new URL(PG_URL).host} (set COSELL_TEST_PG_URL)`);
      return;
    }
    const schema = `cosell_blocked_${process.pid}_${Date.now()}`;
    const role = `${schema}_daemon`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    // The schema made and migrated by its owner; the daemon's role may do everything but update leases.
    const owner = await openStore({ kind: 'postgres', url: PG_URL, schema });
    await owner.acquireLease({ name: 'loop:outbound:salesforce', owner: 'other-instance', session: 's1', ttlMs: 1000, now: new Date(Date.now() - 60_000).toISOString() });
    await owner.close();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    const database = new URL(PG_URL).pathname.slice(1);
    // Opening the store runs CREATE ... IF NOT EXISTS, which asks for CREATE even when all exists.
    await admin.query(`GRANT CREATE ON DATABASE ${database} TO ${role}`);
    await admin.query(`GRANT USAGE, CREATE ON SCHEMA ${schema} TO ${role}`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
    await admin.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
    await admin.query(`REVOKE UPDATE ON ${schema}.leases FROM ${role}`);
    const asRole = new URL(PG_URL);
    asRole.username = role;
    const yaml = adminYaml()
      .replace('store: { kind: sqlite, path: state/cosell.sqlite }', `store: { kind: postgres, schema: ${schema} }\nleases: { ttlMs: 1000 }`)
      .replace('outbound: "0 0 1 1 *"', 'outbound: "* * * * * *"');
    let daemon: Awaited<ReturnType<typeof startAdminDaemon>> | null = null;
    try {
      daemon = await startAdminDaemon({ yaml, env: { ...MINIMAL_ENV, COSELL_ADMIN_TOKEN: ADMIN_TOKEN, COSELL_PG_URL: asRole.toString() } });
      const down = await readyzUntil(daemon.admin, (r) => r.reasons.some((reason) => reason.startsWith('lease ')));
      expect(down.status).toBe(503);
      expect(down.reasons).toContainEqual(
        expect.stringMatching(/^lease loop:outbound:salesforce: held by other-instance past its expiry \(\d{4}-.+\) since \d{4}-.+ and cannot be taken over \(clocks out of step, or the store refuses\); its loop does not run$/),
      );
    } finally {
      await daemon?.stop();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE IF EXISTS ${role}`);
      await admin.end();
    }
  }, 60_000);
});
