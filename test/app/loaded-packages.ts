import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

import { MINIMAL_ENV } from './helpers.js';

/** Module hooks that append every module URL the process loads to $LOADED_MODULES. */
const RECORDER = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  const loaded = await next(url, context);
  appendFileSync(process.env.LOADED_MODULES, url + '\\n');
  return loaded;
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RECORDER)}`)});`;

/** The libraries of the sync, the servers and the sandbox: slow to load, needed by none of the commands that do not sync. */
export const HEAVY = ['jsforce', 'fastify', 'pg', '@azure/msal-node', '@microsoft/microsoft-graph-client', 'dynamics-web-api', 'prom-client', 'node-forge', 'pino-pretty'];

/** A configuration for those commands: a SQLite store under `cwd`, Salesforce with the shipped mapping. */
export const configFor = (repo: string): string => `store: { kind: sqlite, path: state/cosell.sqlite }
partnerCenter:
  auth: { mode: staticToken }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
  mapping: ${join(repo, 'mappings/salesforce.yaml')}
`;

/**
 * Runs `node [...nodeArgs] entry ...args` in `cwd`; returns its exit code, output and the packages
 * (from node_modules) it loaded, as the module hooks saw them.
 */
export function packagesLoadedBy(entry: string, args: readonly string[], cwd: string, nodeArgs: readonly string[] = []): { code: number | null; stdout: string; stderr: string; packages: Set<string> } {
  const list = join(cwd, 'loaded.txt');
  const result = spawnSync(process.execPath, [...nodeArgs, '--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, entry, ...args], {
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
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, packages };
}
