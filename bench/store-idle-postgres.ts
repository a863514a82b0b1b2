/**
 * The idle-cycle benchmark of store-idle.ts, on the PostgreSQL store (scale-out), in a
 * throw-away schema. Prints timings and EXPLAIN ANALYZE of the lookups; asserts nothing.
 *
 *   npx tsx bench/store-idle-postgres.ts [url=postgres://postgres@127.0.0.1:5432/test] [links=100000]
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { POSTGRES_LINK_LOOKUPS } from '../src/store/postgres-link-ops.js';
import { quoteIdent } from '../src/store/postgres-migrations.js';
import { openPostgresStore } from '../src/store/postgres-store.js';
import { crmId, fillStore, idPage, timeIdleCycle } from './store-bench-kit.js';

const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/test';
const LINKS = Number(process.argv[3] ?? 100_000);
const schema = `cosell_bench_${randomUUID().slice(0, 8)}`;
const s = quoteIdent(schema);
const admin = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 3000 });

const reachable = await admin.query('SELECT 1').then(
  () => true,
  (error: unknown) => {
    const shown = url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    console.log(`SKIPPED: PostgreSQL not reachable at ${shown} (${error instanceof Error ? error.message : String(error)})`);
    return false;
  },
);

async function run(): Promise<void> {
  const store = await openPostgresStore({ url, schema, poolSize: 6 });
  const fillMs = await fillStore({ store, links: LINKS, parallel: 4 });
  console.log(`PostgreSQL: filled ${LINKS} links (1,000 per transaction, 4 at a time) in ${(fillMs / 1000).toFixed(2)} s = ${Math.round(LINKS / (fillMs / 1000))} links/s\n`);
  await admin.query(`ANALYZE ${s}.links`);
  await admin.query(`ANALYZE ${s}.failures`);
  await timeIdleCycle({ store, links: LINKS, pageSize: 200, repeat: 200 });
  await store.close();

  console.log('\nEXPLAIN (ANALYZE, COSTS OFF)');
  const crmPage = idPage({ i: 1, size: 200, links: LINKS, make: crmId });
  const plans: [string, string, unknown[]][] = [
    ['findLinksByCrmIds', `SELECT * FROM ${s}.links WHERE ${POSTGRES_LINK_LOOKUPS.byCrmIds}`, ['salesforce', crmPage]],
    ['findLinksByReferralIds', `SELECT * FROM ${s}.links WHERE ${POSTGRES_LINK_LOOKUPS.byReferralIds}`, [crmPage.map((_, k) => `ref-${k * 311}`)]],
    ['findLinksByEngagementIds', `SELECT * FROM ${s}.links WHERE ${POSTGRES_LINK_LOOKUPS.byEngagementIds}`, [['eng-1', 'eng-2']]],
    ['countLinks (trigger-kept count)', `SELECT (SELECT n FROM ${s}.link_count) + coalesce((SELECT sum(n) FROM ${s}.link_count_delta), 0)`, []],
    ['count(*) it replaces', `SELECT count(*)::int AS n FROM ${s}.links`, []],
    ['listLinks by state', `SELECT * FROM ${s}.links WHERE state = $1 ORDER BY id LIMIT 200`, ['held']],
  ];
  for (const [label, sql, params] of plans) {
    const { rows } = await admin.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, params);
    // The id arrays make some plan lines thousands of characters long.
    const line = (text: string): string => (text.length > 150 ? `${text.slice(0, 150)}…` : text);
    console.log(`  ${label}:\n${rows.map((r) => `    ${line(r['QUERY PLAN'])}`).join('\n')}`);
  }
}

if (reachable) {
  try {
    await run();
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  }
}
await admin.end();
