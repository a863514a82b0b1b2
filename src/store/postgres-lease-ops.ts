/** Fenced leases of the PostgreSQL store (see lease-types.ts). */
import { LeaseLostError } from './errors.js';
import type { LeaseStoreOps } from './lease-types.js';
import { leaseOf, leaseProblem, positiveTtl, replacedBy, type LeaseRow } from './lease-rows.js';
import type { Queryable } from './postgres-queryable.js';
import { isoToMs } from './row-mapping.js';

interface AcquireRow {
  token: string;
  abandoned: string[] | null;
  prev_owner: string | null;
  prev_session: string | null;
  prev_token: string | null;
  prev_expires_at: string | null;
  prev_expires_ms: string | null;
}

export function postgresLeaseOps(args: { db: Queryable; s: string }): LeaseStoreOps {
  const { db, s } = args;
  return {
    acquireLease: async ({ name, owner, session, ttlMs, now }) => {
      // The caller's clock decides expiry, so instances need synchronised clocks (NTP): a skew
      // of d ms lets a lease be taken over d ms early or late.
      const nowMs = isoToMs(now, 'now');
      const expiresMs = nowMs + positiveTtl(ttlMs);
      const heldUntil = new Date(expiresMs).toISOString();
      // One statement: ON CONFLICT ... DO UPDATE locks the row and re-checks the WHERE, so two
      // instances racing for the lease cannot both get it; runs are abandoned only if it was taken.
      const { rows } = await db.query<AcquireRow>(
        `WITH prev AS (SELECT * FROM ${s}.leases WHERE name = $1),
         taken AS (
           INSERT INTO ${s}.leases AS l (name, owner, session, token, expires_at, expires_ms) VALUES ($1, $2, $3, 1, $4, $5)
           ON CONFLICT (name) DO UPDATE SET owner = EXCLUDED.owner, session = EXCLUDED.session, token = l.token + 1,
             expires_at = EXCLUDED.expires_at, expires_ms = EXCLUDED.expires_ms
           WHERE l.expires_ms <= $6 OR (l.owner = EXCLUDED.owner AND l.session <> EXCLUDED.session)
           RETURNING token),
         abandoned AS (
           UPDATE ${s}.runs SET status = 'abandoned', finished_at = $7
           WHERE lease = $1 AND status = 'running' AND EXISTS (SELECT 1 FROM taken) RETURNING id)
         SELECT taken.token, (SELECT array_agg(id) FROM abandoned) AS abandoned,
           prev.owner AS prev_owner, prev.session AS prev_session, prev.token AS prev_token,
           prev.expires_at AS prev_expires_at, prev.expires_ms AS prev_expires_ms
         FROM taken LEFT JOIN prev ON true`,
        [name, owner, session, heldUntil, expiresMs, nowMs, now],
      );
      const row = rows[0];
      if (row === undefined) return null;
      const previous =
        row.prev_owner === null
          ? null
          : leaseOf({ name, owner: row.prev_owner, session: row.prev_session ?? '', token: row.prev_token ?? 0, expires_at: row.prev_expires_at ?? '', expires_ms: row.prev_expires_ms ?? 0 });
      return { name, token: Number(row.token), heldUntil, replaced: replacedBy(previous), abandonedRuns: row.abandoned ?? [] };
    },
    renewLease: async ({ name, token, ttlMs, now }) => {
      const nowMs = isoToMs(now, 'now');
      const expiresMs = nowMs + positiveTtl(ttlMs);
      const { rowCount } = await db.query(`UPDATE ${s}.leases SET expires_at = $1, expires_ms = $2 WHERE name = $3 AND token = $4 AND expires_ms > $5`, [
        new Date(expiresMs).toISOString(),
        expiresMs,
        name,
        token,
        nowMs,
      ]);
      return (rowCount ?? 0) > 0;
    },
    releaseLease: async ({ name, token, now }) => {
      await db.query(`UPDATE ${s}.leases SET expires_at = $1, expires_ms = 0 WHERE name = $2 AND token = $3`, [now, name, token]);
    },
    getLease: async (name) => {
      const row = (await db.query<LeaseRow>(`SELECT * FROM ${s}.leases WHERE name = $1`, [name])).rows[0];
      return row === undefined ? null : leaseOf(row);
    },
    assertLease: async ({ name, token, now }) => {
      // FOR SHARE: inside a transaction, a takeover (an UPDATE of this row) waits until it ends.
      const row = (await db.query<LeaseRow>(`SELECT * FROM ${s}.leases WHERE name = $1 FOR SHARE`, [name])).rows[0];
      const problem = leaseProblem(row === undefined ? null : leaseOf(row), token, isoToMs(now, 'now'));
      if (problem !== null) throw new LeaseLostError(name, token, problem);
    },
  };
}
