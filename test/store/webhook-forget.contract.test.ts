/**
 * What a burst of Partner Center webhooks costs the replay memory, counted as the statements the
 * database receives: the webhook operations on a real SQLite database (better-sqlite3 reports
 * each statement it runs) and a real PostgreSQL schema (every query passes through a counter on
 * its way to the pool).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migratePostgres, quoteIdent } from '../../src/store/postgres-migrations.js';
import type { Queryable } from '../../src/store/postgres-queryable.js';
import { postgresWebhookOps } from '../../src/store/postgres-webhook-ops.js';
import { migrateSqlite } from '../../src/store/sqlite-migrations.js';
import { sqliteWebhookOps } from '../../src/store/sqlite-webhook-ops.js';
import { forgetSchedule } from '../../src/store/webhook-forget.js';
import type { WebhookStoreOps } from '../../src/store/webhook-types.js';
import { PG_URL, pgReachable } from '../support/postgres.js';
import { fakeClock } from './contract/fixtures.js';

const MINUTE = 60_000;
const BURST = 50;
const isDelete = (sql: string): boolean => /^\s*DELETE\b/i.test(sql);

interface Opened {
  ops: WebhookStoreOps;
  /** DELETE statements the database received so far. */
  deletes(): number;
  /** Rows in the replay memory's table. */
  rows(): Promise<number>;
  close(): Promise<void>;
}

async function openSqlite(): Promise<Opened> {
  let deletes = 0;
  const db = new Database(':memory:', { verbose: (sql) => void (typeof sql === 'string' && isDelete(sql) && deletes++) });
  migrateSqlite({ db, now: () => 'test' });
  return {
    ops: sqliteWebhookOps({ db, forget: forgetSchedule() }),
    deletes: () => deletes,
    rows: async () => (db.prepare('SELECT count(*) AS n FROM webhook_events').get() as { n: number }).n,
    close: async () => void db.close(),
  };
}

const pgUp = await pgReachable();
if (!pgUp && process.env['COSELL_REQUIRE_SERVICES'] === '1') throw new Error(`PostgreSQL is not reachable at ${new URL(PG_URL).host}`);
if (!pgUp) console.warn(`skipped the PostgreSQL half: no PostgreSQL at ${new URL(PG_URL).host} (set COSELL_TEST_PG_URL)`);
const pool = pgUp ? new pg.Pool({ connectionString: PG_URL, max: 2 }) : null;
afterAll(async () => {
  await pool?.end();
});

async function openPostgres(): Promise<Opened> {
  if (pool === null) throw new Error('no PostgreSQL');
  const schema = `cosell_test_forget_${randomUUID().slice(0, 8)}`;
  await migratePostgres({ pool, schema, now: () => 'test' });
  const s = quoteIdent(schema);
  let deletes = 0;
  const counted: Queryable = {
    query: (text, values) => {
      if (isDelete(text)) deletes++;
      return pool.query(text, values);
    },
  };
  return {
    ops: postgresWebhookOps({ db: counted, s, forget: forgetSchedule() }),
    deletes: () => deletes,
    rows: async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${s}.webhook_events`)).rows[0]?.n ?? 0,
    close: async () => void (await pool.query(`DROP SCHEMA ${s} CASCADE`)),
  };
}

const backends: [string, () => Promise<Opened>, boolean][] = [
  ['SQLite', openSqlite, true],
  ['PostgreSQL', openPostgres, pgUp],
];

describe.each(backends)('the webhook replay memory on %s, in a burst of posts', (_name, open, available) => {
  const test = available ? it : it.skip;
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  test('deletes forgotten events at most once a minute, not once per post', async () => {
    opened = await open();
    const { ops } = opened;
    const clock = fakeClock();
    // Each event arrives with its window all but spent (changed just under a window ago): it may
    // be forgotten a millisecond after it is taken, so every later post finds one to delete.
    for (let n = 0; n < BURST; n++) {
      expect(await ops.takeWebhookEvent({ eventId: `evt-${n}`, now: clock.iso(), forgetAfter: clock.iso(1) })).toBe(true);
      clock.advance(2);
    }
    expect(opened.deletes()).toBe(1);

    // A minute on, the next post clears the burst's digests in one statement.
    clock.advance(MINUTE);
    expect(await ops.takeWebhookEvent({ eventId: 'evt-late', now: clock.iso(), forgetAfter: clock.iso(MINUTE) })).toBe(true);
    expect(opened.deletes()).toBe(2);
    expect(await opened.rows()).toBe(1);
  });
});
