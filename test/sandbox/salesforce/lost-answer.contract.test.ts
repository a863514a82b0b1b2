/**
 * An answer lost after the write was applied: every Salesforce write endpoint applies the write,
 * then the connection drops. A client that re-reads finds the write; one that repeats a create
 * blindly makes a second row, as the real API would.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FaultRule } from '../../../sandbox/shared/faults.js';
import { startFixture, type Fixture } from './emulator-fixture.js';

let fx: Fixture;
let token: string;
const V = '/services/data/v60.0';
const OPP = { StageName: 'Prospecting', CloseDate: '2024-06-30' };

beforeAll(async () => {
  fx = await startFixture({ size: 0 });
  token = fx.control.issueAccessToken();
});
afterAll(async () => fx.close());
beforeEach(() => fx.server.faults.set([]));

async function setFaults(rules: FaultRule[]): Promise<void> {
  const res = await fetch(`${fx.server.url}/_control/faults`, { method: 'PUT', body: JSON.stringify(rules) });
  expect(res.status).toBe(204);
}

function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${fx.server.url}${V}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The next request to `method path` is applied and its answer lost. */
async function loseNextAnswer(method: string, path: string, as: 'reset' | 'timeout' = 'reset'): Promise<void> {
  await setFaults([{ method, path, nth: [1], lostAnswerRate: 1, lostAnswerAs: as }]);
}

const count = (field: string, value: string): number => fx.control.countRecords({ type: 'Opportunity', field, value });

function opportunity(name: string): string {
  const result = fx.control.createRecord({ type: 'Opportunity', fields: { ...OPP, Name: name } });
  if (result.id === null) throw new Error(JSON.stringify(result.errors));
  return result.id;
}

describe('Salesforce: the answer is lost after the write was applied', () => {
  it('POST sobjects/<Type>: the row exists, and a blind repeat makes a second one', async () => {
    await loseNextAnswer('POST', '/sobjects/Opportunity$');
    await expect(call('POST', '/sobjects/Opportunity', { ...OPP, Name: 'Lost create' })).rejects.toThrow();
    expect(count('Name', 'Lost create')).toBe(1);
    expect((await call('POST', '/sobjects/Opportunity', { ...OPP, Name: 'Lost create' })).status).toBe(201);
    expect(count('Name', 'Lost create')).toBe(2);
  });

  it('PATCH sobjects/<Type>/<id>, also when the socket is held until the client gives up', async () => {
    const id = opportunity('Lost update');
    await loseNextAnswer('PATCH', `/sobjects/Opportunity/${id}$`, 'timeout');
    const patch = fetch(`${fx.server.url}${V}/sobjects/Opportunity/${id}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ NextStep: 'applied' }),
      signal: AbortSignal.timeout(300),
    });
    await expect(patch).rejects.toThrow();
    expect(fx.control.getRecord({ type: 'Opportunity', id })?.['NextStep']).toBe('applied');
  });

  it('PATCH sobjects/<Type>/<ExtId>/<value> (upsert): the row exists once, and a repeat updates it', async () => {
    await loseNextAnswer('PATCH', '/sobjects/Opportunity/Referral_Id__c/');
    await expect(call('PATCH', '/sobjects/Opportunity/Referral_Id__c/ref-lost-1', { ...OPP, Name: 'Lost upsert' })).rejects.toThrow();
    expect(count('Referral_Id__c', 'ref-lost-1')).toBe(1);
    const again = await call('PATCH', '/sobjects/Opportunity/Referral_Id__c/ref-lost-1', { ...OPP, Name: 'Lost upsert' });
    expect(again.status).toBe(200);
    expect(count('Referral_Id__c', 'ref-lost-1')).toBe(1);
  });

  it('sObject Collections create, update and upsert', async () => {
    await loseNextAnswer('POST', '/composite/sobjects$');
    const rows = ['Coll A', 'Coll B'].map((Name) => ({ attributes: { type: 'Opportunity' }, ...OPP, Name }));
    await expect(call('POST', '/composite/sobjects', { allOrNone: true, records: rows })).rejects.toThrow();
    expect([count('Name', 'Coll A'), count('Name', 'Coll B')]).toEqual([1, 1]);

    const id = opportunity('Coll update');
    await loseNextAnswer('PATCH', '/composite/sobjects$');
    await expect(call('PATCH', '/composite/sobjects', { records: [{ attributes: { type: 'Opportunity' }, id, NextStep: 'coll' }] })).rejects.toThrow();
    expect(fx.control.getRecord({ type: 'Opportunity', id })?.['NextStep']).toBe('coll');

    await loseNextAnswer('PATCH', '/composite/sobjects/Opportunity/Referral_Id__c$');
    const upserts = [{ attributes: { type: 'Opportunity' }, ...OPP, Name: 'Coll upsert', Referral_Id__c: 'ref-lost-2' }];
    await expect(call('PATCH', '/composite/sobjects/Opportunity/Referral_Id__c', { records: upserts })).rejects.toThrow();
    expect(count('Referral_Id__c', 'ref-lost-2')).toBe(1);
  });

  it('POST /composite: every subrequest was applied', async () => {
    const id = opportunity('Composite target');
    await loseNextAnswer('POST', '/composite$');
    const body = {
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `${V}/sobjects/Opportunity`, referenceId: 'new', body: { ...OPP, Name: 'Composite lost' } },
        { method: 'PATCH', url: `${V}/sobjects/Opportunity/${id}`, referenceId: 'upd', body: { NextStep: 'composite' } },
      ],
    };
    await expect(call('POST', '/composite', body)).rejects.toThrow();
    expect(count('Name', 'Composite lost')).toBe(1);
    expect(fx.control.getRecord({ type: 'Opportunity', id })?.['NextStep']).toBe('composite');
  });

  it('records which requests lost their answer', async () => {
    await setFaults([{ method: 'POST', path: '/sobjects/Opportunity$', nth: [2], lostAnswerRate: 1 }]);
    expect((await call('POST', '/sobjects/Opportunity', { ...OPP, Name: 'First' })).status).toBe(201);
    await expect(call('POST', '/sobjects/Opportunity', { ...OPP, Name: 'Second' })).rejects.toThrow();
    const log = (await (await fetch(`${fx.server.url}/_control/faults/log`)).json()) as Array<{ method: string; path: string; n: number; action: string }>;
    expect(log).toEqual([{ method: 'POST', path: `${V}/sobjects/Opportunity`, n: 2, action: 'lostAnswer' }]);
    expect(count('Name', 'Second')).toBe(1);
  });
});
