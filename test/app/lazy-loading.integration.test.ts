import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from '@jest/globals';

import { MINIMAL_ENV, scratchDir } from './helpers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

/** Module hooks that append every module URL the process loads to $LOADED_MODULES. */
const RECORDER = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const loaded = await next(url, context);
  appendFileSync(process.env.LOADED_MODULES, url + '\\n');
  return loaded;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RECORDER)}`)});`;

/** The libraries of the sync, the servers and the sandbox: slow to load, needed by none of the commands below. */
const HEAVY = ['jsforce', 'fastify', 'pg', '@azure/msal-node', '@microsoft/microsoft-graph-client', 'dynamics-web-api', 'prom-client', 'node-forge', 'pino-pretty'];

const YAML = `store: { kind: sqlite, path: state/cosell.sqlite }
partnerCenter:
  auth: { mode: staticToken }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
  mapping: ${join(REPO, 'mappings/salesforce.yaml')}
`;

/** Runs the CLI from source in its own process; returns its exit code and the packages it loaded. */
function packagesLoadedBy(args: string[], cwd: string): { code: number | null; stdout: string; packages: Set<string> } {
  const list = join(cwd, 'loaded.txt');
  const result = spawnSync(process.execPath, ['--import', TSX_LOADER, '--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, join(REPO, 'src/cli/bin.ts'), ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...MINIMAL_ENV, LOADED_MODULES: list },
    encoding: 'utf8',
  });
  const packages = new Set(
    readFileSync(list, 'utf8')
      .split('\n')
      .map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
      .filter((name): name is string => name !== undefined && name !== 'tsx'),
  );
  return { code: result.status, stdout: result.stdout, packages };
}

describe('commands that do not sync load only what they use', () => {
  it.each(['version', 'config check', 'mappings validate', 'links show'])('cosell-sync %s loads none of the connector, server or sandbox libraries', (name) => {
    const command = name.split(' ');
    const scratch = scratchDir({ 'cosell.yaml': YAML });
    try {
      const args = command[0] === 'version' ? command : [...command, '--config', 'cosell.yaml'];
      const run = packagesLoadedBy(args, scratch.dir);
      expect(run.code).toBe(0);
      expect(run.stdout).not.toBe('');
      expect(HEAVY.filter((name) => run.packages.has(name))).toEqual([]);
    } finally {
      scratch.cleanup();
    }
  });

  it('the commands that sync still load their connectors', () => {
    // A dry-run preview of an offline record: the engine and its connectors are composed, nothing is called.
    const record = JSON.stringify({ kind: 'opportunity', id: '006000000000001', fields: { Name: 'Contoso' } });
    const scratch = scratchDir({ 'cosell.yaml': YAML, 'record.json': record });
    try {
      const run = packagesLoadedBy(['mappings', 'preview', '--file', 'record.json', '--config', 'cosell.yaml'], scratch.dir);
      expect(run.code).toBe(0);
      expect(run.packages.has('jsforce')).toBe(true);
    } finally {
      scratch.cleanup();
    }
  });
});
