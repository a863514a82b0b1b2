import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { ConnectorError } from '../../../connectors/errors.js';
import { API, INSTANCE, JSON_HEADERS, makeConnector } from './support/harness.js';
import { noComposite } from './support/no-composite.js';

beforeAll(() => nock.disableNetConnect());
// nock patches node:http once per test file; hand it back so the next file in this worker can.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => nock.cleanAll());

const fields = ['Name'];

async function getRecordsError(status: number, body: unknown, contentType = JSON_HEADERS['content-type']) {
  const { connector, sink } = makeConnector({ retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100, retryUnknownOutcome: true } });
  let calls = 0;
  nock(INSTANCE)
    .get(`${API}/query`)
    .query(true)
    .times(2)
    .reply(() => {
      calls += 1;
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': contentType }];
    });
  const error = await connector.getRecords({ kind: 'opportunity', ids: ['006000000000001AAA'], fields }).then(
    () => null,
    (e: unknown) => e,
  );
  return { error: error as ConnectorError, calls, connector, sink };
}

const sfError = (errorCode: string, message = errorCode) => [{ message, errorCode }];

describe('Salesforce error classification', () => {
  it.each([
    [400, 'UNABLE_TO_LOCK_ROW', 'transient', 2],
    [503, 'SERVER_UNAVAILABLE', 'transient', 2],
    [500, 'UNKNOWN_EXCEPTION', 'transient', 2],
    [400, 'QUERY_TIMEOUT', 'transient', 2],
    [404, 'NOT_FOUND', 'notFound', 1],
    [404, 'ENTITY_IS_DELETED', 'notFound', 1],
    [400, 'ENTITY_IS_DELETED', 'notFound', 1],
    [400, 'INVALID_FIELD', 'invalid', 1],
    [400, 'INVALID_FIELD_FOR_INSERT_UPDATE', 'invalid', 1],
    [400, 'MALFORMED_QUERY', 'invalid', 1],
    [400, 'MALFORMED_ID', 'invalid', 1],
    [400, 'REQUIRED_FIELD_MISSING', 'invalid', 1],
    [400, 'DUPLICATES_DETECTED', 'invalid', 1],
    [400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'invalid', 1],
    [400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid', 1],
    [400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', 'invalid', 1],
    [403, 'INSUFFICIENT_ACCESS_OR_READONLY', 'invalid', 1],
    [400, 'JSON_PARSER_ERROR', 'invalid', 1],
    [404, 'INVALID_TYPE', 'invalid', 1],
    [400, 'EXCEEDED_ID_LIMIT', 'invalid', 1],
    [400, 'INVALID_QUERY_LOCATOR', 'invalid', 1],
    [400, 'DUPLICATE_VALUE', 'conflict', 1],
    [412, 'PRECONDITION_FAILED', 'conflict', 1],
  ])('HTTP %i %s is %s after %i attempt(s)', async (status, code, kind, attempts) => {
    const { error, calls } = await getRecordsError(status, sfError(code));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error.kind).toBe(kind);
    expect(error.vendorCode).toBe(code);
    expect(error.status).toBe(status);
    expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls).toBe(attempts);
  });

  it('keys a 412 on the status whatever its body says (no errorCode is documented for it)', async () => {
    const { error } = await getRecordsError(412, sfError('SOMETHING_ELSE'));
    expect(error.kind).toBe('conflict');
  });

  it('classifies a non-JSON 502 from a gateway as transient by its status', async () => {
    const { error, calls } = await getRecordsError(502, '<html>bad gateway</html>', 'text/html');
    expect(error.kind).toBe('transient');
    expect(error.vendorCode).toBe('ERROR_HTTP_502');
    expect(calls).toBe(2);
  });

  it('takes the first code of a multi-error body', async () => {
    const { error } = await getRecordsError(400, [...sfError('REQUIRED_FIELD_MISSING'), ...sfError('INVALID_FIELD')]);
    expect(error.kind).toBe('invalid');
    expect(error.vendorCode).toBe('REQUIRED_FIELD_MISSING');
  });

  it('reports REQUEST_LIMIT_EXCEEDED as rateLimited and pauses instead of hammering the org', async () => {
    const { error, calls, connector } = await getRecordsError(403, sfError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
    expect(error.kind).toBe('rateLimited');
    expect(error.retryAfterMs).toBe(15 * 60_000);
    expect(calls).toBe(2);
    expect(connector.health().state).toBe('paused');
  });

  it('stays paused after REQUEST_LIMIT_EXCEEDED for concurrent long requests, though the daily usage is low', async () => {
    const { connector } = makeConnector({ retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100, retryUnknownOutcome: true } });
    nock(INSTANCE).get(`${API}/query`).query(true).reply(403, sfError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'), JSON_HEADERS);
    const error = await connector.getRecords({ kind: 'opportunity', ids: ['006000000000001AAA'], fields }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rateLimited' });
    expect(connector.health().state).toBe('paused');
  });

  it('reports a connection reset as transient and retries it', async () => {
    const { connector } = makeConnector({ retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100, retryUnknownOutcome: true } });
    nock(INSTANCE).get(`${API}/query`).query(true).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, { totalSize: 0, done: true, records: [] }, JSON_HEADERS);
    await expect(connector.getRecords({ kind: 'opportunity', ids: ['006000000000001AAA'], fields })).resolves.toEqual([]);
    expect(connector.health().state).toBe('ok');
  });

  it('marks a write that got no answer as outcome-unknown', async () => {
    const { connector } = makeConnector({ retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100, retryUnknownOutcome: true } });
    noComposite();
    nock(INSTANCE).get(`${API}/query`).query(true).reply(200, { totalSize: 1, done: true, records: [{ Id: '006000000000001AAA', LastModifiedDate: '2024-05-02T17:21:09.000+0000' }] }, JSON_HEADERS);
    nock(INSTANCE).patch(`${API}/composite/sobjects`).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const [outcome] = await connector.updateRecords([{ kind: 'opportunity', id: '006000000000001AAA', version: '2024-05-02T17:21:09.000Z', fields: { Name: 'x' } }]);
    expect(outcome?.ok).toBe(false);
    if (outcome?.ok === false) {
      expect(outcome.error.kind).toBe('transient');
      expect(outcome.error.outcomeUnknown).toBe(true);
    }
  });
});
