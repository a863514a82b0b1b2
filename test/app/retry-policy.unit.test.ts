/**
 * `sync.retry` is the retry policy of every connector the daemon builds: Salesforce, Dynamics and
 * Partner Center each try a failing call exactly `maxAttempts` times.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { pino } from 'pino';
import { composeEngine } from '../../src/app/compose.js';
import { parseConfigText } from '../../src/config/index.js';
import { openStore } from '../../src/store/open-store.js';
import { FakeClock } from '../support/fake-clock.js';
import { MINIMAL_ENV, scratchDir } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
// nock patches node:http once per test file; hand it back so the next file in this worker can.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => nock.cleanAll());

const mappings = {
  'mappings/salesforce.yaml': readFileSync(join(import.meta.dirname, '../../mappings/salesforce.yaml'), 'utf8'),
  'mappings/dynamics.yaml': readFileSync(join(import.meta.dirname, '../../mappings/dynamics.yaml'), 'utf8'),
};

const YAML = `partnerCenter:
  auth: { mode: staticToken }
salesforce:
  instanceUrl: https://example.my.salesforce.com
  auth: { mode: staticToken }
dynamics:
  url: https://contoso.crm.dynamics.com
  auth: { mode: staticToken }
sync:
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 }
`;

/** Answers every request to `origin` with 503 and counts them. */
function unavailable(origin: string): { calls: () => number } {
  let calls = 0;
  nock(origin)
    .persist()
    .intercept(/.*/, 'GET')
    .reply(() => {
      calls += 1;
      return [503, { error: { code: 'serviceNotAvailable', message: 'down' } }, { 'content-type': 'application/json' }];
    });
  return { calls: () => calls };
}

describe('sync.retry', () => {
  it('bounds the attempts of Salesforce, Dynamics and Partner Center calls', async () => {
    const scratch = scratchDir(mappings);
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    try {
      const parsed = parseConfigText({ text: YAML, env: { ...MINIMAL_ENV, DYNAMICS_ACCESS_TOKEN: 'dv-token-value-3' }, cwd: scratch.dir });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
      const engine = composeEngine({ config: parsed.value, logger: pino({ level: 'silent' }), store, clock: new FakeClock(Date.parse('2026-03-02T09:00:00Z')) });
      const sf = unavailable('https://example.my.salesforce.com');
      const dv = unavailable('https://contoso.crm.dynamics.com');
      const pc = unavailable('https://api.partner.microsoft.com');
      const [salesforce, dynamics] = engine.deps.crms;
      await expect(salesforce?.connector.getRecords({ kind: 'opportunity', ids: ['006000000000001AAA'], fields: ['Name'] })).rejects.toMatchObject({ status: 503 });
      await expect(dynamics?.connector.getRecords({ kind: 'opportunity', ids: ['00000000-0000-4000-8000-000000000001'], fields: ['name'] })).rejects.toMatchObject({ status: 503 });
      await expect(engine.deps.partnerCenter.getReferral('00000000-0000-4000-8000-000000000002')).rejects.toMatchObject({ status: 503 });
      expect({ salesforce: sf.calls(), dynamics: dv.calls(), partnerCenter: pc.calls() }).toEqual({ salesforce: 2, dynamics: 2, partnerCenter: 2 });
      await engine.close();
    } finally {
      await store.close();
      scratch.cleanup();
    }
  });
});
