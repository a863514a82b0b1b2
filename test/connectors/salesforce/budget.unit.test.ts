import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { openStore } from '../../../src/store/open-store.js';
import { API, INSTANCE, makeConnector, soqlPath } from './support/harness.js';

beforeAll(() => nock.disableNetConnect());
// nock patches node:http once per test file; hand it back so the next file in this worker can.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => nock.cleanAll());

const EMPTY = { totalSize: 0, done: true, records: [] };
const usage = (used: number, max: number) => ({ 'content-type': 'application/json', 'sforce-limit-info': `api-usage=${used}/${max}` });

describe('Salesforce API budget reserve', () => {
  it('pauses (not fails) when the reserve is reached, says so once, and resumes after the poll interval', async () => {
    const { connector, clock, sink } = makeConnector({ apiBudgetReservePercent: 10, apiBudgetPollMs: 600_000 });
    const start = clock.t;
    const sentAt: number[] = [];
    const answers = [usage(13_400, 15_000), usage(13_600, 15_000), usage(13_601, 15_000), usage(12_000, 15_000)];
    nock(INSTANCE)
      .get(soqlPath('query'))
      .times(answers.length)
      .reply(() => {
        sentAt.push(clock.t);
        return [200, EMPTY, answers[sentAt.length - 1] ?? usage(0, 15_000)];
      });
    const read = () => connector.getRecords({ kind: 'opportunity', ids: ['006A00000000001AAA'], fields: ['Name'] });

    await read(); // 1,600 left of 15,000: above the 1,500 reserve
    expect(connector.health().state).toBe('ok');
    await read(); // 1,400 left: the reserve is reached
    expect(connector.health()).toEqual({ state: 'paused', detail: 'API budget reserve reached', pausedUntil: new Date(start + 600_000).toISOString() });

    await read(); // held until the pause ends, then one probe; still in the reserve: paused again
    expect(sentAt[2]).toBe(start + 600_000);
    expect(connector.health().state).toBe('paused');
    await read(); // the rolling window freed calls: back to normal
    expect(sentAt[3]).toBe(start + 1_200_000);
    expect(connector.health().state).toBe('ok');
    expect(connector.apiUsage()).toEqual({ used: 12_000, limit: 15_000 });

    const pauses = sink.lines().filter((l) => l['msg'] === 'Salesforce API budget reserve reached; pausing Salesforce calls');
    expect(pauses).toHaveLength(1);
    expect(sink.lines().some((l) => String(l['msg']).includes('resuming'))).toBe(true);
  });

  it('keeps the whole allocation usable with a reserve of 0', async () => {
    const { connector } = makeConnector({ apiBudgetReservePercent: 0 });
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, EMPTY, usage(14_999, 15_000));
    await connector.getRecords({ kind: 'opportunity', ids: ['006A00000000001AAA'], fields: ['Name'] });
    expect(connector.health().state).toBe('ok');
  });
});

describe('Salesforce API budget pause across a restart', () => {
  it('keeps holding calls after a restart until the stored pause ends', async () => {
    const store = await openStore({ kind: 'sqlite', path: ':memory:' });
    const sentAt: number[] = [];
    const first = makeConnector({ apiBudgetReservePercent: 10, apiBudgetPollMs: 600_000 }, { store });
    const pausedAt = first.clock.t;
    let clockOfCaller = first.clock;
    nock(INSTANCE)
      .get(soqlPath('query'))
      .times(2)
      .reply(() => {
        sentAt.push(clockOfCaller.t);
        return [200, EMPTY, usage(14_000, 15_000)];
      });
    const read = (c: typeof first.connector) => c.getRecords({ kind: 'opportunity', ids: ['006A00000000001AAA'], fields: ['Name'] });
    await read(first.connector);
    await first.connector.close();

    const second = makeConnector({ apiBudgetReservePercent: 10, apiBudgetPollMs: 600_000 }, { store });
    clockOfCaller = second.clock;
    await read(second.connector);
    expect(sentAt[1]).toBe(pausedAt + 600_000);
    await second.connector.close();
    await store.close();
  });
});
