/**
 * Follows "Backup and restore of the SQLite store" in docs/operations.md against a real store:
 * the guide's backup commands, run as written while the store is open and being written to, make
 * a copy that, restored as the guide says, holds the links and the Partner Center sign-in, which
 * only the token-cache key opens.
 */
import { describe, expect, it } from '@jest/globals';
import type { TokenCacheContext } from '@azure/msal-node';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createEncryptedCachePlugin, encryptCache, parseCacheKey, TOKEN_CACHE_BLOB } from '../../connectors/partner-center/auth/encrypted-cache.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { LinkInput, StateStore } from '../../src/store/types.js';
import { codeBlocks, readGuide, section } from './guide-text.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const KEY = parseCacheKey('6QmC4d0oQ1f4o2v9Yy0sX1n7mQ2m0l9x8k7j6h5g4f0=');
const OTHER_KEY = parseCacheKey('a'.repeat(64));
const SIGNED_IN = JSON.stringify({ Account: { 'home-1': { home_account_id: 'home-1', username: 'referrals-admin@example.com' } } });

/** The backup commands of the guide, without the lines that set STORE and BACKUP (the test sets them). */
function backupScript(): string {
  const text = section(readGuide(ROOT, 'operations.md').text, 'Backup and restore of the SQLite store');
  const block = codeBlocks(text).find((b) => b.lang === 'sh' && b.body.includes('better-sqlite3'));
  if (block === undefined) throw new Error('operations.md shows no backup command');
  return block.body
    .split('\n')
    .filter((line) => !/^(STORE|BACKUP)=/.test(line))
    .join('\n');
}

const link = (crmId: string, referralId: string): LinkInput => ({
  crmSystem: 'salesforce',
  crmKind: 'opportunity',
  crmId,
  referralId,
  engagementId: null,
  origin: 'crm',
  state: 'linked',
  snapshot: { name: `Deal ${crmId}` },
  crmVersion: null,
  referralETag: null,
  respondBy: null,
});

/** What the daemon's token provider reads at its next token request. */
async function storedSignIn(store: StateStore, key: Buffer): Promise<{ accounts: string[]; unreadable: string | null }> {
  let unreadable: string | null = null;
  const plugin = createEncryptedCachePlugin({ store, key, onUnreadable: (error) => void (unreadable = error.message) });
  const ctx = { tokenCache: { deserialize: () => undefined }, cacheHasChanged: false } as unknown as TokenCacheContext;
  await plugin.beforeCacheAccess(ctx);
  return { accounts: [...plugin.storedAccountIds()], unreadable };
}

describe('operations.md: backup and restore of the SQLite store', () => {
  it('backs up a running store as written, and the restored copy keeps links and sign-in, for the same key only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosell-backup-'));
    try {
      const storePath = join(dir, 'cosell-sync.sqlite');
      const backupPath = join(dir, 'backups', 'cosell-sync.sqlite');
      const live = openSqliteStore({ path: storePath });
      await live.saveLink(link('006A', 'ref-a'));
      await live.saveLink(link('006B', 'ref-b'));
      await live.putBlob(TOKEN_CACHE_BLOB, encryptCache(SIGNED_IN, KEY));

      // The daemon keeps the store open (write-ahead log) while the backup runs.
      spawnSync('mkdir', ['-p', join(dir, 'backups')]);
      const run = spawnSync('bash', ['-e', '-c', backupScript()], { cwd: ROOT, env: { ...process.env, STORE: storePath, BACKUP: backupPath }, encoding: 'utf8' });
      expect({ status: run.status, stdout: run.stdout.trim(), stderr: run.stderr }).toEqual({ status: 0, stdout: 'backed up', stderr: '' });
      expect(statSync(backupPath).mode & 0o777).toBe(0o600);
      await live.saveLink(link('006C', 'ref-c')); // after the backup: not in it
      await live.close();

      // Restore: the store and its -wal and -shm files aside, the backup in their place.
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(storePath + suffix)) renameSync(storePath + suffix, `${storePath}${suffix}.lost`);
      copyFileSync(backupPath, storePath);
      const restored = openSqliteStore({ path: storePath });
      try {
        const links = await restored.listLinks({ limit: 10 });
        expect(links.map((l) => [l.crmId, l.referralId]).sort()).toEqual([
          ['006A', 'ref-a'],
          ['006B', 'ref-b'],
        ]);
        expect(await storedSignIn(restored, KEY)).toEqual({ accounts: ['home-1'], unreadable: null });
        // Restored without its key: the sign-in cannot be read, and `auth login` is needed again.
        expect(await storedSignIn(restored, OTHER_KEY)).toEqual({ accounts: [], unreadable: expect.any(String) });
      } finally {
        await restored.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
