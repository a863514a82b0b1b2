import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { API, INSTANCE, JSON_HEADERS, collect, makeConnector, oppRow, soqlPath } from './support/harness.js';

beforeAll(() => nock.disableNetConnect());
// nock patches node:http once per test file; hand it back so the next file in this worker can.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => nock.cleanAll());

const T = '2024-05-02T17:21:09.000+0000';
const LOCATOR = `${API}/query/01gxx0000001AbCAAU-1`;

/** Answers the first `/queryAll` page with `first` and its locator with `second`. */
function twoPages(first: unknown[], second: unknown[], soqls: string[]) {
  nock(INSTANCE)
    .get(soqlPath('queryAll', soqls))
      .reply(() => {
        return [200, { totalSize: first.length + second.length, done: false, nextRecordsUrl: LOCATOR, records: first }, JSON_HEADERS];
    });
  nock(INSTANCE).get(LOCATOR).reply(200, { totalSize: first.length + second.length, done: true, records: second }, JSON_HEADERS);
}

describe('Salesforce readChanges', () => {
  it('reads two records with the same SystemModstamp across a page boundary once each, and resumes without missing one', async () => {
    const { connector } = makeConnector({ readOverlapMs: 0 });
    const soqls: string[] = [];
    twoPages([oppRow('006A00000000001AAA', T)], [oppRow('006A00000000002AAA', T)], soqls);
    const pages = await collect(connector.readChanges({ kind: 'opportunity', fields: ['Name'], cursor: null }));
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual(['006A00000000001AAA', '006A00000000002AAA']);
    expect(soqls[0]).toBe('SELECT Id, SystemModstamp, LastModifiedDate, Name, IsDeleted FROM Opportunity ORDER BY SystemModstamp ASC, Id ASC');

    // A crash after committing page 1 only: the next read starts at the same second with >=,
    // gets both rows again, and emits only the one it had not seen.
    const afterFirstPage = pages[0]?.cursor ?? null;
    const resumed: string[] = [];
    nock(INSTANCE)
      .get(soqlPath('queryAll', resumed))
      .reply(() => {
        return [200, { totalSize: 2, done: true, records: [oppRow('006A00000000001AAA', T), oppRow('006A00000000002AAA', T)] }, JSON_HEADERS];
      });
    const again = await collect(connector.readChanges({ kind: 'opportunity', fields: ['Name'], cursor: afterFirstPage }));
    expect(resumed[0]).toContain('WHERE SystemModstamp >= 2024-05-02T17:21:09Z ORDER BY SystemModstamp ASC, Id ASC');
    expect(again.flatMap((p) => p.items.map((r) => r.id))).toEqual(['006A00000000002AAA']);
  });

  it('re-reads the overlap window but returns only rows it has not seen, and an edited row again', async () => {
    const { connector, clock } = makeConnector({ readOverlapMs: 120_000 });
    // Shortly after the last change: late commits may still be arriving.
    clock.t = Date.parse('2024-05-02T17:22:30Z');
    nock(INSTANCE).get(soqlPath('queryAll')).reply(200, { totalSize: 1, done: true, records: [oppRow('006A00000000001AAA', T)] }, JSON_HEADERS);
    const first = await collect(connector.readChanges({ kind: 'opportunity', fields: ['Name'], cursor: null }));
    const cursor = first.at(-1)?.cursor ?? null;

    const soqls: string[] = [];
    const late = '2024-05-02T17:20:30.000+0000'; // stamped before the last row read, committed after it
    const edited = '2024-05-02T17:22:00.000+0000';
    nock(INSTANCE)
      .get(soqlPath('queryAll', soqls))
      .reply(() => {
        return [200, { totalSize: 3, done: true, records: [oppRow('006A00000000003AAA', late), oppRow('006A00000000001AAA', T), oppRow('006A00000000001AAA', edited)] }, JSON_HEADERS];
      });
    const next = await collect(connector.readChanges({ kind: 'opportunity', fields: ['Name'], cursor }));
    expect(soqls[0]).toContain('SystemModstamp >= 2024-05-02T17:19:09Z');
    expect(next.flatMap((p) => p.items.map((r) => `${r.id}@${r.stamp}`))).toEqual([
      '006A00000000003AAA@2024-05-02T17:20:30.000Z',
      '006A00000000001AAA@2024-05-02T17:22:00.000Z',
    ]);
  });

  it('builds parent fields and child subqueries from the paths and keys the record by them', async () => {
    const { connector } = makeConnector();
    const soqls: string[] = [];
    const row = oppRow('006A00000000001AAA', T, {
      Name: 'Contoso - Azure migration',
      Amount: 0,
      CloseDate: '2024-09-30',
      Account: { attributes: { type: 'Account' }, Name: 'Contoso', BillingPostalCode: '98052' },
      OpportunityContactRoles: {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'OpportunityContactRole' }, Id: '00KA0000000001AAA', IsPrimary: true, Contact: { attributes: { type: 'Contact' }, Email: 'ana@contoso.example', LastName: 'Ng' } }],
      },
      OpportunityTeamMembers: null,
    });
    const blank = oppRow('006A00000000002AAA', T, { Name: 'No account', Amount: null, CloseDate: null, Account: null, OpportunityContactRoles: null, OpportunityTeamMembers: null });
    nock(INSTANCE)
      .get(soqlPath('queryAll', soqls))
      .reply(() => {
        return [200, { totalSize: 2, done: true, records: [row, blank] }, JSON_HEADERS];
      });
    const fields = ['Name', 'Amount', 'CloseDate', 'Account.Name', 'Account.BillingPostalCode', 'OpportunityContactRoles.Contact.Email', 'OpportunityContactRoles.IsPrimary', 'OpportunityTeamMembers.User.Email'];
    const [page] = await collect(connector.readChanges({ kind: 'opportunity', fields, cursor: null }));
    expect(soqls[0]).toBe(
      'SELECT Id, SystemModstamp, LastModifiedDate, Name, Amount, CloseDate, Account.Name, Account.BillingPostalCode, IsDeleted, ' +
        '(SELECT Id, Contact.Email, IsPrimary FROM OpportunityContactRoles), (SELECT Id, User.Email FROM OpportunityTeamMembers) ' +
        'FROM Opportunity ORDER BY SystemModstamp ASC, Id ASC',
    );
    expect(page?.items[0]).toEqual({
      kind: 'opportunity',
      id: '006A00000000001AAA',
      stamp: '2024-05-02T17:21:09.000Z',
      version: '2024-05-02T17:21:09.000Z',
      fields: {
        Name: 'Contoso - Azure migration',
        Amount: 0,
        CloseDate: '2024-09-30',
        'Account.Name': 'Contoso',
        'Account.BillingPostalCode': '98052',
        OpportunityContactRoles: [{ 'Contact.Email': 'ana@contoso.example', IsPrimary: true }],
        OpportunityTeamMembers: [],
      },
    });
    expect(page?.items[1]?.fields).toMatchObject({ Amount: null, 'Account.Name': null, OpportunityContactRoles: [] });
  });

  it('reports Recycle Bin rows of the same queryAll as deletedIds, once, in one call per read', async () => {
    const { connector } = makeConnector({ readOverlapMs: 0 });
    const soqls: string[] = [];
    const deleted = oppRow('006A00000000009AAA', T, { IsDeleted: true, Name: 'Gone' });
    const live = oppRow('006A00000000001AAA', T, { IsDeleted: false, Name: 'Here' });
    nock(INSTANCE).get(soqlPath('queryAll', soqls)).reply(200, { totalSize: 2, done: true, records: [live, deleted] }, JSON_HEADERS);
    const pages = await collect(connector.readChanges({ kind: 'opportunity', fields: ['Name'], cursor: null }));
    expect(soqls).toHaveLength(1);
    expect(pages.flatMap((p) => p.deletedIds)).toEqual(['006A00000000009AAA']);
    expect(pages.flatMap((p) => p.items.map((r) => r.id))).toEqual(['006A00000000001AAA']);
    expect(pages[0]?.items[0]?.fields).toEqual({ Name: 'Here' });

    nock(INSTANCE).get(soqlPath('queryAll')).reply(200, { totalSize: 2, done: true, records: [live, deleted] }, JSON_HEADERS);
    const again = await collect(connector.readChanges({ kind: 'opportunity', fields: ['Name'], cursor: pages.at(-1)?.cursor ?? null }));
    expect(again.flatMap((p) => [...p.deletedIds, ...p.items.map((r) => r.id)])).toEqual([]);
  });

  it('follows a child subquery that did not fit on the page', async () => {
    const { connector } = makeConnector();
    const childLocator = `${API}/query/01gCHILD-200`;
    nock(INSTANCE)
      .get(soqlPath('queryAll'))
      .reply(200, {
        totalSize: 1,
        done: true,
        records: [oppRow('006A00000000001AAA', T, { OpportunityContactRoles: { totalSize: 2, done: false, nextRecordsUrl: childLocator, records: [{ Id: '00K1', IsPrimary: true }] } })],
      }, JSON_HEADERS);
    nock(INSTANCE).get(childLocator).reply(200, { totalSize: 2, done: true, records: [{ Id: '00K2', IsPrimary: false }] }, JSON_HEADERS);
    const [page] = await collect(connector.readChanges({ kind: 'opportunity', fields: ['OpportunityContactRoles.IsPrimary'], cursor: null }));
    expect(page?.items[0]?.fields['OpportunityContactRoles']).toEqual([{ IsPrimary: true }, { IsPrimary: false }]);
  });

  it('refuses a field path that is not a Salesforce identifier (no SOQL injection through a mapping)', async () => {
    const { connector } = makeConnector();
    await expect(collect(connector.readChanges({ kind: 'opportunity', fields: ['Name FROM User --'], cursor: null }))).rejects.toMatchObject({ kind: 'invalid' });
  });
});
