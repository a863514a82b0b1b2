/** Fenced leases of the SQLite store (see lease-types.ts). */
import type { Database } from 'better-sqlite3';
import { LeaseLostError } from './errors.js';
import type { LeaseGrant, LeaseStoreOps } from './lease-types.js';
import { isoToMs } from './row-mapping.js';
import { leaseOf, leaseProblem, positiveTtl, replacedBy, type LeaseRow } from './lease-rows.js';

export function sqliteLeaseOps(args: { db: Database }): LeaseStoreOps {
  const { db } = args;
  const sql = {
    get: db.prepare<[string], LeaseRow>('SELECT * FROM leases WHERE name = ?'),
    // Taken when free, released (expires_ms 0), expired, or held by this owner's earlier session.
    take: db.prepare<unknown[], { token: number }>(
      `INSERT INTO leases AS l (name, owner, session, token, expires_at, expires_ms) VALUES (@name, @owner, @session, 1, @expiresAt, @expiresMs)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, session = excluded.session, token = l.token + 1,
         expires_at = excluded.expires_at, expires_ms = excluded.expires_ms
       WHERE l.expires_ms <= @nowMs OR (l.owner = excluded.owner AND l.session <> excluded.session)
       RETURNING token`,
    ),
    abandon: db.prepare<unknown[], { id: string }>(
      "UPDATE runs SET status = 'abandoned', finished_at = ? WHERE lease = ? AND status = 'running' RETURNING id",
    ),
    renew: db.prepare('UPDATE leases SET expires_at = ?, expires_ms = ? WHERE name = ? AND token = ? AND expires_ms > ?'),
    release: db.prepare('UPDATE leases SET expires_at = ?, expires_ms = 0 WHERE name = ? AND token = ?'),
  };

  const acquire = db.transaction((a: { name: string; owner: string; session: string; ttlMs: number; now: string }): LeaseGrant | null => {
    const nowMs = isoToMs(a.now, 'now');
    const expiresMs = nowMs + positiveTtl(a.ttlMs);
    const before = sql.get.get(a.name);
    const heldUntil = new Date(expiresMs).toISOString();
    const taken = sql.take.get({ name: a.name, owner: a.owner, session: a.session, expiresAt: heldUntil, expiresMs, nowMs });
    if (taken === undefined) return null;
    return {
      name: a.name,
      token: Number(taken.token),
      heldUntil,
      replaced: replacedBy(before === undefined ? null : leaseOf(before)),
      abandonedRuns: sql.abandon.all(a.now, a.name).map((r) => r.id),
    };
  });

  return {
    // IMMEDIATE: the read and the write happen under the file's write lock, against other processes too.
    acquireLease: async (a) => acquire.immediate(a),
    renewLease: async ({ name, token, ttlMs, now }) => {
      const nowMs = isoToMs(now, 'now');
      const expiresMs = nowMs + positiveTtl(ttlMs);
      return sql.renew.run(new Date(expiresMs).toISOString(), expiresMs, name, token, nowMs).changes > 0;
    },
    releaseLease: async ({ name, token, now }) => {
      sql.release.run(now, name, token);
    },
    getLease: async (name) => {
      const row = sql.get.get(name);
      return row === undefined ? null : leaseOf(row);
    },
    // A transaction on SQLite holds the file's write lock, so nobody can take the lease over meanwhile.
    assertLease: async ({ name, token, now }) => {
      const row = sql.get.get(name);
      const problem = leaseProblem(row === undefined ? null : leaseOf(row), token, isoToMs(now, 'now'));
      if (problem !== null) throw new LeaseLostError(name, token, problem);
    },
  };
}
