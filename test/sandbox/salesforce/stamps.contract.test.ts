/**
 * Whole-second stamps on every write, through jsforce and the HTTP control API: the daemon's
 * write and a person's edit in the same second carry one SystemModstamp, and a watermark read
 * with `>=` returns the rows of the last second again, as a real org does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type jsforce from 'jsforce';
import { startFixture, type Fixture } from './emulator-fixture.js';

let fx: Fixture;
let conn: jsforce.Connection;
beforeAll(async () => {
  fx = await startFixture({ size: 20 });
  conn = await fx.connect();
});
afterAll(async () => fx.close());

type Rec = Record<string, unknown>;
const literal = (stamp: unknown): string => String(stamp).replace('.000+0000', 'Z');

async function editInSameSecond(id: string, body: Rec): Promise<number> {
  const res = await fetch(`${fx.server.url}/_control/salesforce/records/Opportunity/${id}/edit-in-same-second`, { method: 'POST', body: JSON.stringify(body) });
  return res.status;
}

async function since(op: '>=' | '>', stamp: unknown): Promise<Rec[]> {
  const soql = `SELECT Id, NextStep, SystemModstamp, LastModifiedById FROM Opportunity WHERE SystemModstamp ${op} ${literal(stamp)} ORDER BY SystemModstamp, Id`;
  return (await conn.query<Rec>(soql)).records;
}

async function twoOpportunities(): Promise<[string, string]> {
  const rows = (await conn.query<Rec>('SELECT Id FROM Opportunity ORDER BY Id LIMIT 2')).records;
  return [String(rows[0]?.['Id']), String(rows[1]?.['Id'])];
}

describe('Salesforce stamps at whole seconds', () => {
  it("gives the daemon's write-back and a person's edit in the same second one stamp; the `>=` read returns the edit", async () => {
    const [id] = await twoOpportunities();
    fx.clock.advance(60_000);
    await conn.sobject('Opportunity').update({ Id: id, NextStep: 'daemon' });
    const written = (await conn.sobject('Opportunity').retrieve(id)) as unknown as Rec;
    expect(String(written['SystemModstamp'])).toMatch(/\.000\+0000$/);
    expect(written['LastModifiedById']).toBe(fx.control.integrationUser.id);
    expect((await since('>=', written['SystemModstamp'])).map((r) => [r['Id'], r['NextStep']])).toEqual([[id, 'daemon']]);

    fx.clock.advance(5000);
    expect(await editInSameSecond(id, { fields: { NextStep: 'person' } })).toBe(200);
    const edited = (await conn.sobject('Opportunity').retrieve(id)) as unknown as Rec;
    expect(edited['SystemModstamp']).toBe(written['SystemModstamp']);
    expect(edited['LastModifiedDate']).toBe(written['LastModifiedDate']);
    expect(edited['LastModifiedById']).not.toBe(fx.control.integrationUser.id);
    expect((await since('>=', written['SystemModstamp'])).map((r) => [r['Id'], r['NextStep']])).toEqual([[id, 'person']]);
  });

  it('returns rows written in the last second again, including one written after the first read; `>` loses them', async () => {
    const [a, b] = await twoOpportunities();
    fx.clock.advance(60_000);
    await conn.sobject('Opportunity').update({ Id: a, NextStep: 'first' });
    const stamp = ((await conn.sobject('Opportunity').retrieve(a)) as unknown as Rec)['SystemModstamp'];
    expect((await since('>=', stamp)).map((r) => r['Id'])).toEqual([a]);

    expect(await editInSameSecond(b, { fields: { NextStep: 'same second' }, sameSecondAs: a })).toBe(200);
    const again = await since('>=', stamp);
    expect(again.map((r) => r['Id'])).toEqual([a, b].sort());
    expect(new Set(again.map((r) => r['SystemModstamp']))).toEqual(new Set([stamp]));
    expect(await since('>', stamp)).toEqual([]);
  });

  it('refuses to share a second with a record that does not exist', async () => {
    const [a] = await twoOpportunities();
    expect(await editInSameSecond(a, { fields: { NextStep: 'x' }, sameSecondAs: '006000000000099AAA' })).toBe(404);
  });
});
