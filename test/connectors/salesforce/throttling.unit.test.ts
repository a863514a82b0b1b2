/**
 * Short-term throttling (HTTP 429, `Retry-After`) is not the daily API allowance (HTTP 403
 * `REQUEST_LIMIT_EXCEEDED`): the first waits what the server asked, within the retry policy;
 * only the second pauses Salesforce calls for the budget poll and shows in health.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { ConnectorError } from '../../../connectors/errors.js';
import { API, INSTANCE, JSON_HEADERS, makeConnector } from './support/harness.js';

beforeAll(() => nock.disableNetConnect());
// nock patches node:http once per test file; hand it back so the next file in this worker can.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => nock.cleanAll());

const EMPTY = { totalSize: 0, done: true, records: [] };
const POLL = 600_000;
type Made = ReturnType<typeof makeConnector>;
const read = ({ connector }: Made) => connector.getRecords({ kind: 'opportunity', ids: ['006000000000001AAA'], fields: ['Name'] });

/** Answers the queries in turn, noting the fake-clock time each was sent at. */
function answerQueries(made: Made, answers: Array<[number, unknown, Record<string, string>?]>): number[] {
  const sentAt: number[] = [];
  nock(INSTANCE)
    .get(`${API}/query`)
    .query(true)
    .times(answers.length)
    .reply(() => {
      const [status, body, headers] = answers[sentAt.length] ?? [200, EMPTY];
      sentAt.push(made.clock.t);
      return [status, JSON.stringify(body), { ...JSON_HEADERS, ...headers }];
    });
  return sentAt;
}

describe('Salesforce throttling (429) apart from the daily allowance (403 REQUEST_LIMIT_EXCEEDED)', () => {
  it.each([
    ['a plain body', [{ message: 'Too many requests', errorCode: 'TOO_MANY_REQUESTS' }]],
    ['a REQUEST_LIMIT_EXCEEDED body', [{ message: 'Too many requests', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]],
  ])('waits the 2 s a 429 asks for (%s), not the budget poll, and does not pause', async (_name, body) => {
    const made = makeConnector({ apiBudgetPollMs: POLL });
    const start = made.clock.t;
    const sentAt = answerQueries(made, [[429, body, { 'retry-after': '2' }], [200, EMPTY]]);
    await expect(read(made)).resolves.toEqual([]);
    expect(sentAt).toEqual([start, start + 2000]);
    expect(made.connector.health()).toEqual({ state: 'ok', detail: null, pausedUntil: null });
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const made = makeConnector({ apiBudgetPollMs: POLL });
    const start = made.clock.t;
    const at = new Date(start + 7000).toUTCString();
    const sentAt = answerQueries(made, [[429, [], { 'retry-after': at }], [200, EMPTY]]);
    await read(made);
    expect(sentAt).toEqual([start, start + 7000]);
  });

  it('backs off by the retry policy when a 429 says nothing, and gives up after its attempts', async () => {
    const made = makeConnector({ apiBudgetPollMs: POLL, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, retryUnknownOutcome: true } });
    const sentAt = answerQueries(made, [[429, []], [429, []], [429, []]]);
    const error = (await read(made).catch((e: unknown) => e)) as ConnectorError;
    expect(error).toMatchObject({ kind: 'rateLimited', status: 429 });
    expect(error.retryAfterMs).toBeUndefined();
    expect(sentAt).toHaveLength(3);
    const waits = sentAt.slice(1).map((t, i) => t - (sentAt[i] as number));
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
    expect(made.connector.health().state).toBe('degraded');
  });

  it('keeps the wait of the last 429 on the error when the attempts run out', async () => {
    const made = makeConnector({ apiBudgetPollMs: POLL, retry: { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1000, retryUnknownOutcome: true } });
    answerQueries(made, [[429, [], { 'retry-after': '2' }], [429, [], { 'retry-after': '3' }]]);
    const error = (await read(made).catch((e: unknown) => e)) as ConnectorError;
    expect(error).toMatchObject({ kind: 'rateLimited', retryAfterMs: 3000 });
    expect(made.connector.health().pausedUntil).toBeNull();
  });

  it('holds the other calls while a Retry-After runs', async () => {
    const made = makeConnector({ apiBudgetPollMs: POLL, rateLimit: { concurrency: 1, intervalCap: 1000, intervalMs: 1000 } });
    const start = made.clock.t;
    const sentAt = answerQueries(made, [[429, [], { 'retry-after': '4' }], [200, EMPTY], [200, EMPTY]]);
    await Promise.all([read(made), read(made)]);
    expect(sentAt[0]).toBe(start);
    expect(Math.min(sentAt[1] as number, sentAt[2] as number)).toBeGreaterThanOrEqual(start + 4000);
  });

  it('waits the Retry-After of a 503 too', async () => {
    const made = makeConnector({ apiBudgetPollMs: POLL });
    const start = made.clock.t;
    const sentAt = answerQueries(made, [[503, [{ message: 'down', errorCode: 'SERVER_UNAVAILABLE' }], { 'retry-after': '5' }], [200, EMPTY]]);
    await read(made);
    expect(sentAt).toEqual([start, start + 5000]);
  });

  it('pauses every call for the budget poll on a 403 REQUEST_LIMIT_EXCEEDED, with health paused until then', async () => {
    const made = makeConnector({ apiBudgetPollMs: POLL, retry: { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 1000, retryUnknownOutcome: true } });
    const start = made.clock.t;
    answerQueries(made, [[403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]]]);
    const error = (await read(made).catch((e: unknown) => e)) as ConnectorError;
    expect(error).toMatchObject({ kind: 'rateLimited', status: 403, vendorCode: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: POLL });
    expect(made.connector.health()).toEqual({
      state: 'paused',
      detail: 'the org has used up its API request allowance (REQUEST_LIMIT_EXCEEDED)',
      pausedUntil: new Date(start + POLL).toISOString(),
    });
    expect(made.sink.lines().map((l) => l['msg'])).toContain('Salesforce API request allowance used up; pausing Salesforce calls');
  });
});
