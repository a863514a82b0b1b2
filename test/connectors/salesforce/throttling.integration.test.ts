/**
 * Against the sandbox emulator: a 429 with `Retry-After: 2` costs two seconds of the connector's
 * clock and one more request; the org's allowance used up (403 REQUEST_LIMIT_EXCEEDED) pauses
 * Salesforce calls for the budget poll and says so in health.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createSalesforceConnector } from '../../../connectors/salesforce/index.js';
import { startSalesforceEmulator, type SalesforceControl } from '../../../sandbox/salesforce/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import type { EmulatorServer } from '../../../sandbox/shared/http.js';
import { FakeClock, logSink } from './support/harness.js';

const POLL = 15 * 60_000;
let server: EmulatorServer;
let sf: SalesforceControl;
const sandboxClock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));

beforeAll(async () => {
  ({ server, control: sf } = await startSalesforceEmulator({ clock: sandboxClock, seed: 3, size: 10 }));
});
afterAll(() => server.close());
beforeEach(() => {
  server.faults.set([]);
  server.stats.reset();
  sf.setApiUsage(0);
});

function connect() {
  const clock = new FakeClock(sandboxClock.now().getTime());
  const connector = createSalesforceConnector(
    {
      auth: { kind: 'clientCredentials', clientId: sf.clientIds[0] ?? 'cosell-sandbox', clientSecret: sf.clientSecret },
      loginUrl: server.url,
      apiVersion: '60.0',
      apiBudgetPollMs: POLL,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 60_000, retryUnknownOutcome: true },
    },
    { logger: logSink().logger, clock },
  );
  return { connector, clock };
}

const someId = (): string => (sf.query({ soql: 'SELECT Id FROM Opportunity LIMIT 1' })[0] as { Id: string }).Id;
const queries = (): number => server.stats.log().filter((c) => c.path.endsWith('/query')).length;

describe('Salesforce connector: throttling and the daily allowance against the sandbox', () => {
  it('waits the 2 s a 429 asks for, then reads; no budget pause', async () => {
    const { connector, clock } = connect();
    const id = someId();
    await connector.getRecords({ kind: 'opportunity', ids: [id], fields: ['Name'] }); // signs in
    server.faults.set([{ method: 'GET', path: '/query$', nth: [1], errorRate: 1, errorStatus: 429, retryAfterSeconds: 2 }]);
    server.stats.reset();
    const before = clock.sleeps.length;
    expect(await connector.getRecords({ kind: 'opportunity', ids: [id], fields: ['Name'] })).toHaveLength(1);
    expect(clock.sleeps.slice(before).reduce((a, b) => a + b, 0)).toBe(2000);
    expect(queries()).toBe(2);
    expect(connector.health()).toEqual({ state: 'ok', detail: null, pausedUntil: null });
    await connector.close();
  });

  it('pauses for the budget poll when the org has used its allowance, and says until when', async () => {
    const { connector, clock } = connect();
    const id = someId();
    await connector.getRecords({ kind: 'opportunity', ids: [id], fields: ['Name'] });
    sf.setApiUsage(sf.apiUsage().limit);
    const refusedAt = clock.t;
    const error = await connector.getRecords({ kind: 'opportunity', ids: [id], fields: ['Name'] }).catch((e: unknown) => e);
    // The first refusal pauses every call; the retry after the pause is refused again.
    expect(error).toMatchObject({ kind: 'rateLimited', status: 403, vendorCode: 'REQUEST_LIMIT_EXCEEDED' });
    const health = connector.health();
    expect(health.state).toBe('paused');
    expect(health.detail).toContain('REQUEST_LIMIT_EXCEEDED');
    expect(Date.parse(health.pausedUntil ?? '')).toBeGreaterThanOrEqual(refusedAt + POLL);
    await connector.close();
  });
});
