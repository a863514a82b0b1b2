import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { DuplicateLinkError, StaleLinkError } from '../../src/store/errors.js';
import { LINK_COLUMNS, linkValues } from '../../src/store/row-mapping.js';
import { migrateSqlite, SQLITE_MIGRATIONS } from '../../src/store/sqlite-migrations.js';
import { DUE_FAILURES_PAGE } from '../../src/store/sqlite-record-ops.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { crmId, fakeClock, linkInput } from './contract/fixtures.js';
import { runStoreContract } from './store.contract.js';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'cosell-store-'));

runStoreContract(
  'SQLite file',
  async ({ clock }) => {
    const dir = await tempDir();
    const path = join(dir, 'state.db');
    const store = openSqliteStore({ path, clock });
    return {
      store,
      openPeer: async () => openSqliteStore({ path, clock }),
      cleanup: async () => {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
  { peers: true },
);

describe('SQLite file store on disk', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps its data across close and re-open, and re-opening migrates nothing', async () => {
    const path = join(dir, 'state.db');
    const first = openSqliteStore({ path, clock: fakeClock() });
    const saved = await first.saveLink(linkInput());
    await first.setCursor('salesforce:opportunity', 'c1');
    await first.close();

    const second = openSqliteStore({ path, clock: fakeClock() });
    expect(await second.getLink(saved.id)).toEqual(saved);
    expect(await second.getCursor('salesforce:opportunity')).toBe('c1');
    await second.close();

    const db = new Database(path);
    try {
      expect(migrateSqlite({ db, now: () => 'unused' }).applied).toEqual([]);
      const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
      expect(versions).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version })));
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('finds the due failures through the due index: a cycle with nothing due does not read the thousands waiting for later', async () => {
    const path = join(dir, 'state.db');
    const store = openSqliteStore({ path, clock: fakeClock() });
    for (let i = 0; i < 500; i++) {
      await store.recordFailure({ key: `salesforce:opportunity:${i}`, operation: 'outbound', reason: 'invalid', errorKind: 'invalid', payload: null, failedAt: '2026-03-01T09:00:00Z', lastFailedAt: '2026-03-01T09:00:00Z', nextAttemptAt: '2126-03-01T09:00:00Z' });
    }
    await store.close();
    const db = new Database(path);
    try {
      db.exec('ANALYZE');
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${DUE_FAILURES_PAGE}`).all(Date.parse('2026-03-02T09:00:00Z'), Number.MIN_SAFE_INTEGER, '', 'salesforce:', 'salesforce;', 'salesforce;', 200) as { detail: string }[]).map((r) => r.detail);
      expect(plan).toEqual([expect.stringMatching(/^SEARCH failures USING INDEX failures_by_due /)]);
    } finally {
      db.close();
    }
  });

  it('migrates an empty file from nothing', async () => {
    const path = join(dir, 'empty.db');
    await writeFile(path, '');
    const store = openSqliteStore({ path });
    try {
      expect(await store.countLinks()).toBe(0);
      await store.saveLink(linkInput());
      expect(await store.countLinks()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('upgrades a file from schema version 1 with its links intact', async () => {
    const path = join(dir, 'v1.db');
    const db = new Database(path);
    migrateSqlite({ db, now: () => 'v1', migrations: SQLITE_MIGRATIONS.filter((m) => m.version === 1) });
    // The columns added since (migration 4) read back as their defaults.
    const old = { ...linkInput({ crmId: 'v1-link', referralId: 'ref-v1' }), microsoftSideId: null, revision: 1, id: 'link-v1', createdAt: 'c', updatedAt: 'u' };
    const all = linkValues(old);
    const v1 = LINK_COLUMNS.map((c, i) => [c, all[i]] as const).filter(([c]) => c !== 'microsoft_side_id' && c !== 'revision');
    db.prepare(`INSERT INTO links (${v1.map(([c]) => c).join(', ')}) VALUES (${v1.map(() => '?').join(', ')})`).run(...v1.map(([, v]) => v));
    db.close();

    const store = openSqliteStore({ path });
    try {
      expect(await store.getLink('link-v1')).toEqual(old);
      expect((await store.findLinksByCrmIds('salesforce', ['v1-link'])).map((l) => l.id)).toEqual(['link-v1']);
      await expect(store.saveLink(linkInput({ crmId: 'v1-link' }))).rejects.toBeInstanceOf(DuplicateLinkError);
      expect(await store.countLinks()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses a file written by a newer release', async () => {
    const path = join(dir, 'newer.db');
    await openSqliteStore({ path }).close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 'x')").run();
    db.close();
    expect(() => openSqliteStore({ path })).toThrow(/version 999, newer than this release knows/);
  });

  it('loses nothing committed and keeps nothing uncommitted when the process is killed mid-transaction', async () => {
    const path = join(dir, 'crash.db');
    const before = openSqliteStore({ path });
    await before.setCursor('committed', 'kept');
    await before.close();

    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('written') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited (${code}) before writing: ${stderr}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const after = openSqliteStore({ path });
    try {
      expect(await after.getCursor('committed')).toBe('kept');
      expect(await after.findLinksByCrmIds('salesforce', ['crashed-1'])).toEqual([]);
      expect(await after.getCursor('crashed')).toBeNull();
      await after.saveLink(linkInput({ crmId: 'crashed-1' }));
    } finally {
      await after.close();
    }
  });

  it('saves made together commit together: the WAL gets each page once, not once per save', async () => {
    const path = join(dir, 'state.db');
    const store = openSqliteStore({ path, clock: fakeClock() });
    try {
      await Promise.all(Array.from({ length: 100 }, (_, n) => store.saveLink(linkInput({ crmId: crmId(n) }))));
      expect(await store.countLinks()).toBe(100);
      const peer = new Database(path);
      try {
        // One commit per save wrote about 650 frames here; the frames of one group are a few dozen.
        const [{ log }] = peer.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
        expect(log).toBeLessThan(100);
      } finally {
        peer.close();
      }
    } finally {
      await store.close();
    }
  });

  it('a call that fails in a group fails alone: the others land with their own answers', async () => {
    const path = join(dir, 'state.db');
    const store = openSqliteStore({ path, clock: fakeClock() });
    try {
      const first = await store.saveLink(linkInput({ crmId: crmId(1) }));
      const moved = await store.saveLink({ ...first, state: 'writeBackPending', referralId: 'ref-1' });
      const [fresh, duplicate, stale, again] = await Promise.allSettled([
        store.saveLink(linkInput({ crmId: crmId(2) })),
        store.saveLink(linkInput({ crmId: crmId(1) })),
        store.saveLink({ ...first, state: 'linked' }),
        store.saveLink({ ...moved, state: 'linked' }),
      ]);
      expect(fresh.status).toBe('fulfilled');
      expect(duplicate).toMatchObject({ status: 'rejected', reason: expect.any(DuplicateLinkError) });
      expect(stale).toMatchObject({ status: 'rejected', reason: expect.any(StaleLinkError) });
      expect(again).toMatchObject({ status: 'fulfilled', value: { state: 'linked', revision: 3 } });
      expect(await store.countLinks()).toBe(2);
    } finally {
      await store.close();
    }
  });
});
