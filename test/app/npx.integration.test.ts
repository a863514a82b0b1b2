import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * A fresh clone as a user gets it: the repository's files without build output. Dependencies
 * are the ones already installed (linked, not copied: no network, and `npm install` has no
 * more to fetch). Then what `npm install` runs for the package itself: its `prepare` script.
 */
function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cosell-clone-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file !== '' && !file.startsWith('dist/'));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    try {
      cpSync(join(REPO, file), join(dir, file));
    } catch {
      // Deleted in the working tree but not yet in the index: not part of the clone either.
    }
  }
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

describe('the CLI right after `npm install`', () => {
  it('runs as `npx cosell-sync`', () => {
    const dir = freshClone();
    try {
      execFileSync('npm', ['run', 'prepare', '--if-present'], { cwd: dir, stdio: 'pipe' });
      const out = execFileSync('npx', ['--offline', '--no-install', 'cosell-sync', 'version'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
      expect(out).toBe(`${pkg.version}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
