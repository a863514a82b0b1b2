import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { scratchDir } from './helpers.js';
import { configFor, HEAVY, packagesLoadedBy } from './loaded-packages.js';

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
  let dir = '';
  beforeAll(() => {
    dir = freshClone();
    execFileSync('npm', ['run', 'prepare', '--if-present'], { cwd: dir, stdio: 'pipe' });
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs as `npx cosell-sync`', () => {
    const out = execFileSync('npx', ['--offline', '--no-install', 'cosell-sync', 'version'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(out).toBe(`${pkg.version}\n`);
  });

  /** The built executable package.json names, run in a scratch folder with a configuration. */
  const builtCli = (args: string[], files: Record<string, string> = {}) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const scratch = scratchDir({ 'cosell.yaml': configFor(dir), ...files });
    try {
      return packagesLoadedBy(join(dir, pkg.bin['cosell-sync'] as string), [...args, '--config', 'cosell.yaml'], scratch.dir);
    } finally {
      scratch.cleanup();
    }
  };

  it.each(['config check', 'mappings validate', 'links show'])('its `%s` works and loads none of the connector, server or sandbox libraries', (name) => {
    const run = builtCli(name.split(' '));
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).not.toBe('');
    expect(HEAVY.filter((name) => run.packages.has(name))).toEqual([]);
  });

  it('its configuration errors say what is wrong, where', () => {
    const run = builtCli(['config', 'check'], { 'cosell.yaml': `${configFor(dir)}sync: { retry: { maxAttempts: many } }\n` });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/sync\.retry\.maxAttempts.*expected number/i);
  });

  it('its commands that sync load their connectors', () => {
    const record = JSON.stringify({ kind: 'opportunity', id: '006000000000001', fields: { Name: 'Contoso' } });
    const run = builtCli(['mappings', 'preview', '--file', 'record.json'], { 'record.json': record });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/Contoso/);
    expect(run.packages.has('jsforce')).toBe(true);
  });
});
