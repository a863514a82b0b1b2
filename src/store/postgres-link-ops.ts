/** Link operations of the PostgreSQL store; every lookup is an index scan on one of the link indexes. */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { DuplicateLinkError } from './errors.js';
import type { StoreOps } from './guarded-store.js';
import type { Queryable } from './postgres-queryable.js';
import { assertLimit, LINK_COLUMNS, linkValues, toLink, type LinkRow } from './row-mapping.js';
import type { Link } from './types.js';

type LinkOps = Pick<
  StoreOps,
  'getLink' | 'findLinksByCrmIds' | 'findLinksByReferralIds' | 'findLinksByEngagementIds' | 'saveLink' | 'listLinks' | 'countLinks'
>;

const UNIQUE_VIOLATION = '23505';

export function postgresLinkOps(args: { db: Queryable; s: string; clock: Clock; inTransaction: boolean }): LinkOps {
  const { db, s, clock, inTransaction } = args;
  const upsertSql =
    `INSERT INTO ${s}.links (${LINK_COLUMNS.join(', ')}) VALUES (${LINK_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${LINK_COLUMNS.filter((c) => c !== 'id' && c !== 'created_at')
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ')} RETURNING *`;
  const select = async (where: string, values: unknown[]): Promise<Link[]> =>
    (await db.query<LinkRow>(`SELECT * FROM ${s}.links WHERE ${where}`, values)).rows.map(toLink);

  const upsert = async (link: Link): Promise<Link> => {
    const { rows } = await db.query<LinkRow>(upsertSql, linkValues(link));
    const row = rows[0];
    if (row === undefined) throw new Error('link upsert returned no row');
    return toLink(row);
  };

  return {
    getLink: async (id) => (await select('id = $1', [id]))[0] ?? null,
    findLinksByCrmIds: async (system, crmIds) => (crmIds.length === 0 ? [] : select('crm_system = $1 AND crm_id = ANY($2::text[])', [system, crmIds])),
    findLinksByReferralIds: async (referralIds) => (referralIds.length === 0 ? [] : select('referral_id = ANY($1::text[])', [referralIds])),
    findLinksByEngagementIds: async (engagementIds) =>
      engagementIds.length === 0 ? [] : select('engagement_id = ANY($1::text[])', [engagementIds]),
    saveLink: async (input) => {
      const now = clock.now().toISOString();
      const link: Link = { ...input, id: input.id ?? randomUUID(), createdAt: now, updatedAt: now };
      try {
        // In a transaction a failed statement aborts the whole transaction; the savepoint keeps
        // a refused duplicate recoverable there, as it is on SQLite.
        if (!inTransaction) return await upsert(link);
        await db.query('SAVEPOINT save_link');
        try {
          const saved = await upsert(link);
          await db.query('RELEASE SAVEPOINT save_link');
          return saved;
        } catch (error) {
          await db.query('ROLLBACK TO SAVEPOINT save_link; RELEASE SAVEPOINT save_link');
          throw error;
        }
      } catch (error) {
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
        const { rows } = await db.query<{ id: string }>(
          `SELECT id FROM ${s}.links WHERE ((crm_system = $1 AND crm_id = $2) OR referral_id = $3) AND id <> $4 LIMIT 1`,
          [link.crmSystem, link.crmId, link.referralId, link.id],
        );
        throw new DuplicateLinkError({
          crmSystem: link.crmSystem,
          crmId: link.crmId,
          referralId: link.referralId,
          existingLinkId: rows[0]?.id ?? null,
          cause: error,
        });
      }
    },
    listLinks: async ({ state, limit: asked, afterId }) => {
      const limit = assertLimit(asked);
      const where: string[] = [];
      const values: unknown[] = [];
      if (state !== undefined) where.push(`state = $${values.push(state)}`);
      if (afterId !== undefined) where.push(`id > $${values.push(afterId)}`);
      const sql = `SELECT * FROM ${s}.links ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY id LIMIT $${values.push(limit)}`;
      return (await db.query<LinkRow>(sql, values)).rows.map(toLink);
    },
    countLinks: async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.links`)).rows[0]?.n ?? 0,
  };
}
