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
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { SQLITE_LINK_QUERIES } from '../src/store/sqlite-link-ops.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import type { LinkInput, LinkState, StateStore } from '../src/store/types.js';

const LINKS = Number(process.argv[2] ?? 100_000);
const PAGE = 200;
const REPEAT = 200;
const crmId = (n: number): string => `006${String(n).padStart(12, '0')}`;

function link(n: number): LinkInput {
  const state: LinkState = n % 20 === 0 ? 'held' : n % 20 === 1 ? 'writeBackPending' : 'linked';
  return {
    crmSystem: 'salesforce',
    crmKind: 'opportunity',
    crmId: crmId(n),
    referralId: `ref-${n}`,
    engagementId: `eng-${Math.floor(n / 2)}`,
    origin: n % 3 === 0 ? 'partnerCenter' : 'crm',
    state,
    snapshot: {
      name: `Opportunity ${n}`,
      status: 'Active',
      substatus: 'Accepted',
      'details.dealValue': (n % 1000) * 1250,
      'details.currency': 'USD',
      'details.closingDateTime': '2026-06-30T00:00:00.000Z',
      'details.notes': 'Customer is moving two data centres to Azure in FY27.',
      'customerProfile.name': `Customer ${n}`,
      'customerProfile.address.country': 'US',
      'details.solutions': ['SOL-15974-MQF'],
    },
    crmVersion: '2026-03-01T08:59:00.000Z',
    referralETag: `"${n}"`,
    respondBy: null,
  };
}

async function fill(store: StateStore): Promise<number> {
  const started = performance.now();
  for (let base = 0; base < LINKS; base += 1000) {
    await store.transaction(async (tx) => {
      for (let n = base; n < Math.min(base + 1000, LINKS); n++) await tx.saveLink(link(n));
    });
  }
  const at = new Date('2026-03-01T09:00:00.000Z');
  for (let n = 0; n < 500; n++) {
    const next = new Date(at.getTime() + (n - 250) * 60_000).toISOString();
    await store.recordFailure({ key: `referral:ref-${n}`, operation: 'update', reason: 'r', errorKind: 'transient', payload: null, failedAt: at.toISOString(), lastFailedAt: at.toISOString(), nextAttemptAt: next });
  }
  await store.setCursor('salesforce:opportunity', '2026-03-01T08:59:00.000Z');
  return performance.now() - started;
}

async function time(label: string, run: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 10; i++) await run(i);
  const samples: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): string => (samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN).toFixed(3);
  console.log(`${label.padEnd(46)} median ${at(0.5)} ms   p95 ${at(0.95)} ms   max ${at(1)} ms`);
}

/** A page of 200 ids as a poll returns them: mostly linked records, a few new ones. */
const page = (i: number, make: (n: number) => string): string[] =>
  Array.from({ length: PAGE }, (_, k) => (k % 20 === 19 ? `new-${i}-${k}` : make((i * 7919 + k * 104_729) % LINKS)));

const dir = await mkdtemp(join(tmpdir(), 'cosell-bench-'));
const path = join(dir, 'state.db');
try {
  const store = openSqliteStore({ path });
  const fillMs = await fill(store);
  console.log(`filled ${LINKS} links (1,000 per transaction) in ${(fillMs / 1000).toFixed(2)} s = ${Math.round(LINKS / (fillMs / 1000))} links/s`);
  console.log(`file size ${((await stat(path)).size / 1e6).toFixed(1)} MB (+ WAL)\n`);

  await time(`findLinksByCrmIds, page of ${PAGE}`, (i) => store.findLinksByCrmIds('salesforce', page(i, crmId)));
  await time(`findLinksByReferralIds, page of ${PAGE}`, (i) => store.findLinksByReferralIds(page(i, (n) => `ref-${n}`)));
  await time('countLinks', () => store.countLinks());
  await time('getCursor', () => store.getCursor('salesforce:opportunity'));
  await time('listFailures (due now)', () => store.listFailures({ dueBefore: '2026-03-01T09:00:00.000Z' }));
  await time(`listLinks held, page of ${PAGE}`, () => store.listLinks({ state: 'held', limit: PAGE }));
  await time('whole idle cycle (both lookups, count, cursor)', async (i) => {
    await store.getCursor('salesforce:opportunity');
    await store.findLinksByCrmIds('salesforce', page(i, crmId));
    await store.findLinksByReferralIds(page(i, (n) => `ref-${n}`));
    await store.countLinks();
  });
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
