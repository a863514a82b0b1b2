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
const OPP = { StageName: 'Prospecting', CloseDate: '2024-06-30' };
const opps = (n: number, prefix: string): Rec[] => Array.from({ length: n }, (_, i) => ({ ...OPP, Name: `${prefix} ${i}` }));

function errorOf(promise: PromiseLike<unknown>): Promise<{ errorCode?: string; message: string }> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: { errorCode?: string; message: string }) => error,
  );
}

function count(name: string): number {
  return fx.control.countRecords({ type: 'Opportunity', field: 'Name', value: name });
}

describe('single rows through jsforce', () => {
  it('creates (201), reads, updates (204) and deletes (204) an opportunity', async () => {
    const created = await conn.sobject('Opportunity').create({ ...OPP, Name: 'Single' });
    expect(created).toEqual({ id: expect.stringMatching(/^006[A-Za-z0-9]{15}$/), success: true, errors: [] });
    const id = String(created.id);
    const updated = await conn.sobject('Opportunity').update({ Id: id, StageName: 'Closed Won' });
    expect(updated).toMatchObject({ id, success: true });
    const row = (await conn.sobject('Opportunity').retrieve(id)) as unknown as Rec;
    expect(row).toMatchObject({ Id: id, Name: 'Single', IsWon: true, IsClosed: true, Probability: 100 });
    expect(String(row['LastModifiedDate'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    await conn.sobject('Opportunity').destroy(id);
    const gone = await errorOf(conn.sobject('Opportunity').retrieve(id));
    expect(gone.errorCode).toBe('ENTITY_IS_DELETED');
    expect((await errorOf(conn.sobject('Opportunity').retrieve('006000000000000AAA'))).errorCode).toBe('NOT_FOUND');
  });

  it('refuses a read-only field and an unknown field with the REST error array', async () => {
    const readOnly = await errorOf(conn.sobject('Opportunity').create({ ...OPP, Name: 'x', IsClosed: true }));
    expect(readOnly.errorCode).toBe('INVALID_FIELD_FOR_INSERT_UPDATE');
    const unknown = await errorOf(conn.sobject('Opportunity').create({ ...OPP, Name: 'x', Bogus__c: 1 }));
    expect(unknown.errorCode).toBe('INVALID_FIELD');
  });

  it('answers 412 to If-Unmodified-Since older than LastModifiedDate, and writes when it is not', async () => {
    const { id } = await conn.sobject('Opportunity').create({ ...OPP, Name: 'Guarded' });
    const lastModified = Date.parse(String(((await conn.sobject('Opportunity').retrieve(String(id))) as unknown as Rec)['LastModifiedDate']).replace('+0000', 'Z'));
    const url = `/services/data/v60.0/sobjects/Opportunity/${String(id)}`;
    const patch = (at: number, name: string): Promise<unknown> =>
      conn.request({ method: 'PATCH', url, body: JSON.stringify({ Name: name }), headers: { 'Content-Type': 'application/json', 'If-Unmodified-Since': new Date(at).toUTCString() } });
    const refused = await errorOf(patch(lastModified - 1000, 'Stale'));
    expect(refused.errorCode).toBe('PRECONDITION_FAILED');
    expect(count('Stale')).toBe(0);
    await patch(lastModified, 'Fresh');
    expect(count('Fresh')).toBe(1);
  });

  it('gives Account rows an ETag and refuses a PATCH whose If-Match does not match', async () => {
    const { id } = await conn.sobject('Account').create({ Name: 'Etagged', BillingCountryCode: 'US' });
    const res = await fetch(`${fx.server.url}/services/data/v60.0/sobjects/Account/${String(id)}`, { headers: { Authorization: `Bearer ${conn.accessToken ?? ''}` } });
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^".+--gzip"$/);
    const patch = (ifMatch: string): Promise<Response> =>
      fetch(res.url, { method: 'PATCH', headers: { Authorization: `Bearer ${conn.accessToken ?? ''}`, 'Content-Type': 'application/json', 'If-Match': ifMatch }, body: JSON.stringify({ Phone: '1' }) });
    expect((await patch('"stale--gzip"')).status).toBe(412);
    expect((await patch(String(etag))).status).toBe(204);
  });
});

describe('sObject Collections through jsforce', () => {
  it('creates 200 records in one call and refuses 201 with EXCEEDED_ID_LIMIT', async () => {
    fx.server.stats.reset();
    const results = await conn.sobject('Opportunity').create(opps(200, 'Bulk'));
    expect(results.every((r) => r.success)).toBe(true);
    expect(fx.server.stats.byRoute()['POST composite/sobjects']).toBe(1);
    const tooMany = await errorOf(conn.sobject('Opportunity').create(opps(201, 'Over')));
    expect(tooMany.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(count('Over 0')).toBe(0);
    const split = await conn.sobject('Opportunity').create(opps(250, 'Split'), { allowRecursive: true });
    expect(split.filter((r) => r.success)).toHaveLength(250);
  });

  it('reports per-record failures without failing the call', async () => {
    const results = await conn.sobject('Opportunity').create([
      { ...OPP, Name: 'Partial ok' },
      { ...OPP, Name: 'Partial bad', StageName: 'Nope' },
      { Name: 'Partial missing' },
    ]);
    expect(results).toEqual([
      { id: expect.any(String), success: true, errors: [] },
      { id: null, success: false, errors: [{ statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: 'Stage: bad value for restricted picklist field: Nope', fields: ['StageName'] }] },
      { id: null, success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [CloseDate, StageName]', fields: ['CloseDate', 'StageName'] }] },
    ]);
  });

  it('rolls everything back with allOrNone', async () => {
    const results = await conn.sobject('Opportunity').create([{ ...OPP, Name: 'Atomic 1' }, { Name: 'Atomic 2' }], { allOrNone: true });
    // Collections rows carry `statusCode`, not `errorCode` (Salesforce REST API Developer Guide, "sObject Collections"); jsforce's type says otherwise.
    expect(results.map((r) => [r.success, (r.errors[0] as unknown as { statusCode?: string } | undefined)?.statusCode])).toEqual([
      [false, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
      [false, 'REQUIRED_FIELD_MISSING'],
    ]);
    expect(count('Atomic 1')).toBe(0);
    const [first] = await conn.sobject('Opportunity').create([{ ...OPP, Name: 'Atomic 1' }], { allOrNone: true });
    const update = await conn.sobject('Opportunity').update(
      [
        { Id: String(first?.id), Name: 'Atomic renamed' },
        { Id: String(first?.id), StageName: 'Nope' },
      ],
      { allOrNone: true },
    );
    expect(update.map((r) => r.success)).toEqual([false, false]);
    expect(count('Atomic renamed')).toBe(0);
    expect(count('Atomic 1')).toBe(1);
  });

  it('leaves no trace of a rolled-back upsert: the external id is free and Get Updated does not list it', async () => {
    const results = await conn.sobject('Opportunity').upsert(
      [
        { ...OPP, Name: 'Ghost', Referral_Id__c: 'REF-GHOST' },
        { Name: 'Broken', Referral_Id__c: 'REF-BROKEN' },
      ],
      'Referral_Id__c',
      { allOrNone: true },
    );
    expect(results.map((r) => r.success)).toEqual([false, false]);
    expect(fx.control.countRecords({ type: 'Opportunity', field: 'Referral_Id__c', value: 'REF-GHOST', includeDeleted: true })).toBe(0);
    const again = await conn.sobject('Opportunity').create({ ...OPP, Name: 'Ghost', Referral_Id__c: 'REF-GHOST' });
    expect(again.success).toBe(true);
    expect(count('Ghost')).toBe(1);
  });

  it('updates and deletes in collections', async () => {
    const created = await conn.sobject('Opportunity').create(opps(3, 'Coll'));
    const ids = created.map((r) => String(r.id));
    const updated = await conn.sobject('Opportunity').update(ids.map((Id) => ({ Id, NextStep: 'call' })));
    expect(updated.every((r) => r.success)).toBe(true);
    expect(fx.control.countRecords({ type: 'Opportunity', field: 'NextStep', value: 'call' })).toBe(3);
    const deleted = await conn.sobject('Opportunity').destroy([...ids, '006000000000000AAA']);
    expect(deleted.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(fx.control.countRecords({ type: 'Opportunity', field: 'NextStep', value: 'call' })).toBe(0);
  });
});

describe('upsert by external id through jsforce', () => {
  it('creates (201 created:true), then updates (200 created:false) a single row', async () => {
    const first = await conn.sobject('Opportunity').upsert({ ...OPP, Name: 'Upsert one', Referral_Id__c: 'REF-U1' }, 'Referral_Id__c');
    expect(first).toMatchObject({ success: true, created: true, id: expect.any(String) });
    const second = await conn.sobject('Opportunity').upsert({ Name: 'Upsert one b', Referral_Id__c: 'REF-U1' }, 'Referral_Id__c');
    expect(second).toEqual({ id: first.id, success: true, errors: [], created: false });
    expect(fx.control.countRecords({ type: 'Opportunity', field: 'Referral_Id__c', value: 'REF-U1' })).toBe(1);
  });

  it('creates an inbound lead by referral id with the default status', async () => {
    const lead = await conn.sobject('Lead').upsert({ Referral_Id__c: 'REF-LEAD-1', LastName: 'Okafor', Company: 'Fabrikam', Email: 'o@fabrikam.example' }, 'Referral_Id__c');
    expect(lead).toMatchObject({ success: true, created: true });
    const row = (await conn.sobject('Lead').retrieve(String(lead.id))) as unknown as Rec;
    expect(row).toMatchObject({ Status: 'Open - Not Contacted', Name: 'Okafor', IsConverted: false });
    const cleared = await errorOf(conn.sobject('Lead').update({ Id: String(lead.id), Status: null }));
    expect(cleared).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Status]' });
  });

  it('answers 204 to an upsert-update before v46', async () => {
    const old = await fx.connect({ version: '45.0' });
    await old.sobject('Opportunity').upsert({ ...OPP, Name: 'Old api', Referral_Id__c: 'REF-OLD' }, 'Referral_Id__c');
    const again = await old.sobject('Opportunity').upsert({ Name: 'Old api b', Referral_Id__c: 'REF-OLD' }, 'Referral_Id__c');
    expect(again).toEqual({ success: true, errors: [] });
  });

  it('upserts a collection with created per row', async () => {
    await conn.sobject('Opportunity').upsert({ ...OPP, Name: 'Coll upsert', Referral_Id__c: 'REF-C1' }, 'Referral_Id__c');
    const results = await conn.sobject('Opportunity').upsert(
      [
        { Name: 'Coll upsert b', Referral_Id__c: 'REF-C1' },
        { ...OPP, Name: 'Coll upsert new', Referral_Id__c: 'REF-C2' },
      ],
      'Referral_Id__c',
    );
    expect(results.map((r) => [r.success, r.created])).toEqual([
      [true, false],
      [true, true],
    ]);
  });

  it('answers 300 when the external id matches several rows', async () => {
    for (let i = 0; i < 2; i += 1) {
      expect(fx.control.createRecord({ type: 'Opportunity', fields: { ...OPP, Name: `Dup ${i}`, Referral_Id__c: 'REF-DUP' }, allowDuplicates: true }).success).toBe(true);
    }
    const error = await errorOf(conn.sobject('Opportunity').upsert({ Name: 'Which?', Referral_Id__c: 'REF-DUP' }, 'Referral_Id__c'));
    expect(error.errorCode).toBe('MULTIPLE_CHOICES');
    const dup = await conn.sobject('Opportunity').create({ ...OPP, Name: 'Dup 3', Referral_Id__c: 'REF-NEW' }).then(() =>
      errorOf(conn.sobject('Opportunity').create({ ...OPP, Name: 'Dup 4', Referral_Id__c: 'ref-new' })),
    );
    expect(dup.errorCode).toBe('DUPLICATE_VALUE');
  });
});

describe('describe and replication through jsforce', () => {
  it('describes Opportunity with custom fields, picklists and child relationships', async () => {
    const d = await conn.sobject('Opportunity').describe();
    const byName = new Map(d.fields.map((f) => [f.name, f]));
    expect(byName.get('Referral_Id__c')).toMatchObject({ type: 'string', length: 64, externalId: true, unique: true, custom: true, nillable: true });
    expect(byName.get('IsClosed')).toMatchObject({ type: 'boolean', createable: false, updateable: false });
    expect(byName.get('AccountId')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account' });
    expect(byName.get('StageName')?.picklistValues?.map((p) => p.value)).toEqual(expect.arrayContaining(['Prospecting', 'Closed Won', 'On Hold', 'Declined', 'Expired']));
    expect(byName.get('Microsoft_Help__c')?.restrictedPicklist).toBe(true);
    expect(d.childRelationships.map((c) => c.relationshipName)).toEqual(['OpportunityContactRoles', 'OpportunityTeamMembers']);
    const stages = await conn.query<Rec>('SELECT ApiName, IsClosed, IsWon, DefaultProbability FROM OpportunityStage ORDER BY SortOrder');
    expect(stages.records.find((s) => s['ApiName'] === 'Expired')).toMatchObject({ IsClosed: true, IsWon: false, DefaultProbability: 0 });
  });

  it('lists updated and deleted ids for a window given with +00:00 datetimes', async () => {
    fx.clock.advance(120_000);
    const start = new Date(fx.clock.now().getTime() - 60_000);
    const { id } = await conn.sobject('Opportunity').create({ ...OPP, Name: 'Replicated' });
    const gone = await conn.sobject('Opportunity').create({ ...OPP, Name: 'Replicated gone' });
    await conn.sobject('Opportunity').destroy(String(gone.id));
    fx.clock.advance(120_000);
    const end = fx.clock.now();
    const updated = await conn.sobject('Opportunity').updated(start, end);
    expect(updated.ids).toContain(id);
    expect(updated.ids).not.toContain(gone.id);
    expect(updated.latestDateCovered).toMatch(/:00\.000\+0000$/);
    const deleted = await conn.sobject('Opportunity').deleted(start, end);
    expect(deleted.deletedRecords).toEqual([{ id: gone.id, deletedDate: expect.stringMatching(/\.000\+0000$/) }]);
    const slash = await fetch(`${fx.server.url}/services/data/v60.0/sobjects/Opportunity/updated/?start=${encodeURIComponent(start.toISOString())}&end=${encodeURIComponent(end.toISOString())}`, {
      headers: { Authorization: `Bearer ${conn.accessToken ?? ''}` },
    });
    expect(((await slash.json()) as { ids: string[] }).ids).toEqual(updated.ids);
  });
});
