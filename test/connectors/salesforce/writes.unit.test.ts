import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { CrmCreate } from '../../../connectors/types.js';
import { API, INSTANCE, JSON_HEADERS, makeConnector, soqlPath } from './support/harness.js';
import { noComposite } from './support/no-composite.js';

beforeAll(() => nock.disableNetConnect());
// nock patches node:http once per test file; hand it back so the next file in this worker can.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
afterEach(() => nock.cleanAll());

const STAMP = '2024-05-02T17:21:09.000+0000';
const idOf = (n: number): string => `006A${String(n).padStart(11, '0')}AAA`;
type Body = { allOrNone: boolean; records: Record<string, unknown>[] };

/** Answers version queries for whatever ids they name, all at STAMP. */
function versionsEndpoint(times = 10, stampOf: (id: string) => string = () => STAMP) {
  const soqls: string[] = [];
  nock(INSTANCE)
    .get(soqlPath('query', soqls))
    .times(times)
    .reply(() => {
      const ids = [...(soqls.at(-1) ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
      return [200, { totalSize: ids.length, done: true, records: ids.map((Id) => ({ Id, LastModifiedDate: stampOf(Id) })) }, JSON_HEADERS];
    });
  return soqls;
}

const create = (n: number, extra: Partial<CrmCreate> = {}): CrmCreate => ({
  kind: 'opportunity',
  fields: { Name: `Deal ${n}`, StageName: 'On Hold', CloseDate: '2024-09-30', Amount: 0 },
  externalId: { field: 'Referral_Id__c', value: `ref-${n}` },
  customer: null,
  ...extra,
});

const account = { street: null, city: 'Redmond', state: 'WA', postalCode: '98052', country: 'US' };
const ana = { firstName: 'Ana', lastName: 'Ng', email: 'ana@contoso.example', phone: null, title: null };

/** An org whose Account has State and Country picklists and the DUNS field. */
function describeAccountWithDuns(): void {
  const field = (name: string) => ({ name, label: name, type: 'string', length: 80, nillable: true, createable: true, updateable: true });
  nock(INSTANCE)
    .get(`${API}/sobjects/Account/describe`)
    .reply(200, { name: 'Account', fields: ['Id', 'Name', 'BillingCountryCode', 'BillingPostalCode', 'DUNS__c'].map(field), childRelationships: [] }, JSON_HEADERS);
}

describe('Salesforce writes', () => {
  it('upserts 450 creates on the external id in 3 collection calls of at most 200, allOrNone false', async () => {
    const { connector } = makeConnector();
    noComposite();
    const bodies: Body[] = [];
    nock(INSTANCE)
      .patch(`${API}/composite/sobjects/Opportunity/Referral_Id__c`, (body: Body) => {
        // nock may show this matcher other requests' bodies (the /composite probe): keep collections only.
        if (Array.isArray(body.records)) bodies.push(body);
        return true;
      })
      .times(3)
      .reply(() => {
        const body = bodies.at(-1);
        return [200, (body?.records ?? []).map((r) => ({ id: idOf(Number(String(r['Referral_Id__c']).slice(4))), success: true, errors: [], created: true })), JSON_HEADERS];
      });
    versionsEndpoint();
    const outcomes = await connector.createRecords(Array.from({ length: 450 }, (_, i) => create(i)));
    expect(bodies.map((b) => b.records.length).sort()).toEqual([200, 200, 50]);
    expect(bodies.every((b) => b.allOrNone === false)).toBe(true);
    expect(bodies[0]?.records[0]).toMatchObject({ attributes: { type: 'Opportunity' }, Referral_Id__c: 'ref-0', Amount: 0 });
    expect(outcomes).toHaveLength(450);
    expect(outcomes[449]).toEqual({ ok: true, id: idOf(449), version: '2024-05-02T17:21:09.000Z', created: true });
  });

  it('gives one bad record its own failure and writes its neighbours', async () => {
    const { connector } = makeConnector();
    noComposite();
    nock(INSTANCE)
      .patch(`${API}/composite/sobjects/Opportunity/Referral_Id__c`)
      .reply(200, [
        { id: idOf(0), success: true, errors: [], created: false },
        { id: null, success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'bad value for restricted picklist field: Nope', fields: ['StageName'] }] },
        { id: idOf(2), success: true, errors: [], created: true },
      ], JSON_HEADERS);
    versionsEndpoint();
    const outcomes = await connector.createRecords([create(0), create(1, { fields: { Name: 'x', StageName: 'Nope' } }), create(2)]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[0]).toMatchObject({ id: idOf(0), created: false });
    const failed = outcomes[1];
    if (failed?.ok !== false) throw new Error('expected a failure');
    expect(failed.error).toMatchObject({ kind: 'invalid', vendorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST' });
    expect(failed.error.message).toContain('StageName');
  });

  it('holds an update whose record moved since it was read and writes the others', async () => {
    const { connector } = makeConnector();
    noComposite();
    const moved = '2024-05-02T17:25:00.000+0000';
    versionsEndpoint(10, (id) => (id === idOf(1) ? moved : STAMP));
    const bodies: Body[] = [];
    nock(INSTANCE)
      .patch(`${API}/composite/sobjects`, (body: Body) => {
        bodies.push(body);
        return true;
      })
      .reply(200, [{ id: idOf(0), success: true, errors: [] }], JSON_HEADERS);
    const version = '2024-05-02T17:21:09.000Z';
    const outcomes = await connector.updateRecords([
      { kind: 'opportunity', id: idOf(0), version, fields: { Amount: 10 } },
      { kind: 'opportunity', id: idOf(1), version, fields: { Amount: 20 } },
    ]);
    expect(bodies[0]?.records).toEqual([{ attributes: { type: 'Opportunity' }, id: idOf(0), Amount: 10 }]);
    expect(outcomes[0]).toEqual({ ok: true, id: idOf(0), version, created: false });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { kind: 'conflict' } });
  });

  it('reports an update of a deleted record as notFound without writing it', async () => {
    const { connector } = makeConnector();
    noComposite();
    nock(INSTANCE).get(soqlPath('query')).reply(200, { totalSize: 0, done: true, records: [] }, JSON_HEADERS);
    const [outcome] = await connector.updateRecords([{ kind: 'opportunity', id: idOf(7), version: '2024-05-02T17:21:09.000Z', fields: { Amount: 1 } }]);
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'notFound' } });
  });

  it('matches an account by DUNS, creates the unmatched one once, and links contacts as contact roles', async () => {
    const { connector } = makeConnector();
    noComposite();
    const soqls: string[] = [];
    const created: Body[] = [];
    describeAccountWithDuns();
    nock(INSTANCE)
      .get(soqlPath('query', soqls))
      .times(10)
      .reply(() => {
        const soql = soqls.at(-1) ?? '';
        if (soql.includes('FROM Account WHERE DUNS__c')) return [200, { totalSize: 1, done: true, records: [{ Id: '001A0000000000DUNS', DUNS__c: '123456789' }] }, JSON_HEADERS];
        if (soql.includes('FROM Account WHERE Name')) return [200, { totalSize: 0, done: true, records: [] }, JSON_HEADERS];
        if (soql.includes('FROM Contact')) return [200, { totalSize: 1, done: true, records: [{ Id: '003A00000000000001', AccountId: '001A0000000000DUNS', Email: 'ana@contoso.example', FirstName: 'Ana', LastName: 'Ng' }] }, JSON_HEADERS];
        if (soql.includes('FROM OpportunityContactRole')) return [200, { totalSize: 0, done: true, records: [] }, JSON_HEADERS];
        const ids = [...soql.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
        return [200, { totalSize: ids.length, done: true, records: ids.map((Id) => ({ Id, LastModifiedDate: STAMP })) }, JSON_HEADERS];
      });
    nock(INSTANCE)
      .post(`${API}/composite/sobjects`, (body: Body) => {
        created.push(body);
        return true;
      })
      .times(2)
      .reply(() => [200, [{ id: 'new0', success: true, errors: [] }], JSON_HEADERS]);
    nock(INSTANCE)
      .patch(`${API}/composite/sobjects/Opportunity/Referral_Id__c`)
      .reply(200, [
        { id: idOf(0), success: true, errors: [], created: true },
        { id: idOf(1), success: true, errors: [], created: true },
        { id: idOf(2), success: true, errors: [], created: true },
      ], JSON_HEADERS);
    const outcomes = await connector.createRecords([
      create(0, { customer: { account: { name: 'Contoso', duns: '123456789', ...account }, contacts: [ana] } }),
      create(1, { customer: { account: { name: 'Fabrikam', duns: null, ...account }, contacts: [] } }),
      create(2, { customer: { account: { name: 'fabrikam ', duns: null, ...account }, contacts: [] } }),
    ]);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // nock may run a body matcher for requests another interceptor answers: select by type.
    const ofType = (type: string) => created.filter((b) => b.records[0]?.['attributes'] && (b.records[0]['attributes'] as { type: string }).type === type);
    expect(ofType('Account')[0]?.records).toEqual([
      { attributes: { type: 'Account' }, Name: 'Fabrikam', BillingStreet: null, BillingCity: 'Redmond', BillingState: 'WA', BillingPostalCode: '98052', BillingCountryCode: 'US' },
    ]);
    expect(ofType('Opportunity')[0]?.records.map((r) => r['AccountId'])).toEqual(['001A0000000000DUNS', 'new0', 'new0']);
    expect(ofType('OpportunityContactRole')[0]?.records).toEqual([{ attributes: { type: 'OpportunityContactRole' }, OpportunityId: idOf(0), ContactId: '003A00000000000001', IsPrimary: true }]);
  });

  describe('a create makes as few calls one after another as it can', () => {
    type Reply = [number, unknown, Record<string, string>];
    /** Holds an answer until `condition` holds (bounded: the test then fails on the order, never hangs). */
    async function answerWhen(condition: () => boolean, answer: () => Reply): Promise<Reply> {
      const until = Date.now() + 3_000;
      while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
      return answer();
    }
    const rows = (records: unknown[]): Reply => [200, { totalSize: records.length, done: true, records }, JSON_HEADERS];

    function org(events: string[], hold: { dunsQuery?: () => boolean; upsert?: () => boolean }) {
      const soqls: string[] = [];
      describeAccountWithDuns();
      nock(INSTANCE)
        .get(soqlPath('query', soqls))
        .times(10)
        .reply(async () => {
          const soql = soqls.at(-1) ?? '';
          if (soql.includes('FROM Account WHERE DUNS__c')) {
            events.push('accounts asked by DUNS');
            return answerWhen(hold.dunsQuery ?? (() => true), () => (events.push('accounts by DUNS answered'), rows([])));
          }
          if (soql.includes('FROM Account WHERE Name')) events.push('accounts asked by name');
          if (soql.includes('FROM Contact')) events.push('contacts asked');
          if (soql.includes('FROM OpportunityContactRole')) events.push('contact roles asked');
          if (/FROM (Account|Contact|OpportunityContactRole) /.test(soql)) return rows([]);
          const ids = [...soql.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
          return rows(ids.map((Id) => ({ Id, LastModifiedDate: STAMP })));
        });
      nock(INSTANCE)
        .post(`${API}/composite/sobjects`)
        .times(3)
        .reply(async (request) => {
          const type = (((await request.json()) as Body).records[0]?.['attributes'] as { type: 'Account' | 'Contact' | 'OpportunityContactRole' }).type;
          events.push(`${type} created`);
          return [200, [{ id: { Account: '001A00000000000NEW', Contact: '003A00000000000NEW', OpportunityContactRole: '00KA0000000000NEW' }[type], success: true, errors: [] }], JSON_HEADERS];
        });
      nock(INSTANCE)
        .patch(`${API}/composite/sobjects/Opportunity/Referral_Id__c`)
        .reply(() => answerWhen(hold.upsert ?? (() => true), () => (events.push('opportunity written'), [200, [{ id: idOf(0), success: true, errors: [], created: true }], JSON_HEADERS])));
    }

    it("matches and creates the customer's contacts while the opportunity is written, not after it", async () => {
      const { connector } = makeConnector();
      noComposite();
      const events: string[] = [];
      org(events, { upsert: () => events.includes('Contact created') });

      const [outcome] = await connector.createRecords([create(0, { customer: { account: { name: 'Contoso', duns: null, ...account }, contacts: [ana] } })]);

      expect(outcome).toMatchObject({ ok: true, id: idOf(0), created: true });
      expect(events.indexOf('Contact created')).toBeLessThan(events.indexOf('opportunity written'));
      expect(events.slice(-2)).toEqual(['contact roles asked', 'OpportunityContactRole created']);
    });

    it('asks for accounts by DUNS and by name at once', async () => {
      const { connector } = makeConnector();
      noComposite();
      const events: string[] = [];
      org(events, { dunsQuery: () => events.includes('accounts asked by name') });

      const [outcome] = await connector.createRecords([create(0, { customer: { account: { name: 'Contoso', duns: '123456789', ...account }, contacts: [] } })]);

      expect(outcome).toMatchObject({ ok: true });
      expect(events.indexOf('accounts asked by name')).toBeLessThan(events.indexOf('accounts by DUNS answered'));
      expect(events).toContain('Account created');
    });
  });

  it('writes and reads the new versions in one /composite call, in order, where the org has it', async () => {
    const { connector } = makeConnector();
    const bodies: { allOrNone: boolean; collateSubrequests: boolean; compositeRequest: { method: string; url: string; referenceId: string }[] }[] = [];
    nock(INSTANCE)
      .post(`${API}/composite`, (body: (typeof bodies)[number]) => {
        if (Array.isArray(body.compositeRequest)) bodies.push(body);
        return true;
      })
      .reply(200, {
        compositeResponse: [
          { referenceId: 'write', httpStatusCode: 200, body: [{ id: idOf(0), success: true, errors: [], created: true }, { id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [CloseDate]', fields: ['CloseDate'] }] }] },
          { referenceId: 'versions', httpStatusCode: 200, body: { totalSize: 1, done: true, records: [{ Id: idOf(0), LastModifiedDate: STAMP }] } },
        ],
      }, JSON_HEADERS);
    const outcomes = await connector.createRecords([create(0), create(1)]);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]).toMatchObject({ allOrNone: false, collateSubrequests: false });
    expect(bodies[0]?.compositeRequest.map((r) => `${r.referenceId} ${r.method} ${decodeURIComponent(r.url)}`)).toEqual([
      `write PATCH ${API}/composite/sobjects/Opportunity/Referral_Id__c`,
      `versions GET ${API}/query?q=SELECT Id, LastModifiedDate FROM Opportunity WHERE Referral_Id__c IN ('ref-0', 'ref-1')`,
    ]);
    expect(outcomes[0]).toEqual({ ok: true, id: idOf(0), version: '2024-05-02T17:21:09.000Z', created: true });
    expect(outcomes[1]).toMatchObject({ ok: false, error: { kind: 'invalid', vendorCode: 'REQUIRED_FIELD_MISSING' } });
  });

  it('fails every row of a composite whose write subrequest was refused, with the vendor code', async () => {
    const { connector } = makeConnector();
    nock(INSTANCE)
      .post(`${API}/composite`)
      .reply(200, {
        compositeResponse: [
          { referenceId: 'write', httpStatusCode: 400, body: [{ errorCode: 'INVALID_FIELD', message: 'No such column' }] },
          { referenceId: 'versions', httpStatusCode: 200, body: { totalSize: 0, done: true, records: [] } },
        ],
      }, JSON_HEADERS);
    const outcomes = await connector.createRecords([create(0), create(1)]);
    expect(outcomes).toEqual([
      { ok: false, error: expect.objectContaining({ kind: 'invalid', vendorCode: 'INVALID_FIELD', status: 400 }) },
      { ok: false, error: expect.objectContaining({ kind: 'invalid', vendorCode: 'INVALID_FIELD' }) },
    ]);
  });
});
