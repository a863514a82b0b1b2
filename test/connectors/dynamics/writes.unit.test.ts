/**
 * Writes against recorded-style Web API answers (nock): a stale version is a conflict, one bad
 * record of a batch fails alone, won / lost go through WinOpportunity / LoseOpportunity.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { DynamicsConnector } from '../../../connectors/dynamics/index.js';
import { API, FakeClock, ORG, batchAnswer, nockConnector, row } from './support/nock-kit.js';

const A = '6f1e2d3c-0000-0000-0000-00000000000a';
const B = '6f1e2d3c-0000-0000-0000-00000000000b';

const opened: DynamicsConnector[] = [];
const connect = (args: Parameters<typeof nockConnector>[0]): DynamicsConnector => {
  const connector = nockConnector(args);
  opened.push(connector);
  return connector;
};

// nock patches node:http for the whole worker: other test files there must reach loopback again.
beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  nock.cleanAll();
  await Promise.all(opened.splice(0).map((c) => c.close()));
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

/** Intercepts one `$batch`, answering `answer`; resolves to the request body sent. */
function interceptBatch(answer: ReturnType<typeof batchAnswer>): { body: () => string } {
  let sent = '';
  nock(ORG)
    .post(`${API}$batch`, (body: unknown) => {
      sent = typeof body === 'string' ? body : JSON.stringify(body);
      return true;
    })
    .matchHeader('prefer', /odata\.continue-on-error/)
    .reply(200, answer.body, answer.headers);
  return { body: () => sent };
}

describe('Dataverse writes', () => {
  it('sends the record version in If-Match and holds a 412 as a conflict', async () => {
    const batch = interceptBatch(batchAnswer([[{ status: 412, body: { error: { code: '0x80060882', message: "The version of the existing record doesn't match the RowVersion property provided." } } }]]));
    const connector = connect({ clock: new FakeClock() });
    const [outcome] = await connector.updateRecords([{ kind: 'opportunity', id: A, version: 'W/"100"', fields: { name: 'Stale' } }]);
    expect(batch.body()).toContain(`PATCH ${ORG}${API}opportunities(${A})`);
    expect(batch.body()).toContain('If-Match: W/"100"');
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'conflict', vendorCode: '0x80060882', status: 412 } });
  });

  it('fails only the record the server refused and creates its neighbours, in order', async () => {
    interceptBatch(
      batchAnswer([
        [{ status: 201, body: row(A, 5) }],
        [{ status: 400, body: { error: { code: '0x80044331', message: 'A validation error occurred. The length of the name attribute exceeded the maximum allowed length of 300.' } } }],
        [{ status: 201, body: row(B, 6) }],
      ]),
    );
    const connector = connect({ clock: new FakeClock() });
    const write = (ref: string) => ({ kind: 'opportunity' as const, fields: { name: ref }, externalId: { field: 'cosell_referralid', value: ref }, customer: null });
    const outcomes = await connector.createRecords([write('r1'), write('r2'), write('r3')]);
    expect(outcomes).toEqual([
      { ok: true, id: A, version: 'W/"5"', created: true },
      expect.objectContaining({ ok: false, error: expect.objectContaining({ kind: 'invalid', vendorCode: '0x80044331' }) }),
      { ok: true, id: B, version: 'W/"6"', created: true },
    ]);
  });

  it('upserts on the alternate key create-only, and a 412 means an earlier attempt created it', async () => {
    const batch = interceptBatch(batchAnswer([[{ status: 412, body: { error: { code: '0x80040237', message: 'A record with matching key values already exists.' } } }]]));
    nock(ORG).get(`${API}opportunities(cosell_referralid='ref-''1')`).query(true).reply(200, row(A, 7));
    const connector = connect({ clock: new FakeClock() });
    const [outcome] = await connector.createRecords([{ kind: 'opportunity', fields: { name: 'x' }, externalId: { field: 'cosell_referralid', value: "ref-'1" }, customer: null }]);
    expect(batch.body()).toContain(`PATCH ${ORG}${API}opportunities(cosell_referralid='ref-''1')`);
    expect(batch.body()).toContain('If-None-Match: *');
    expect(outcome).toEqual({ ok: true, id: A, version: 'W/"7"', created: false });
  });

  it('closes as won and lost through WinOpportunity / LoseOpportunity with the status reason', async () => {
    const batch = interceptBatch(batchAnswer([[{ status: 204 }, { status: 204 }], { status: 200, body: row(A, 11) }, [{ status: 204 }, { status: 204 }], { status: 200, body: row(B, 12) }]));
    const connector = connect({ clock: new FakeClock() });
    const outcomes = await connector.updateRecords([
      { kind: 'opportunity', id: A, version: 'W/"9"', fields: { statecode: 1, statuscode: 3 } },
      { kind: 'opportunity', id: B, version: 'W/"10"', fields: { statecode: 2, statuscode: 5, cosell_declinereason: 'Customer chose another partner' } },
    ]);
    const body = batch.body();
    expect(body).toContain(`POST ${ORG}${API}WinOpportunity`);
    expect(body).toContain(`"Status":3,"OpportunityClose":{"subject":"Won (Partner Center sync)","opportunityid@odata.bind":"/opportunities(${A})"}`);
    expect(body).toContain(`POST ${ORG}${API}LoseOpportunity`);
    expect(body).toContain('"Status":5');
    expect(body).toContain('If-Match: W/"10"');
    expect(body).toContain('{"cosell_declinereason":"Customer chose another partner"}');
    // A plain PATCH of the state is refused by Dataverse (Dynamics 365 "Opportunity table/entity reference"): the state never goes in a PATCH body.
    expect(body).not.toContain('"statecode"');
    expect(outcomes).toEqual([
      { ok: true, id: A, version: 'W/"11"', created: false },
      { ok: true, id: B, version: 'W/"12"', created: false },
    ]);
  });

  it('reopens with a plain PATCH of statecode 0', async () => {
    const batch = interceptBatch(batchAnswer([[{ status: 200, body: row(A, 13) }]]));
    const connector = connect({ clock: new FakeClock() });
    const [outcome] = await connector.updateRecords([{ kind: 'opportunity', id: A, version: 'W/"12"', fields: { statecode: 0, statuscode: 1 } }]);
    expect(batch.body()).toContain('{"statecode":0,"statuscode":1}');
    expect(batch.body()).not.toContain('WinOpportunity');
    expect(outcome).toEqual({ ok: true, id: A, version: 'W/"13"', created: false });
  });

  it('does not resend an update batch whose answer was lost: the outcome is unknown and the caller decides', async () => {
    nock(ORG).post(`${API}$batch`).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const connector = connect({ clock: new FakeClock() });
    const error = await connector.updateRecords([{ kind: 'opportunity', id: A, version: 'W/"1"', fields: { name: 'x' } }]).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', outcomeUnknown: true });
    expect(connector.requestCount()).toBe(1);
  });

  it('resends a create batch whose answer was lost: the create-only upsert finds the first attempt', async () => {
    const answer = batchAnswer([[{ status: 412, body: { error: { code: '0x80040237', message: 'A record with matching key values already exists.' } } }]]);
    nock(ORG)
      .post(`${API}$batch`)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .post(`${API}$batch`)
      .reply(200, answer.body, answer.headers)
      .get(`${API}opportunities(cosell_referralid='r-lost')`)
      .query(true)
      .reply(200, row(A, 22));
    const connector = connect({ clock: new FakeClock() });
    const outcomes = await connector.createRecords([{ kind: 'opportunity', fields: { name: 'x' }, externalId: { field: 'cosell_referralid', value: 'r-lost' }, customer: null }]);
    expect(outcomes).toEqual([{ ok: true, id: A, version: 'W/"22"', created: false }]);
  });

  it('retries a batch the server answered 503 after a backoff', async () => {
    const clock = new FakeClock();
    const answer = batchAnswer([[{ status: 201, body: row(A, 21) }]]);
    nock(ORG).post(`${API}$batch`).reply(503, { error: { code: '0x80040216', message: 'Service Unavailable' } }).post(`${API}$batch`).reply(200, answer.body, answer.headers);
    const connector = connect({ clock });
    const outcomes = await connector.createRecords([{ kind: 'opportunity', fields: { name: 'x' }, externalId: { field: 'cosell_referralid', value: 'r-503' }, customer: null }]);
    expect(outcomes).toEqual([{ ok: true, id: A, version: 'W/"21"', created: true }]);
    expect(clock.sleeps).toHaveLength(1);
  });
});
