import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startFixture, type Fixture } from './emulator-fixture.js';

let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture({ size: 2200 });
});
afterAll(async () => fx.close());

type Rec = Record<string, unknown>;

function errorOf(promise: PromiseLike<unknown>): Promise<{ errorCode?: string; name?: string; message: string }> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: { errorCode?: string; name?: string; message: string }) => error,
  );
}

describe('query through jsforce 3.10.16', () => {
  it('follows nextRecordsUrl with autoFetch, honouring Sforce-Query-Options batchSize', async () => {
    const conn = await fx.connect();
    fx.server.stats.reset();
    const result = await conn.query<Rec>('SELECT Id, Name, SystemModstamp FROM Opportunity ORDER BY SystemModstamp, Id', {
      autoFetch: true,
      maxFetch: 100_000,
      headers: { 'Sforce-Query-Options': 'batchSize=1000' },
    });
    expect(result.totalSize).toBe(2200);
    expect(result.records).toHaveLength(2200);
    expect(new Set(result.records.map((r) => r['Id'])).size).toBe(2200);
    expect(fx.server.stats.byRoute()['GET query more']).toBe(2);
    const stamps = result.records.map((r) => String(r['SystemModstamp']));
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('clamps batchSize to at least 200 and pages at 2000 by default', async () => {
    const conn = await fx.connect();
    const small = await conn.query<Rec>('SELECT Id FROM Opportunity', { headers: { 'Sforce-Query-Options': 'batchSize=10' } });
    expect(small.records).toHaveLength(200);
    expect(small.done).toBe(false);
    expect(small.nextRecordsUrl).toMatch(/\/services\/data\/v60\.0\/query\/[A-Za-z0-9]+-200$/);
    const big = await conn.query<Rec>('SELECT Id FROM Opportunity');
    expect(big.records).toHaveLength(2000);
    expect(big.totalSize).toBe(2200);
    expect(big.done).toBe(false);
  });

  it('stops at maxFetch', async () => {
    const conn = await fx.connect();
    const result = await conn.query<Rec>('SELECT Id FROM Opportunity', { autoFetch: true, maxFetch: 450, headers: { 'Sforce-Query-Options': 'batchSize=200' } });
    expect(result.records).toHaveLength(450);
  });

  it('shows deleted rows to queryAll (scanAll) and pages its cursor under /query/', async () => {
    const conn = await fx.connect();
    const [victim] = (await conn.query<Rec>('SELECT Id FROM Opportunity ORDER BY Name LIMIT 1')).records;
    fx.control.deleteRecord({ type: 'Opportunity', id: String(victim?.['Id']) });
    const live = await conn.query<Rec>(`SELECT Id FROM Opportunity WHERE Id = '${String(victim?.['Id'])}'`);
    expect(live.totalSize).toBe(0);
    const all = await conn.query<Rec>('SELECT Id, IsDeleted FROM Opportunity', { scanAll: true, autoFetch: true, maxFetch: 100_000, headers: { 'Sforce-Query-Options': 'batchSize=500' } });
    expect(all.totalSize).toBe(2200);
    expect(all.records.filter((r) => r['IsDeleted'] === true).map((r) => r['Id'])).toEqual([victim?.['Id']]);
    fx.control.undeleteRecord({ type: 'Opportunity', id: String(victim?.['Id']) });
  });

  it('under the queryAll cursor-path reading, still pages queryAll through jsforce', async () => {
    const other = await startFixture({ size: 300, options: { queryAllCursorPath: 'queryAll' } });
    try {
      const c = await other.connect();
      // jsforce rewrites nextRecordsUrl to /query/<locator>, so read the raw answer.
      const raw = await fetch(`${other.server.url}/services/data/v60.0/queryAll?q=${encodeURIComponent('SELECT Id FROM Opportunity')}`, {
        headers: { Authorization: `Bearer ${c.accessToken ?? ''}`, 'Sforce-Query-Options': 'batchSize=200' },
      });
      expect(((await raw.json()) as Rec)['nextRecordsUrl']).toMatch(/^\/services\/data\/v60\.0\/queryAll\/[A-Za-z0-9]+-200$/);
      const all = await c.query<Rec>('SELECT Id FROM Opportunity', { scanAll: true, autoFetch: true, maxFetch: 1000, headers: { 'Sforce-Query-Options': 'batchSize=200' } });
      expect(all.records).toHaveLength(300);
    } finally {
      await other.close();
    }
  });

  it('returns totalSize only for COUNT()', async () => {
    const conn = await fx.connect();
    const result = await conn.query('SELECT COUNT() FROM Opportunity WHERE Sync_With_Partner_Center__c = true');
    const expected = fx.control.countRecords({ type: 'Opportunity', field: 'Sync_With_Partner_Center__c', value: true });
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(2200);
    expect(result).toEqual({ totalSize: expected, done: true, records: [] });
  });

  it('reads contact roles and team members as nested query results', async () => {
    const conn = await fx.connect();
    const result = await conn.query<Rec>(
      'SELECT Id, Account.Name, Account.BillingCountryCode, Account.DUNS__c, (SELECT Contact.Email, IsPrimary FROM OpportunityContactRoles), (SELECT User.Email, TeamMemberRole FROM OpportunityTeamMembers) FROM Opportunity LIMIT 200',
    );
    const withRoles = result.records.find((r) => r['OpportunityContactRoles'] !== null) as Rec;
    expect(withRoles['OpportunityContactRoles']).toMatchObject({ done: true, records: expect.arrayContaining([expect.objectContaining({ IsPrimary: true })]) });
    expect(result.records.some((r) => r['OpportunityContactRoles'] === null)).toBe(true);
    expect((withRoles['Account'] as Rec)['BillingCountryCode']).toMatch(/^[A-Z]{2}$/);
  });

  it('answers bad SOQL with MALFORMED_QUERY and unknown fields with INVALID_FIELD', async () => {
    const conn = await fx.connect();
    const malformed = await errorOf(conn.query('SELECT Id FROM Opportunity WHERE'));
    expect(malformed.errorCode).toBe('MALFORMED_QUERY');
    const unknown = await errorOf(conn.query('SELECT Id, Nme FROM Account'));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
    expect(unknown.message).toContain("No such column 'Nme' on entity 'Account'");
  });

  it('expires an idle cursor with INVALID_QUERY_LOCATOR', async () => {
    const conn = await fx.connect();
    const first = await conn.query('SELECT Id FROM Opportunity', { headers: { 'Sforce-Query-Options': 'batchSize=200' } });
    fx.clock.advance(16 * 60_000);
    const again = await fx.connect();
    const error = await errorOf(again.queryMore(String(first.nextRecordsUrl)));
    expect(error.errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('reports API usage in Sforce-Limit-Info, which jsforce reads into limitInfo', async () => {
    const conn = await fx.connect();
    await conn.query('SELECT Id FROM User LIMIT 1');
    const usage = fx.control.apiUsage();
    expect(conn.limitInfo.apiUsage).toEqual({ used: usage.used, limit: 100_000 });
    const limits = await conn.limits();
    expect(limits.DailyApiRequests).toEqual({ Max: 100_000, Remaining: 100_000 - usage.used - 1 });
  });
});
