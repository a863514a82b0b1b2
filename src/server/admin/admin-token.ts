/**
 * The admin token: COSELL_ADMIN_TOKEN (or _FILE) when set; otherwise one generated at the first
 * start and kept in a file readable by its owner only, so it survives restarts. The log says
 * where it is, never what it is.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import type { Config } from '../../config/index.js';
import { tightenToPrivate, writePrivateFile } from '../../core/private-file.js';
import type { Logger } from '../../logging/index.js';

/** Where a generated token lives: `server.auth.tokenFile`, else beside the SQLite store, else `var/admin-token`. */
export function adminTokenFile(config: Pick<Config, 'server' | 'store'>, cwd: string): string {
  if (config.server.auth.tokenFile !== undefined) return config.server.auth.tokenFile;
  if (config.store.kind === 'sqlite' && config.store.path !== ':memory:') return resolve(dirname(config.store.path), 'admin-token');
  return resolve(cwd, 'var/admin-token');
}

export function loadAdminToken(args: { config: Pick<Config, 'server' | 'store'>; cwd: string; logger: Logger }): string {
  const configured = args.config.server.auth.token;
  if (configured !== null) {
    args.logger.info({ source: configured.source }, 'admin token from the environment');
    return configured.reveal();
  }
  const file = adminTokenFile(args.config, args.cwd);
  if (existsSync(file)) {
    tightenToPrivate(file);
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= 16) {
      args.logger.info({ tokenFile: file }, 'admin token read from its file (COSELL_ADMIN_TOKEN is not set)');
      return kept;
    }
  }
  const token = randomBytes(32).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writePrivateFile(file, `${token}\n`);
  args.logger.warn(
    { tokenFile: file },
    'COSELL_ADMIN_TOKEN is not set: an admin token was generated and written to tokenFile (readable by this user only); use it to sign in to the status page and as the bearer token of the JSON API',
  );
  return token;
}
