/** Options are parsed once and every problem names its path. */
import { describe, expect, it } from '@jest/globals';
import { parseDynamicsOptions } from '../../../connectors/dynamics/index.js';

describe('parseDynamicsOptions', () => {
  it('fills the documented defaults', () => {
    const parsed = parseDynamicsOptions({ auth: { kind: 'staticToken', accessToken: 't' }, url: 'https://contoso.crm.dynamics.com' });
    expect(parsed).toMatchObject({ apiVersion: '9.2', timeoutMs: 30_000, inboundLeadsAs: 'lead', pageSize: 500, batchSize: 100, rateLimit: { concurrency: 8, intervalCap: 6000, intervalMs: 300_000 } });
  });

  it('names every problem with its path', () => {
    expect(() =>
      parseDynamicsOptions({ auth: { kind: 'clientSecret', tenantId: 't', clientId: 'c', clientSecret: '' }, url: 'contoso', batchSize: 1001 }),
    ).toThrow(/auth\.clientSecret: .*; url: must be an http\(s\) URL; batchSize: /);
  });

  it('refuses a certificate sign-in without a PEM private key', () => {
    expect(() =>
      parseDynamicsOptions({
        auth: { kind: 'certificate', tenantId: 't', clientId: 'c', thumbprintSha256: 'a'.repeat(64), privateKeyPem: 'not a key' },
        url: 'https://contoso.crm.dynamics.com',
      }),
    ).toThrow(/auth\.privateKeyPem: must be a PEM private key/);
  });
});
