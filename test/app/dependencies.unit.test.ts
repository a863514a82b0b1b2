import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from '@jest/globals';
import Fastify from 'fastify';
import semver from 'semver';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface LockedPackage {
  version?: string;
  engines?: Record<string, string> | string[];
}

describe('dependencies on the oldest Node the product supports', () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
  const oldest = semver.minVersion(pkg.engines.node)?.version ?? '';

  it('every locked package accepts it (npm install prints no EBADENGINE warning)', () => {
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
    const refusing = Object.entries(lock.packages)
      .filter(([path]) => path !== '')
      .map(([path, locked]) => ({ path, version: locked.version, node: Array.isArray(locked.engines) ? undefined : locked.engines?.['node'] }))
      .filter((p) => p.node !== undefined && !semver.satisfies(oldest, p.node));
    expect(oldest).toBe('20.19.0');
    expect(refusing).toEqual([]);
  });

  it('fastify still injects request cookies through the pinned cookie package', async () => {
    const app = Fastify();
    app.get('/echo', async (request) => ({ cookie: request.headers.cookie ?? null }));
    const res = await app.inject({ method: 'GET', url: '/echo', cookies: { session: 'abc', other: 'x y' } });
    expect(res.json()).toEqual({ cookie: 'session=abc; other=x%20y' });
    await app.close();
  });
});
