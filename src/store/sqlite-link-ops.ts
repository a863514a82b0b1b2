/** Link operations of the SQLite store; every lookup is an index seek (see bench/store-idle.ts). */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import { DuplicateLinkError, StaleLinkError } from './errors.js';
import type { StoreOps } from './guarded-store.js';
import { assertLimit, LINK_COLUMNS, linkValues, toLink, type LinkRow } from './row-mapping.js';
import type { Link } from './types.js';

type LinkOps = Pick<
  StoreOps,
  'getLink' | 'findLinksByCrmIds' | 'findLinksByReferralIds' | 'findLinksByEngagementIds' | 'saveLink' | 'listLinks' | 'countLinks' | 'hasLinks'
>;

const INSERT_SQL = `INSERT INTO links (${LINK_COLUMNS.join(', ')}) VALUES (${LINK_COLUMNS.map(() => '?').join(', ')}) RETURNING *`;
/** Columns a save may change: not the id, not when it was created, and the revision only by +1. */
const SET_COLUMNS = LINK_COLUMNS.filter((c) => c !== 'id' && c !== 'created_at' && c !== 'revision');
const UPSERT_SQL =
  `INSERT INTO links (${LINK_COLUMNS.join(', ')}) VALUES (${LINK_COLUMNS.map(() => '?').join(', ')}) ` +
  `ON CONFLICT (id) DO UPDATE SET ${SET_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}, revision = links.revision + 1 RETURNING *`;
/** The revision-checked save: `?`s are SET_COLUMNS in order, then the id and the expected revision. */
const UPDATE_SQL = `UPDATE links SET ${SET_COLUMNS.map((c) => `${c} = ?`).join(', ')}, revision = revision + 1 WHERE id = ? AND revision = ? RETURNING *`;
const SET_INDEXES = SET_COLUMNS.map((c) => LINK_COLUMNS.indexOf(c));

/** The statements behind the link lookups; exported so bench/store-idle.ts can EXPLAIN exactly these. */
export const SQLITE_LINK_QUERIES = {
  byId: 'SELECT * FROM links WHERE id = ?',
  // json_each turns one bound array into a row source, so any number of ids is one statement
  // and each id is one seek on the unique index.
  byCrmIds: 'SELECT * FROM links WHERE crm_system = ? AND crm_id IN (SELECT value FROM json_each(?))',
  byReferralIds: 'SELECT * FROM links WHERE referral_id IN (SELECT value FROM json_each(?))',
  byEngagementIds: 'SELECT * FROM links WHERE engagement_id IN (SELECT value FROM json_each(?))',
  count: 'SELECT count(*) AS n FROM links',
  anyOfKind: 'SELECT 1 AS one FROM links WHERE crm_system = ? AND crm_kind = ? LIMIT 1',
  // Four fixed statements instead of "(? IS NULL OR ...)", which would stop SQLite using the index.
  listAll: 'SELECT * FROM links ORDER BY id LIMIT ?',
  listAfter: 'SELECT * FROM links WHERE id > ? ORDER BY id LIMIT ?',
  listState: 'SELECT * FROM links WHERE state = ? ORDER BY id LIMIT ?',
  listStateAfter: 'SELECT * FROM links WHERE state = ? AND id > ? ORDER BY id LIMIT ?',
} as const;

export function sqliteLinkOps(args: { db: Database; clock: Clock }): LinkOps {
  const { db, clock } = args;
  const q = SQLITE_LINK_QUERIES;
  const byId = db.prepare<[string], LinkRow>(q.byId);
  const byCrmIds = db.prepare<[string, string], LinkRow>(q.byCrmIds);
  const byReferralIds = db.prepare<[string], LinkRow>(q.byReferralIds);
  const byEngagementIds = db.prepare<[string], LinkRow>(q.byEngagementIds);
  const insert = db.prepare<(string | number | null)[], LinkRow>(INSERT_SQL);
  const upsert = db.prepare<(string | number | null)[], LinkRow>(UPSERT_SQL);
  const update = db.prepare<(string | number | null)[], LinkRow>(UPDATE_SQL);
  const exists = db.prepare<[string], { revision: number }>('SELECT revision FROM links WHERE id = ?');
  const anyOfKind = db.prepare<[string, string], { one: number }>(q.anyOfKind);
  const holder = db.prepare<[string, string | null, string | null, string], { id: string }>(
    'SELECT id FROM links WHERE ((crm_system = ? AND crm_id = ?) OR referral_id = ?) AND id <> ? LIMIT 1',
  );
  const count = db.prepare<[], { n: number }>(q.count);
  const list = {
    all: db.prepare<[number], LinkRow>(q.listAll),
    after: db.prepare<[string, number], LinkRow>(q.listAfter),
    state: db.prepare<[string, number], LinkRow>(q.listState),
    stateAfter: db.prepare<[string, string, number], LinkRow>(q.listStateAfter),
  };

  return {
    getLink: async (id) => {
      const row = byId.get(id);
      return row === undefined ? null : toLink(row);
    },
    findLinksByCrmIds: async (system, crmIds) =>
      crmIds.length === 0 ? [] : byCrmIds.all(system, JSON.stringify(crmIds)).map(toLink),
    findLinksByReferralIds: async (referralIds) =>
      referralIds.length === 0 ? [] : byReferralIds.all(JSON.stringify(referralIds)).map(toLink),
    findLinksByEngagementIds: async (engagementIds) =>
      engagementIds.length === 0 ? [] : byEngagementIds.all(JSON.stringify(engagementIds)).map(toLink),
    saveLink: async (input) => {
      const now = clock.now().toISOString();
      const { revision: expected, ...rest } = input;
      const link: Link = { ...rest, microsoftSideId: input.microsoftSideId ?? null, id: input.id ?? randomUUID(), revision: 1, createdAt: now, updatedAt: now };
      try {
        const values = linkValues(link);
        if (input.id !== undefined && expected !== undefined) {
          const updated = update.get(...SET_INDEXES.map((i) => values[i] ?? null), link.id, expected);
          if (updated !== undefined) return toLink(updated);
          if (exists.get(link.id) !== undefined) throw new StaleLinkError(link.id, expected);
        }
        const row = (expected === undefined ? upsert : insert).get(...values);
        if (row === undefined) throw new Error('link upsert returned no row');
        return toLink(row);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
        const existing = holder.get(link.crmSystem, link.crmId, link.referralId, link.id);
        throw new DuplicateLinkError({
          crmSystem: link.crmSystem,
          crmId: link.crmId,
          referralId: link.referralId,
          existingLinkId: existing?.id ?? null,
          cause: error,
        });
      }
    },
    listLinks: async ({ state, limit: asked, afterId }) => {
      const limit = assertLimit(asked);
      const rows =
        state === undefined
          ? afterId === undefined
            ? list.all.all(limit)
            : list.after.all(afterId, limit)
          : afterId === undefined
            ? list.state.all(state, limit)
            : list.stateAfter.all(state, afterId, limit);
      return rows.map(toLink);
    },
    countLinks: async () => count.get()?.n ?? 0,
    hasLinks: async ({ crmSystem, crmKind }) => anyOfKind.get(crmSystem, crmKind) !== undefined,
  };
}
