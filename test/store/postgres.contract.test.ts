import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { migratePostgres, POSTGRES_MIGRATIONS, quoteIdent } from '../../src/store/postgres-migrations.js';
import { openStore } from '../../src/store/open-store.js';
import { FOLD_DELTAS_AFTER } from '../../src/store/postgres-link-ops.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { LINK_COLUMNS, linkValues } from '../../src/store/row-mapping.js';
import type { StateStore } from '../../src/store/types.js';
import { DuplicateLinkError } from '../../src/store/errors.js';
import { fakeClock, gate, linkInput } from './contract/fixtures.js';
import { runStoreContract } from './store.contract.js';

const url = process.env.COSELL_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const required = process.env.COSELL_REQUIRE_SERVICES === '1';

/** The URL as it may be printed: never with its password. */
function shown(raw: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

async function probe(): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const unreachable = await probe();
const runPrefix = `cosell_test_${randomUUID().slice(0, 8)}`;
let schemaCount = 0;
const nextSchema = (): string => `${runPrefix}_${++schemaCount}`;
const admin = unreachable === null ? new pg.Pool({ connectionString: url, max: 2 }) : null;
const dropSchema = async (schema: string): Promise<void> => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
};

afterAll(async () => {
  await admin?.end();
});

/** Writes a link the way a version-1 store did, straight into the table (no count trigger yet). */
async function insertV1Link(args: { pool: pg.Pool; schema: string; link: ReturnType<typeof linkInput> }): Promise<void> {
  const all = linkValues({ ...args.link, microsoftSideId: null, revision: 1, id: randomUUID(), createdAt: 'c', updatedAt: 'u' });
  const v1 = LINK_COLUMNS.map((c, i) => [c, all[i]] as const).filter(([c]) => c !== 'microsoft_side_id' && c !== 'revision');
  const placeholders = v1.map((_, i) => `$${i + 1}`).join(', ');
  await args.pool.query(`INSERT INTO ${quoteIdent(args.schema)}.links (${v1.map(([c]) => c).join(', ')}) VALUES (${placeholders})`, v1.map(([, v]) => v));
}

if (unreachable !== null && required) {
  describe('PostgreSQL state store', () => {
    it('needs a reachable PostgreSQL (COSELL_REQUIRE_SERVICES=1)', () => {
      throw new Error(`PostgreSQL not reachable at ${shown(url)}: ${unreachable}. Start it or set COSELL_TEST_PG_URL.`);
    });
  });
} else {
  if (unreachable !== null) console.warn(`SKIPPED: PostgreSQL not reachable at ${shown(url)} (${unreachable})`);
  const describeIfReachable = unreachable === null ? describe : describe.skip;

  describeIfReachable('PostgreSQL', () => {
    runStoreContract(
      'PostgreSQL',
      async ({ clock }) => {
        const schema = nextSchema();
        const store = await openPostgresStore({ url, schema, clock, poolSize: 4 });
        const peers: StateStore[] = [];
        return {
          store,
          openPeer: async () => {
            // The peer is opened the way the composition root opens a store.
            const peer = await openStore({ kind: 'postgres', url, schema, poolSize: 4 }, { clock });
            peers.push(peer);
            return peer;
          },
          cleanup: async () => {
            await Promise.all([store.close(), ...peers.map((p) => p.close())]);
            await dropSchema(schema);
          },
        };
      },
      { peers: true },
    );

    describe('PostgreSQL instances writing the same record in overlapping transactions', () => {
      const schema = nextSchema();
      let a: StateStore | undefined;
      let b: StateStore | undefined;
      beforeAll(async () => {
        a = await openPostgresStore({ url, schema, poolSize: 2 });
        b = await openPostgresStore({ url, schema, poolSize: 2 });
      });
      afterAll(async () => {
        await Promise.all([a?.close(), b?.close()]);
        await dropSchema(schema);
      });
      const both = (): [StateStore, StateStore] => {
        if (a === undefined || b === undefined) throw new Error('stores not open');
        return [a, b];
      };

      // However the two interleave (B blocked on A's uncommitted row, or B after A's commit),
      // exactly one link may come out of it and the loser's transaction must be rolled back.
      it('creates one link when both insert it, and rolls the loser back whole', async () => {
        const [first, second] = both();
        const aWrote = gate();
        const aCommit = gate();
        const txA = first.transaction(async (tx) => {
          await tx.saveLink(linkInput({ crmId: 'race-insert' }));
          aWrote.open();
          await aCommit.wait;
        });
        await aWrote.wait;
        const txB = second.transaction(async (tx) => {
          await tx.setCursor('b-side-effect', 'must not survive');
          await tx.saveLink(linkInput({ crmId: 'race-insert' }));
        });
        setTimeout(aCommit.open, 100);
        await txA;
        await expect(txB).rejects.toBeInstanceOf(DuplicateLinkError);
        expect(await second.findLinksByCrmIds('salesforce', ['race-insert'])).toHaveLength(1);
        expect(await second.getCursor('b-side-effect')).toBeNull();
      });

      it('refuses an update that would take a record another instance is linking right now', async () => {
        const [first, second] = both();
        const existing = await second.saveLink(linkInput({ crmId: 'race-update-old' }));
        const aWrote = gate();
        const aCommit = gate();
        const txA = first.transaction(async (tx) => {
          await tx.saveLink(linkInput({ crmId: 'race-update' }));
          aWrote.open();
          await aCommit.wait;
        });
        await aWrote.wait;
        const txB = second.transaction(async (tx) => tx.saveLink({ ...linkInput({ crmId: 'race-update' }), id: existing.id }));
        setTimeout(aCommit.open, 100);
        await txA;
        await expect(txB).rejects.toBeInstanceOf(DuplicateLinkError);
        expect(await second.findLinksByCrmIds('salesforce', ['race-update'])).toHaveLength(1);
        expect((await second.getLink(existing.id))?.crmId).toBe('race-update-old');
      });
    });

    describe('PostgreSQL schema management', () => {
      it('lets several instances start on a new schema at once; the schema is migrated exactly once', async () => {
        const schema = nextSchema();
        try {
          const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore({ url, schema, poolSize: 2 })));
          await stores[0]?.saveLink(linkInput());
          expect(await Promise.all(stores.map((s) => s.countLinks()))).toEqual([1, 1, 1, 1]);
          await Promise.all(stores.map((s) => s.close()));
          const { rows } = await (admin as pg.Pool).query(`SELECT version FROM ${quoteIdent(schema)}.schema_migrations ORDER BY version`);
          expect(rows).toEqual(POSTGRES_MIGRATIONS.map((m) => ({ version: m.version })));
        } finally {
          await dropSchema(schema);
        }
      });

      it('re-opening an existing schema applies nothing and keeps the data', async () => {
        const schema = nextSchema();
        try {
          const first = await openPostgresStore({ url, schema, clock: fakeClock() });
          const saved = await first.saveLink(linkInput());
          await first.close();
          const pool = new pg.Pool({ connectionString: url, max: 1 });
          try {
            expect((await migratePostgres({ pool, schema, now: () => 'unused' })).applied).toEqual([]);
          } finally {
            await pool.end();
          }
          const second = await openPostgresStore({ url, schema });
          expect(await second.getLink(saved.id)).toEqual(saved);
          await second.close();
        } finally {
          await dropSchema(schema);
        }
      });

      it('upgrades a version-1 schema that already holds links and counts them right', async () => {
        const schema = nextSchema();
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        try {
          await migratePostgres({ pool, schema, now: () => 'v1', migrations: POSTGRES_MIGRATIONS.filter((m) => m.version === 1) });
          for (let n = 0; n < 3; n++) await insertV1Link({ pool, schema, link: linkInput({ crmId: `old-${n}` }) });
          const store = await openPostgresStore({ url, schema });
          try {
            expect(await store.countLinks()).toBe(3);
            await store.saveLink(linkInput({ crmId: 'new-1' }));
            expect(await store.countLinks()).toBe(4);
          } finally {
            await store.close();
          }
        } finally {
          await pool.end();
          await dropSchema(schema);
        }
      });

      it('keeps the link count right while folding its pending deltas, without counting the links', async () => {
        const schema = nextSchema();
        const store = await openPostgresStore({ url, schema, poolSize: 2 });
        try {
          await store.transaction(async (tx) => {
            for (let n = 0; n <= FOLD_DELTAS_AFTER; n++) await tx.saveLink(linkInput({ crmId: `fold-${n}` }));
          });
          expect(await store.countLinks()).toBe(FOLD_DELTAS_AFTER + 1);
          await store.saveLink(linkInput({ crmId: 'after-fold' }));
          expect(await store.countLinks()).toBe(FOLD_DELTAS_AFTER + 2);
          await (admin as pg.Pool).query(`DELETE FROM ${quoteIdent(schema)}.links WHERE crm_id = 'after-fold'`);
          expect(await store.countLinks()).toBe(FOLD_DELTAS_AFTER + 1);
          const pending = await (admin as pg.Pool).query(`SELECT count(*)::int AS n FROM ${quoteIdent(schema)}.link_count_delta`);
          expect(pending.rows[0]?.n).toBeLessThanOrEqual(2);
        } finally {
          await store.close();
          await dropSchema(schema);
        }
      });

      it('refuses a schema written by a newer release', async () => {
        const schema = nextSchema();
        try {
          await (await openPostgresStore({ url, schema })).close();
          await (admin as pg.Pool).query(`INSERT INTO ${quoteIdent(schema)}.schema_migrations VALUES (999, 'from the future', 'x')`);
          await expect(openPostgresStore({ url, schema })).rejects.toThrow(/version 999, newer than this release knows/);
        } finally {
          await dropSchema(schema);
        }
      });
    });
  });
}
