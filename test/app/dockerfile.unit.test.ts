import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { serverSchema } from '../../src/config/schema/server.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');
/** A young generation of 4 MB: the daemon's peak memory 20 to 30 MB lower (docs/operations.md, "Memory"). */
const DAEMON_NODE_FLAGS = ['--max-semi-space-size=4'];

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions (continuation lines joined, comments dropped), numbered by stage. */
function instructions(): Instruction[] {
  const text = read('Dockerfile').replace(/\\\n/g, ' ');
  let stage = -1;
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      if (keyword.toUpperCase() === 'FROM') stage += 1;
      return { keyword: keyword.toUpperCase(), args: rest.join(' '), stage };
    });
}

const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]]/g, '\\$&')
      .replace(/\*\*\//g, '\uE000')
      .replace(/\*/g, '[^/]*')
      .replace(/\uE000/g, '(.*/)?')}$`,
  );

/** Repository files and directories matched by a COPY source (which may end in a `*` pattern). */
function matches(source: string): string[] {
  if (!source.includes('*')) return existsSync(join(REPO, source)) ? [source] : [];
  const dir = dirname(source);
  const pattern = globToRegExp(source);
  return readdirSync(join(REPO, dir))
    .map((name) => `${dir}/${name}`)
    .filter((path) => pattern.test(path));
}

const ignored = (path: string): boolean =>
  read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .some((pattern) => globToRegExp(pattern).test(path) || path.startsWith(`${pattern}/`));

const copies = (fromStage: boolean) =>
  instructions()
    .filter((i) => i.keyword === 'COPY' && i.args.startsWith('--from=') === fromStage)
    .map((i) => {
      const parts = i.args.split(/\s+/).filter((part) => !part.startsWith('--'));
      return { sources: parts.slice(0, -1), stage: i.stage };
    });

describe('Dockerfile', () => {
  it('copies only paths that exist in the repository and are not excluded by .dockerignore', () => {
    const sources = copies(false).flatMap((copy) => copy.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      const found = matches(source);
      expect({ source, found: found.length > 0 }).toEqual({ source, found: true });
      for (const path of found) expect({ path, ignored: ignored(path) }).toEqual({ path, ignored: false });
    }
  });

  it('copies into the build stage every folder the TypeScript build compiles', () => {
    const tsconfig = JSON.parse(read('tsconfig.json')) as { include: string[]; compilerOptions: { outDir: string; rootDir: string } };
    const buildSources = copies(false)
      .filter((copy) => copy.stage === 0)
      .flatMap((copy) => copy.sources);
    for (const folder of tsconfig.include) expect(buildSources).toContain(folder);
    // And the folders of the programs the build script runs (the bundler).
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    for (const [, folder] of (pkg.scripts['build'] ?? '').matchAll(/\b(\w+)\/[\w.-]+\.ts\b/g)) expect(buildSources).toContain(folder);
    expect(buildSources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json']));
  });

  it('installs exactly the committed lockfile, and builds only after the sources are in', () => {
    const build = instructions().filter((i) => i.stage === 0);
    const install = build.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
    expect(install).toBeGreaterThan(-1);
    expect(build.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n')).not.toMatch(/\bnpm install\b/);
    // package.json's `prepare` is the build: at install time the sources are not copied yet.
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    if (pkg.scripts['prepare'] !== undefined) expect(build[install]?.args).toMatch(/--ignore-scripts/);
    const firstSource = build.findIndex((i) => i.keyword === 'COPY' && /\bsrc\b/.test(i.args));
    const compile = build.findIndex((i) => i.keyword === 'RUN' && i.args.includes('npm run build'));
    expect(firstSource).toBeGreaterThan(install);
    expect(compile).toBeGreaterThan(firstSource);
  });

  it('takes from the build stage only what the build produces', () => {
    const tsconfig = JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string; rootDir: string } };
    const build = instructions().filter((i) => i.stage === 0 && i.keyword === 'RUN').map((i) => i.args);
    const produced = new Map<string, boolean>([
      ['/app/package.json', copies(false).some((copy) => copy.stage === 0 && copy.sources.includes('package.json'))],
      ['/app/node_modules', build.some((run) => /npm (install|ci)\b/.test(run))],
      [`/app/${tsconfig.compilerOptions.outDir}`, build.some((run) => run.includes('npm run build'))],
    ]);
    for (const source of copies(true).flatMap((copy) => copy.sources)) {
      expect({ source, produced: produced.get(source) ?? false }).toEqual({ source, produced: true });
    }
  });

  it('runs the compiled CLI as a non-root user in a slim image with a health check', () => {
    const final = instructions().filter((i) => i.stage === 1);
    const one = (keyword: string): string => final.find((i) => i.keyword === keyword)?.args ?? '';
    expect(one('FROM')).toBe('node:20-slim');
    expect(one('USER')).not.toMatch(/^(root|0)$/);
    expect(one('USER')).not.toBe('');
    // The health check reads the configured admin port; no port is written into the image.
    expect(one('HEALTHCHECK')).toMatch(/CMD \["node", "dist\/cli\/cosell-sync\.js", "healthcheck"\]$/);
    expect(one('HEALTHCHECK')).not.toMatch(/8787/);
    expect(JSON.parse(one('ENTRYPOINT'))).toEqual(['node', ...DAEMON_NODE_FLAGS, 'dist/cli/cosell-sync.js']);
    expect(JSON.parse(one('CMD'))).toEqual(['run']);
    // The entry point is the bundled form of the CLI's bin, which package.json also names.
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    expect(pkg.bin['cosell-sync']).toBe('dist/cli/cosell-sync.js');
    expect(statSync(join(REPO, 'src/cli/bin.ts')).isFile()).toBe(true);
    expect(read('src/cli/bin.ts').startsWith('#!/usr/bin/env node\n')).toBe(true);
    // The final image installs nothing: production dependencies come pruned from the build stage.
    expect(final.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n')).not.toMatch(/npm (install|ci)\b/);
  });

  it('runs the daemon with the same Node flags in the image, the systemd unit and npm start', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toBe(`node ${DAEMON_NODE_FLAGS.join(' ')} dist/cli/cosell-sync.js run`);
    expect(read('docs/operations.md')).toContain(`ExecStart=/usr/bin/node ${DAEMON_NODE_FLAGS.join(' ')} /opt/cosell-sync/dist/cli/cosell-sync.js run `);
  });

  it('publishes the webhook port only: the admin listener is not exposed', () => {
    const exposed = instructions()
      .filter((i) => i.stage === 1 && i.keyword === 'EXPOSE')
      .flatMap((i) => i.args.split(/\s+/))
      .map((port) => Number(port.split('/')[0]));
    const defaults = serverSchema({ env: {}, cwd: REPO }).parse({});
    expect(exposed).toEqual([defaults.webhooks.port]);
    expect(exposed).not.toContain(defaults.port);
  });
});
