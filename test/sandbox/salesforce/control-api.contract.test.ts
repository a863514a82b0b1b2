import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type jsforce from 'jsforce';
import { startFixture, type Fixture } from './emulator-fixture.js';

let fx: Fixture;
let conn: jsforce.Connection;

beforeAll(async () => {
  fx = await startFixture({ size: 50 });
  conn = await fx.connect();
});
afterAll(async () => fx.close());

type Rec = Record<string, unknown>;

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${fx.server.url}/_control/salesforce${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

async function someOpportunities(n: number): Promise<Rec[]> {
  return (await conn.query<Rec>(`SELECT Id, OwnerId, SystemModstamp, LastModifiedById FROM Opportunity ORDER BY Id LIMIT ${n}`)).records;
}

describe('control API over HTTP', () => {
  it('edits a record as its owner would: stamps move and the daemon can tell it from its own writes', async () => {
    const [opp] = await someOpportunities(1);
    fx.clock.advance(5000);
    const edit = await control('PATCH', `/records/Opportunity/${String(opp?.['Id'])}`, { fields: { StageName: 'Closed Won' } });
    expect(edit.status).toBe(200);
    const after = (await conn.sobject('Opportunity').retrieve(String(opp?.['Id']))) as unknown as Rec;
    expect(after['IsWon']).toBe(true);
    expect(after['LastModifiedById']).toBe(opp?.['OwnerId']);
    expect(after['LastModifiedById']).not.toBe(fx.control.integrationUser.id);
    expect(String(after['SystemModstamp']) > String(opp?.['SystemModstamp'])).toBe(true);
    const changed = await conn.query<Rec>(`SELECT Id FROM Opportunity WHERE SystemModstamp >= ${String(after['SystemModstamp']).replace('.000+0000', 'Z')}`);
    expect(changed.records.map((r) => r['Id'])).toContain(opp?.['Id']);
  });

  it('refuses an invalid edit with the validation error', async () => {
    const [opp] = await someOpportunities(1);
    const edit = await control('PATCH', `/records/Opportunity/${String(opp?.['Id'])}`, { fields: { StageName: 'Maybe' } });
    expect(edit.status).toBe(400);
    expect(edit.body).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' }] });
  });

  it('writes a batch of edits with one shared SystemModstamp', async () => {
    const opps = await someOpportunities(3);
    const res = await control('POST', '/records/Opportunity/batch-edit', { edits: opps.map((o) => ({ id: o['Id'], fields: { NextStep: 'batch' } })) });
    expect(res.status).toBe(200);
    const rows = await conn.query<Rec>("SELECT SystemModstamp FROM Opportunity WHERE NextStep = 'batch'");
    expect(new Set(rows.records.map((r) => r['SystemModstamp'])).size).toBe(1);
    expect(rows.totalSize).toBe(3);
  });

  it('deletes, undeletes, counts and reads any record', async () => {
    const created = await control('POST', '/records/Opportunity', { fields: { Name: 'Control made', StageName: 'Qualification', CloseDate: '2024-09-30', Referral_Id__c: 'CTL-1' } });
    const id = String((created.body as Rec)['id']);
    expect((await control('GET', '/count?type=Opportunity&field=Referral_Id__c&value=ctl-1')).body).toEqual({ count: 1 });
    expect((await control('DELETE', `/records/Opportunity/${id}`)).status).toBe(200);
    expect((await control('GET', '/count?type=Opportunity&field=Referral_Id__c&value=CTL-1')).body).toEqual({ count: 0 });
    expect((await control('GET', `/records/Opportunity/${id}`)).body).toMatchObject({ Id: id, IsDeleted: true });
    expect((await control('POST', `/records/Opportunity/${id}/undelete`)).status).toBe(200);
    expect((await conn.sobject('Opportunity').retrieve(id)) as unknown as Rec).toMatchObject({ Id: id, IsDeleted: false });
  });

  it('sets the API usage and expires sessions', async () => {
    expect((await control('PUT', '/api-usage', { used: 1234 })).body).toEqual({ used: 1234, limit: 100_000 });
    await conn.query('SELECT Id FROM User LIMIT 1');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1235, limit: 100_000 });
    expect((await control('POST', '/sessions/expire')).status).toBe(204);
    await expect(conn.query('SELECT Id FROM User LIMIT 1')).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    conn = await fx.connect();
  });

  it('answers injected faults with Salesforce error bodies', async () => {
    const put = await fetch(`${fx.server.url}/_control/faults`, { method: 'PUT', body: JSON.stringify([{ path: '/query$', errorRate: 1, errorStatus: 503 }]) });
    expect(put.status).toBe(204);
    // Plain fetch: jsforce itself retries 420, 429 and 5xx five times with backoff.
    const url = `${fx.server.url}/services/data/v60.0/query?q=${encodeURIComponent('SELECT Id FROM User')}`;
    const headers = { Authorization: `Bearer ${conn.accessToken ?? ''}` };
    try {
      const res = await fetch(url, { headers });
      expect([res.status, res.headers.get('content-type')]).toEqual([503, 'application/json;charset=UTF-8']);
      expect(await res.json()).toEqual([{ message: expect.any(String), errorCode: 'SERVER_UNAVAILABLE' }]);
    } finally {
      await fetch(`${fx.server.url}/_control/faults`, { method: 'PUT', body: '[]' });
    }
    expect((await fetch(url, { headers })).status).toBe(200);
  });
});

describe('conditional GET and identity', () => {
  it('answers 304 to If-Modified-Since when the row has not changed', async () => {
    const [opp] = await someOpportunities(1);
    const url = `${fx.server.url}/services/data/v60.0/sobjects/Opportunity/${String(opp?.['Id'])}`;
    const headers = { Authorization: `Bearer ${conn.accessToken ?? ''}` };
    const later = new Date(fx.clock.now().getTime() + 1000).toUTCString();
    expect((await fetch(url, { headers: { ...headers, 'If-Modified-Since': later } })).status).toBe(304);
    expect((await fetch(url, { headers: { ...headers, 'If-Modified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT' } })).status).toBe(200);
  });

  it('serves the identity URL returned by the token endpoint', async () => {
    const identity = (await conn.identity()) as unknown as Rec;
    expect(identity).toMatchObject({ user_id: fx.control.integrationUser.id, organization_id: fx.control.orgId, username: fx.control.integrationUser.username });
  });
});
