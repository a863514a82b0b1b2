import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness, type DwaError, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ size: 10 });
});
afterAll(() => h.close());

describe('Dataverse emulator $batch through dynamics-web-api 2.5.0', () => {
  it('runs a change set with a $n reference and answers each operation in order', async () => {
    const dwa = h.client();
    const existing = h.emulator.control.createRecord({ table: 'opportunities', values: { name: 'Existing' } });
    dwa.startBatch();
    void dwa.create({ collection: 'accounts', data: { name: 'Batch account' }, contentId: '1' });
    void dwa.create({ collection: 'opportunities', data: { name: 'Batch opportunity', 'parentaccountid@odata.bind': '$1', 'customerid_account@odata.bind': '$1' } });
    void dwa.update({ collection: 'opportunities', key: existing, data: { name: 'Existing, renamed' } });
    void dwa.retrieveMultiple({ collection: 'accounts', select: ['name'], filter: "name eq 'Batch account'" });
    const results = (await dwa.executeBatch()) as unknown[];
    const [accountId, opportunityId, updated, query] = results as [string, string, boolean, { value: { accountid: string }[] }];
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.emulator.control.getRecord({ table: 'opportunities', id: opportunityId })).toMatchObject({ _parentaccountid_value: accountId, _customerid_value: accountId });
    expect(updated).toBe(true);
    expect(h.emulator.control.getRecord({ table: 'opportunities', id: existing })?.['name']).toBe('Existing, renamed');
    expect(query.value.map((a) => a.accountid)).toEqual([accountId]);
  });

  it('rolls the whole change set back when one operation fails, and the batch answers 400', async () => {
    const dwa = h.client();
    const before = h.emulator.control.count({ table: 'accounts' });
    const target = h.emulator.control.createRecord({ table: 'accounts', values: { name: 'Untouched' } });
    dwa.startBatch();
    void dwa.create({ collection: 'accounts', data: { name: 'Rolled back 1' } });
    void dwa.update({ collection: 'accounts', key: target, data: { name: 'Changed then rolled back' } });
    void dwa.create({ collection: 'accounts', data: { name: 'x'.repeat(161) } });
    let rejected: unknown;
    await dwa.executeBatch().catch((error: unknown) => {
      rejected = error;
    });
    expect(Array.isArray(rejected)).toBe(true);
    const failure = (rejected as DwaError[])[0] as DwaError;
    expect(failure.status).toBe(400);
    expect(failure.error?.code).toBe('0x80044331');
    expect(h.emulator.control.count({ table: 'accounts' })).toBe(before + 1);
    expect(h.emulator.control.getRecord({ table: 'accounts', id: target })?.['name']).toBe('Untouched');
  });

  it('with continue-on-error runs every part and reports each failure in place', async () => {
    const dwa = h.client();
    dwa.startBatch();
    void dwa.create({ collection: 'contacts', data: { lastname: 'First' } });
    void dwa.create({ collection: 'contacts', data: { lastname: 'y'.repeat(51) } });
    void dwa.create({ collection: 'contacts', data: { lastname: 'Third' } });
    const results = (await dwa.executeBatch({ continueOnError: true, inChangeSet: false })) as unknown[];
    expect(results[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect((results[1] as DwaError).status).toBe(400);
    expect(results[2]).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.emulator.control.count({ table: 'contacts', column: 'lastname', value: 'Third' })).toBe(1);
  });

  it('answers a GET whose URL is over 2,000 characters, which the client sends through $batch', async () => {
    const dwa = h.client();
    const accounts = await dwa.retrieveMultiple<{ accountid: string }>({ collection: 'accounts', select: ['name'], top: 3 });
    const ids = accounts.value.map((a) => a.accountid);
    const padding = Array.from({ length: 60 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`);
    const filter = [...ids, ...padding].map((id) => `accountid eq ${id}`).join(' or ');
    h.emulator.server.stats.reset();
    const found = await dwa.retrieveMultiple<{ accountid: string }>({ collection: 'accounts', select: ['name'], filter });
    expect(found.value.map((a) => a.accountid).sort()).toEqual([...ids].sort());
    expect(h.emulator.server.stats.byRoute()).toEqual({ 'POST $batch': 1 });
  });

  it('refuses more than 1,000 operations in one batch', async () => {
    const dwa = h.client();
    const before = h.emulator.control.count({ table: 'leads' });
    dwa.startBatch();
    for (let i = 0; i < 1001; i++) void dwa.create({ collection: 'leads', data: { lastname: `L${i}` } });
    const error = (await dwa.executeBatch().catch((e: unknown) => e)) as DwaError;
    expect(error.status).toBe(400);
    expect(h.emulator.control.count({ table: 'leads' })).toBe(before);
  });

  it('parses LF line endings, quoted batch_ boundaries and relative URLs; answers with batchresponse_/changesetresponse_ parts', async () => {
    const body = [
      '--batch_AAA',
      'Content-Type: multipart/mixed; boundary="changeset_BBB"',
      '',
      '--changeset_BBB',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 1',
      '',
      'POST /api/data/v9.2/accounts HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"name":"LF account"}',
      '--changeset_BBB',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 2',
      '',
      'PATCH $1 HTTP/1.1',
      'Content-Type: application/json',
      '',
      '{"telephone1":"+1 555 0100"}',
      '--changeset_BBB--',
      '--batch_AAA',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      "GET accounts?$select=telephone1&$filter=name%20eq%20'LF%20account' HTTP/1.1",
      'Accept: application/json',
      '',
      '--batch_AAA--',
      '',
    ].join('\n');
    const response = await h.call('$batch', { method: 'POST', headers: { 'Content-Type': 'multipart/mixed; boundary="batch_AAA"' }, body });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text.startsWith('--batchresponse_')).toBe(true);
    expect(text).toContain('--changesetresponse_');
    expect(text).toMatch(/HTTP\/1\.1 204 No Content\r\nOData-Version: 4\.0\r\nOData-EntityId: http:\/\/127\.0\.0\.1:\d+\/api\/data\/v9\.2\/accounts\([0-9a-f-]{36}\)/);
    expect(text).toContain('"telephone1":"+1 555 0100"');
  });

  it('can answer a failed change set with one part per operation run (two readings, option)', async () => {
    const other = await startHarness({ size: 5, options: { changesetFailureParts: 'per-operation' } });
    try {
      const dwa = other.client();
      dwa.startBatch();
      void dwa.create({ collection: 'accounts', data: { name: 'Rolled back' } });
      void dwa.create({ collection: 'accounts', data: { name: 'z'.repeat(161) } });
      void dwa.create({ collection: 'accounts', data: { name: 'Never run' } });
      const rejected = (await dwa.executeBatch().catch((error: unknown) => error)) as unknown[];
      expect(rejected).toHaveLength(2);
      expect(rejected[0]).toMatch(/^[0-9a-f-]{36}$/);
      expect((rejected[1] as DwaError).status).toBe(400);
      expect(other.emulator.control.count({ table: 'accounts', column: 'name', value: 'Rolled back' })).toBe(0);
    } finally {
      await other.close();
    }
  });
});
