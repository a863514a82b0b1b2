/**
 * An answer whose body stops halfway while the connection stays open: dynamics-web-api's own
 * timeout then never settles the call (it destroys the request without an error once the answer
 * has begun), so the connector gives each request a deadline through the library's `signal`.
 * The request is retried (a read) or reported with an unknown outcome (a write), never left hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createDynamicsConnector, type DynamicsConnector } from '../../../connectors/dynamics/index.js';
import { systemClock } from '../../../src/core/clock.js';
import { startDataverseEmulator, type StartedDataverseEmulator } from '../../../sandbox/dataverse/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';

let emulator: StartedDataverseEmulator;
let connector: DynamicsConnector;

beforeAll(async () => {
  emulator = await startDataverseEmulator({ clock: new SandboxClock(new Date('2026-03-02T09:00:00Z')), seed: 4, size: 10, options: { staticTokens: ['s'] } });
  connector = createDynamicsConnector({ auth: { kind: 'staticToken', accessToken: 's' }, url: emulator.server.url, timeoutMs: 300, retry: { baseDelayMs: 1 } }, { logger: pino({ level: 'silent' }), clock: systemClock });
});
afterAll(async () => {
  await connector.close();
  await emulator.server.close();
});

describe('Dataverse answers that stall halfway', () => {
  it('a read is given up after the deadline and retried', async () => {
    emulator.server.faults.set([{ method: 'GET', path: 'opportunities', nth: [1], stallRate: 1 }]);
    const records = await connector.getRecords({ kind: 'opportunity', ids: ['00000000-0000-0000-0000-000000000001'], fields: ['name'] });
    expect(records).toEqual([]);
    expect(connector.requestCount()).toBe(2);
  });

  it('an update batch is given up after the deadline with its outcome unknown, not resent', async () => {
    emulator.server.faults.set([{ method: 'POST', path: '\\$batch', stallRate: 1 }]);
    const before = connector.requestCount();
    const error = await connector.updateRecords([{ kind: 'opportunity', id: '00000000-0000-0000-0000-000000000001', version: 'W/"1"', fields: { name: 'x' } }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(connector.requestCount() - before).toBe(1);
  });
});
