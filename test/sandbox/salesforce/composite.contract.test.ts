import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type jsforce from 'jsforce';
import { startFixture, type Fixture } from './emulator-fixture.js';

let fx: Fixture;
let conn: jsforce.Connection;

beforeAll(async () => {
  fx = await startFixture({ size: 5 });
  conn = await fx.connect();
});
afterAll(async () => fx.close());

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const V = '/services/data/v60.0';
const OPP = { StageName: 'Prospecting', CloseDate: '2024-06-30' };

async function composite(body: object): Promise<SubResult[]> {
  const res = await conn.requestPost<{ compositeResponse: SubResult[] }>(`${V}/composite`, body);
  return res.compositeResponse;
}

describe('POST /composite through jsforce', () => {
  it('chains subrequests through references and counts as one API call', async () => {
    const before = fx.control.apiUsage().used;
    const results = await composite({
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Account`, referenceId: 'acct', body: { Name: 'Composite Co', BillingCountryCode: 'NL' } },
        { method: 'POST', url: `${V}/sobjects/Opportunity`, referenceId: 'opp', body: { ...OPP, Name: 'Composite deal', AccountId: '@{acct.id}' } },
        { method: 'GET', url: `${V}/sobjects/Opportunity/@{opp.id}?fields=Name,AccountId`, referenceId: 'read' },
        { method: 'GET', url: `${V}/query?q=${encodeURIComponent("SELECT Id FROM Opportunity WHERE Name = 'Composite deal'")}`, referenceId: 'q' },
        { method: 'PATCH', url: `${V}/sobjects/Opportunity/@{q.records[0].Id}`, referenceId: 'upd', body: { NextStep: 'kick-off' } },
      ],
    });
    expect(results.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['acct', 201],
      ['opp', 201],
      ['read', 200],
      ['q', 200],
      ['upd', 204],
    ]);
    const acctId = (results[0]?.body as { id: string }).id;
    expect(results[0]?.httpHeaders['Location']).toBe(`${V}/sobjects/Account/${acctId}`);
    expect(results[2]?.body).toMatchObject({ Name: 'Composite deal', AccountId: acctId });
    expect(results[4]?.body).toBeNull();
    expect(fx.control.apiUsage().used).toBe(before + 1);
    expect(fx.control.countRecords({ type: 'Opportunity', field: 'NextStep', value: 'kick-off' })).toBe(1);
  });

  it('rolls everything back with allOrNone and marks the rest PROCESSING_HALTED', async () => {
    const results = await composite({
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Opportunity`, referenceId: 'ok', body: { ...OPP, Name: 'Halted one' } },
        { method: 'POST', url: `${V}/sobjects/Opportunity`, referenceId: 'bad', body: { Name: 'Halted two' } },
        { method: 'POST', url: `${V}/sobjects/Opportunity`, referenceId: 'never', body: { ...OPP, Name: 'Halted three' } },
      ],
    });
    expect(results.map((r) => [r.referenceId, r.httpStatusCode, (r.body as Array<{ errorCode: string }>)[0]?.errorCode])).toEqual([
      ['ok', 400, 'PROCESSING_HALTED'],
      ['bad', 400, 'REQUIRED_FIELD_MISSING'],
      ['never', 400, 'PROCESSING_HALTED'],
    ]);
    expect(fx.control.countRecords({ type: 'Opportunity', field: 'Name', value: 'Halted one' })).toBe(0);
  });

  it('without allOrNone keeps what succeeded and halts only what depends on a failure', async () => {
    const results = await composite({
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Opportunity`, referenceId: 'bad', body: { Name: 'Loose two' } },
        { method: 'GET', url: `${V}/sobjects/Opportunity/@{bad.id}`, referenceId: 'dependent' },
        { method: 'POST', url: `${V}/sobjects/Opportunity`, referenceId: 'ok', body: { ...OPP, Name: 'Loose one' } },
      ],
    });
    expect(results.map((r) => r.httpStatusCode)).toEqual([400, 400, 201]);
    expect((results[1]?.body as Array<{ errorCode: string }>)[0]?.errorCode).toBe('PROCESSING_HALTED');
    expect(fx.control.countRecords({ type: 'Opportunity', field: 'Name', value: 'Loose one' })).toBe(1);
  });

  it('answers 405 for a known resource under the wrong method', async () => {
    const res = await fetch(`${fx.server.url}${V}/sobjects/Opportunity/006000000000000AAA`, { method: 'PUT', headers: { Authorization: `Bearer ${conn.accessToken ?? ''}` } });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual([{ errorCode: 'METHOD_NOT_ALLOWED', message: "HTTP Method 'PUT' not allowed. Allowed are GET,PATCH,DELETE" }]);
  });
});
