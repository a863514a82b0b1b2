/**
 * What ships cites only what ships: comments and docs point at vendor documentation by title, or at
 * a file in this repository. A pointer to a document or an issue the reader cannot open (private
 * notes, a section number of a file that is not here, an issue number) fails this test with the
 * file, line and text, so the next edit that adds one is caught at once.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

/** The shipped tree: code, emulators, mappings, configuration, benchmarks and the docs. */
const SHIPPED_DIRS = ['src', 'connectors', 'mappings', 'sandbox', 'docs', 'config', 'bench'];
const SHIPPED_FILES = ['README.md', 'Dockerfile'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.git']);
const TEXT_FILE = /\.(ts|mts|cts|js|mjs|cjs|md|ya?ml|json|sh|txt|sql|env|example)$|(^|\/)Dockerfile$/;

/** Pointers to documents or issues that are not in the repository. */
const FORBIDDEN: ReadonlyArray<{ name: string; pattern: RegExp }> = [
  { name: 'a section number of a document', pattern: /§\s*\d/ },
  { name: 'the reference notes', pattern: /reference notes/i },
  { name: 'a reference note file', pattern: /\b(salesforce-rest|partner-center-referrals|dataverse-web-api|toolchain)\.md\b/i },
  { name: 'a reference note shorthand', pattern: /\bref(erence)? PC\b/ },
  { name: 'a team note file', pattern: /\b(STYLE|PRODUCT)\.md\b/ },
  { name: 'the shared notes folder', pattern: /shared\/reference/ },
  { name: 'an issue number', pattern: /\bissues? #?\d+/i },
];

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir)) {
    if (SKIP_DIRS.has(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (TEXT_FILE.test(path)) out.push(path);
  }
}

function shippedFiles(): string[] {
  const files: string[] = [];
  for (const dir of SHIPPED_DIRS) if (existsSync(join(ROOT, dir))) walk(join(ROOT, dir), files);
  for (const file of SHIPPED_FILES) if (existsSync(join(ROOT, file))) files.push(join(ROOT, file));
  return files;
}

interface Hit {
  at: string;
  what: string;
  line: string;
}

function findHits(files: readonly string[], check: (line: string) => string | null): Hit[] {
  const hits: Hit[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const what = check(line);
        if (what !== null) hits.push({ at: `${relative(ROOT, file)}:${i + 1}`, what, line: line.trim().slice(0, 160) });
      });
  }
  return hits;
}

describe('citations in shipped code and docs', () => {
  const files = shippedFiles();

  it('scans the shipped tree', () => {
    const names = files.map((f) => relative(ROOT, f));
    expect(names).toEqual(expect.arrayContaining(['README.md', 'src/cli/program.ts', 'connectors/types.ts', 'docs/change-watermarks.md']));
  });

  it('points at no document or issue outside the repository', () => {
    const hits = findHits(files, (line) => FORBIDDEN.find((f) => f.pattern.test(line))?.name ?? null);
    expect(hits).toEqual([]);
  });

  it('points only at docs/ files that exist', () => {
    const hits = findHits(files, (line) => {
      const missing = [...line.matchAll(/\bdocs\/([\w.-]+\.md)\b/g)].map((m) => m[1]).find((name) => !existsSync(join(ROOT, 'docs', name!)));
      return missing === undefined ? null : `docs/${missing} does not exist`;
    });
    expect(hits).toEqual([]);
  });
});

describe('the citation check', () => {
  it.each([
    ['// Collections take 200 rows (reference §2.4).', 'a section number of a document'],
    ['// see salesforce-rest.md', 'a reference note file'],
    ['/** ref PC §1.1: the cap */', 'a section number of a document'],
    ['// as STYLE.md 6 asks', 'a team note file'],
    ['// Acceptance (issue 6): one request', 'an issue number'],
    ['Facts: `shared/reference/partner-center-referrals.md`', 'a reference note file'],
  ])('catches %s', (line, name) => {
    expect(FORBIDDEN.find((f) => f.pattern.test(line))?.name).toBe(name);
  });

  it.each([
    '// Salesforce REST API Developer Guide, "sObject Collections": at most 200 records.',
    '// Partner Center docs, "Get a list of referrals".',
    '// Why the read overlaps: docs/change-watermarks.md',
    '# --- build: full toolchain, dev dependencies ---',
  ])('lets %s pass', (line) => {
    expect(FORBIDDEN.find((f) => f.pattern.test(line))).toBeUndefined();
  });
});
