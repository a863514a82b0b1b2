import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from '@jest/globals';

import { formatProblems, maskConfig, parseConfigText } from '../../src/config/index.js';
import { scratchDir } from './helpers.js';

const EXAMPLE = readFileSync(new URL('../../config/cosell-sync.example.yaml', import.meta.url), 'utf8');

const SECRETS = {
  COSELL_TOKEN_CACHE_KEY: randomBytes(32).toString('base64'),
  SALESFORCE_PRIVATE_KEY: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  DYNAMICS_CLIENT_SECRET: 'dyn-secret-5c4b3a',
  GRAPH_CLIENT_SECRET: 'graph-secret-1a2b3c',
};

function loadExample() {
  const scratch = scratchDir({ 'mappings/salesforce.yaml': '', 'mappings/dynamics.yaml': '' });
  try {
    const result = parseConfigText({ text: EXAMPLE, env: SECRETS, cwd: scratch.dir });
    if (!result.ok) throw new Error(formatProblems(result.error));
    return result.value;
  } finally {
    scratch.cleanup();
  }
}

function keysOf(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)]);
}

describe('config/cosell-sync.example.yaml', () => {
  it('is a valid configuration', () => {
    const config = loadExample();
    expect(config.salesforce?.auth.mode).toBe('jwt');
    expect(config.dynamics?.auth.mode).toBe('clientSecret');
    expect(config.graph?.recipients).toEqual(['sales-ops@example.com']);
  });

  it('mentions every key of the effective configuration', () => {
    const missing = [...new Set(keysOf(maskConfig(loadExample())))].filter((key) => !EXAMPLE.includes(key));
    expect(missing).toEqual([]);
  });
});

describe('maskConfig', () => {
  it('shows where each secret came from and never its value', () => {
    const masked = maskConfig(loadExample());
    const text = JSON.stringify(masked);
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
    expect(masked).toMatchObject({
      partnerCenter: { tokenCacheKey: '*** (env COSELL_TOKEN_CACHE_KEY)' },
      salesforce: { auth: { privateKey: '*** (env SALESFORCE_PRIVATE_KEY)' } },
      dynamics: { auth: { secret: '*** (env DYNAMICS_CLIENT_SECRET)' } },
    });
  });

  it('keeps secrets out of JSON and string forms of the raw configuration too', () => {
    const config = loadExample();
    const text = `${JSON.stringify(config)} ${String(config.graph?.auth.mode === 'clientSecret' && config.graph.auth.secret)}`;
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
  });
});
