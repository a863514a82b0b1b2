/** Link operations of the PostgreSQL store; every lookup is an index scan on one of the link indexes. */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { DuplicateLinkError, StaleLinkError } from './errors.js';
import type { StoreOps } from './guarded-store.js';
import type { Queryable } from './postgres-queryable.js';
import { assertLimit, LINK_COLUMNS, linkValues, toLink, type LinkRow } from './row-mapping.js';
import type { Link } from './types.js';

type LinkOps = Pick<
  StoreOps,
  'getLink' | 'findLinksByCrmIds' | 'findLinksByReferralIds' | 'findLinksByEngagementIds' | 'saveLink' | 'listLinks' | 'countLinks' | 'hasLinks'
>;

const UNIQUE_VIOLATION = '23505';

/** countLinks folds the pending count deltas into the total once there are more than this. */
export const FOLD_DELTAS_AFTER = 1000;

/** WHERE clauses of the link lookups; exported so bench/store-idle-postgres.ts can EXPLAIN exactly these. */
export const POSTGRES_LINK_LOOKUPS = {
  byId: 'id = $1',
  byCrmIds: 'crm_system = $1 AND crm_id = ANY($2::text[])',
  byReferralIds: 'referral_id = ANY($1::text[])',
  byEngagementIds: 'engagement_id = ANY($1::text[])',
  anyOfKind: 'crm_system = $1 AND crm_kind = $2',
} as const;

// Updates bind every column but created_at, in LINK_COLUMNS order (PostgreSQL refuses unused parameters).
const UPDATE_COLUMNS = LINK_COLUMNS.filter((c) => c !== 'created_at');
const CREATED_AT_INDEX = LINK_COLUMNS.indexOf('created_at');
const REVISION_INDEX = LINK_COLUMNS.indexOf('revision');

export function postgresLinkOps(args: { db: Queryable; s: string; clock: Clock }): LinkOps {
  const { db, s, clock } = args;
  const p = (column: (typeof UPDATE_COLUMNS)[number]): string => `$${UPDATE_COLUMNS.indexOf(column) + 1}`;
  // DO NOTHING without a target covers the id and both uniqueness rules, and never raises: in a
  // transaction a raised error would abort the whole transaction, unlike on SQLite.
  const insertSql =
    `INSERT INTO ${s}.links (${LINK_COLUMNS.join(', ')}) VALUES (${LINK_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ` +
    'ON CONFLICT DO NOTHING RETURNING *';
  // The NOT EXISTS turns "another link holds this record" into "no row" instead of an error.
  // Only a conflicting write by another, still uncommitted transaction can still raise 23505.
  // The revision parameter carries the revision the caller read (0: unconditional); the stored
  // revision only ever moves by one.
  const updateSql =
    `UPDATE ${s}.links AS l SET ${UPDATE_COLUMNS.filter((c) => c !== 'id' && c !== 'revision')
      .map((c) => `${c} = ${p(c)}`)
      .join(', ')}, revision = l.revision + 1 ` +
    `WHERE l.id = $1 AND (${p('revision')}::int = 0 OR l.revision = ${p('revision')}::int) AND NOT EXISTS (SELECT 1 FROM ${s}.links o WHERE o.id <> $1 AND ` +
    `((o.crm_system = ${p('crm_system')} AND o.crm_id = ${p('crm_id')}) OR o.referral_id = ${p('referral_id')})) RETURNING l.*`;
  const select = async (where: string, values: unknown[]): Promise<Link[]> =>
    (await db.query<LinkRow>(`SELECT * FROM ${s}.links WHERE ${where}`, values)).rows.map(toLink);

  /** Updates by id or inserts; null when another link already holds the record. */
  const write = async (link: Link, mayExist: boolean, expected: number | undefined): Promise<Link | null> => {
    const values = linkValues(link);
    if (mayExist) {
      const bound = values.map((v, i) => (i === REVISION_INDEX ? (expected ?? 0) : v)).filter((_, i) => i !== CREATED_AT_INDEX);
      const updated = (await db.query<LinkRow>(updateSql, bound)).rows[0];
      if (updated !== undefined) return toLink(updated);
      if (expected !== undefined) {
        const stored = (await db.query<{ revision: number }>(`SELECT revision FROM ${s}.links WHERE id = $1`, [link.id])).rows[0];
        if (stored !== undefined && Number(stored.revision) !== expected) throw new StaleLinkError(link.id, expected);
      }
    }
    const inserted = (await db.query<LinkRow>(insertSql, values)).rows[0];
    return inserted === undefined ? null : toLink(inserted);
  };

  const duplicate = async (link: Link, cause: unknown): Promise<DuplicateLinkError> => {
    let existingLinkId: string | null = null;
    try {
      const { rows } = await db.query<{ id: string }>(
        `SELECT id FROM ${s}.links WHERE ((crm_system = $1 AND crm_id = $2) OR referral_id = $3) AND id <> $4 LIMIT 1`,
        [link.crmSystem, link.crmId, link.referralId, link.id],
      );
      existingLinkId = rows[0]?.id ?? null;
    } catch {
      // After a raised 23505 inside a transaction every statement fails until rollback; the
      // holder's id only enriches the message, so the duplicate is reported without it.
    }
    return new DuplicateLinkError({ crmSystem: link.crmSystem, crmId: link.crmId, referralId: link.referralId, existingLinkId, cause });
  };

  return {
    getLink: async (id) => (await select(POSTGRES_LINK_LOOKUPS.byId, [id]))[0] ?? null,
    findLinksByCrmIds: async (system, crmIds) => (crmIds.length === 0 ? [] : select(POSTGRES_LINK_LOOKUPS.byCrmIds, [system, crmIds])),
    findLinksByReferralIds: async (referralIds) => (referralIds.length === 0 ? [] : select(POSTGRES_LINK_LOOKUPS.byReferralIds, [referralIds])),
    findLinksByEngagementIds: async (engagementIds) =>
      engagementIds.length === 0 ? [] : select(POSTGRES_LINK_LOOKUPS.byEngagementIds, [engagementIds]),
    saveLink: async (input) => {
      const now = clock.now().toISOString();
      const { revision: expected, ...rest } = input;
      const link: Link = { ...rest, microsoftSideId: input.microsoftSideId ?? null, id: input.id ?? randomUUID(), revision: 1, createdAt: now, updatedAt: now };
      let saved: Link | null;
      try {
        // A caller-given id is usually an update; a fresh id can only be an insert.
        saved = await write(link, input.id !== undefined, expected);
      } catch (error) {
        if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
        throw await duplicate(link, error);
      }
      if (saved === null) throw await duplicate(link, null);
      return saved;
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
    hasLinks: async ({ crmSystem, crmKind }) =>
      (await db.query(`SELECT 1 FROM ${s}.links WHERE ${POSTGRES_LINK_LOOKUPS.anyOfKind} LIMIT 1`, [crmSystem, crmKind])).rows.length > 0,
    // Kept by a trigger (migration 2) rather than counted, so the idle cycle never scans the links.
    countLinks: async () => {
      const { rows } = await db.query<{ n: number; pending: number }>(
        `SELECT ((SELECT n FROM ${s}.link_count) + coalesce((SELECT sum(n) FROM ${s}.link_count_delta), 0))::int AS n,
                (SELECT count(*) FROM ${s}.link_count_delta)::int AS pending`,
      );
      const counted = rows[0] ?? { n: 0, pending: 0 };
      if (counted.pending > FOLD_DELTAS_AFTER) {
        // Rows deleted here are exactly the ones added; concurrent folds each take disjoint rows.
        await db.query(
          `WITH moved AS (DELETE FROM ${s}.link_count_delta RETURNING n)
           UPDATE ${s}.link_count SET n = n + (SELECT coalesce(sum(n), 0) FROM moved)`,
        );
      }
      return counted.n;
    },
  };
}
