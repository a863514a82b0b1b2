/**
 * What an idle sync cycle costs the SQLite store at 100,000 links: the daemon looks up one page
 * of 200 changed CRM ids, counts links, reads its cursor and the due failures, and must do all of
 * it with index seeks. Prints timings and EXPLAIN QUERY PLAN; asserts nothing.
 *
 *   npx tsx bench/store-idle.ts [links=100000]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SQLITE_LINK_QUERIES } from '../src/store/sqlite-link-ops.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { fillStore, timeIdleCycle } from './store-bench-kit.js';

const LINKS = Number(process.argv[2] ?? 100_000);

const dir = await mkdtemp(join(tmpdir(), 'cosell-bench-'));
const path = join(dir, 'state.db');
try {
  const store = openSqliteStore({ path });
  const fillMs = await fillStore({ store, links: LINKS, parallel: 1 });
  console.log(`SQLite file: filled ${LINKS} links (1,000 per transaction) in ${(fillMs / 1000).toFixed(2)} s = ${Math.round(LINKS / (fillMs / 1000))} links/s`);
  console.log(`file size ${((await stat(path)).size / 1e6).toFixed(1)} MB (+ WAL)\n`);
  await timeIdleCycle({ store, links: LINKS, pageSize: 200, repeat: 200 });
  await store.close();

  console.log('\nEXPLAIN QUERY PLAN');
  const db = new Database(path, { readonly: true });
  const plans: [string, string, unknown[]][] = [
    ['findLinksByCrmIds', SQLITE_LINK_QUERIES.byCrmIds, ['salesforce', '["a"]']],
    ['findLinksByReferralIds', SQLITE_LINK_QUERIES.byReferralIds, ['["a"]']],
    ['findLinksByEngagementIds', SQLITE_LINK_QUERIES.byEngagementIds, ['["a"]']],
    ['countLinks', SQLITE_LINK_QUERIES.count, []],
    ['listLinks by state', SQLITE_LINK_QUERIES.listStateAfter, ['held', '', 200]],
    ['listFailures due', 'SELECT * FROM failures WHERE next_attempt_ms <= ? ORDER BY next_attempt_ms, key', [0]],
    ['getCursor', 'SELECT value FROM cursors WHERE source = ?', ['x']],
  ];
  for (const [label, sql, params] of plans) {
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    console.log(`  ${label}:\n${rows.map((r) => `    ${r.detail}`).join('\n')}`);
  }
  db.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}
