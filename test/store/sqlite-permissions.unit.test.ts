import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

import { privateWriteStream, writePrivateFile } from '../../src/core/private-file.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { fakeClock, linkInput } from './contract/fixtures.js';

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('files holding state are readable by their owner only', () => {
  let dir = '';
  let umask = 0;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cosell-perm-'));
    // The usual umask, under which a plain create gives 0644.
    umask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(umask);
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the SQLite store and its -wal and -shm files 0600', async () => {
    const path = join(dir, 'state.sqlite');
    const store = openSqliteStore({ path, clock: fakeClock() });
    try {
      await store.saveLink(linkInput());
      for (const file of [path, `${path}-wal`, `${path}-shm`]) expect([file, modeOf(file)]).toEqual([file, '600']);
    } finally {
      await store.close();
    }
  });

  it('narrows a store file an older version left world-readable', async () => {
    const path = join(dir, 'old.sqlite');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    const store = openSqliteStore({ path, clock: fakeClock() });
    await store.close();
    expect(modeOf(path)).toBe('600');
  });

  it('writes token files and log files 0600', async () => {
    const token = join(dir, 'admin-token');
    writeFileSync(token, 'old');
    chmodSync(token, 0o644);
    writePrivateFile(token, 'secret');
    expect(modeOf(token)).toBe('600');
    const log = privateWriteStream(join(dir, 'daemon.log'));
    await new Promise<void>((resolve) => log.end('line\n', resolve));
    expect(modeOf(join(dir, 'daemon.log'))).toBe('600');
  });
});
