import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rejection, startHarness, type Harness } from './harness.js';

let h: Harness;
let accountId: string;
let contactId: string;
let eurId: string;
beforeAll(async () => {
  h = await startHarness({ size: 20 });
  const dwa = h.client();
  const accounts = await dwa.retrieveMultiple<{ accountid: string }>({ collection: 'accounts', select: ['name'], top: 1 });
  accountId = (accounts.value[0] as { accountid: string }).accountid;
  const contacts = await dwa.retrieveMultiple<{ contactid: string }>({ collection: 'contacts', select: ['fullname'], top: 1 });
  contactId = (contacts.value[0] as { contactid: string }).contactid;
  const eur = await dwa.retrieveMultiple<{ transactioncurrencyid: string }>({ collection: 'transactioncurrencies', filter: "isocurrencycode eq 'EUR'" });
  eurId = (eur.value[0] as { transactioncurrencyid: string }).transactioncurrencyid;
});
afterAll(() => h.close());

describe('Dataverse emulator writes through dynamics-web-api 2.5.0', () => {
  it('creates with 204 + OData-EntityId (GUID back) or 201 + body, binding lookups in every form', async () => {
    const dwa = h.client();
    const id = await dwa.create<Record<string, unknown>, string>({
      collection: 'opportunities',
      data: {
        name: 'Fabrikam - pilot',
        estimatedvalue: 0,
        estimatedclosedate: '2026-06-30',
        'customerid_account@odata.bind': `/accounts(${accountId})`,
        'parentaccountid@odata.bind': `accounts(${accountId})`,
        'parentcontactid@odata.bind': `${h.url}/api/data/v9.2/contacts(${contactId})`,
        'transactioncurrencyid@odata.bind': `/transactioncurrencies(isocurrencycode='EUR')`,
      },
    });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const stored = h.emulator.control.getRecord({ table: 'opportunities', id });
    expect(stored).toMatchObject({
      estimatedvalue: 0,
      estimatedclosedate: '2026-06-30',
      _customerid_value: accountId,
      _parentaccountid_value: accountId,
      _parentcontactid_value: contactId,
      _transactioncurrencyid_value: eurId,
      statecode: 0,
      statuscode: 1,
    });
    const body = await dwa.create<Record<string, unknown>>({ collection: 'accounts', data: { name: 'Litware' }, returnRepresentation: true, select: ['name', 'createdon'] });
    expect(body['name']).toBe('Litware');
    expect(body['accountid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(body['createdon']).toBeInstanceOf(Date);
  });

  it('refuses invalid bodies with the real error shapes', async () => {
    const dwa = h.client();
    const tooLong = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'x'.repeat(301) } }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.code).toBe('0x80044331');
    const state = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'x', statecode: 1 } }));
    expect(state.status).toBe(400);
    expect(state.message).toContain('statecode');
    const unknown = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'x', Name: 'y' } }));
    expect(unknown.status).toBe(400);
    const lookupValue = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'x', _parentaccountid_value: accountId } }));
    expect(lookupValue.status).toBe(400);
    const missingTarget = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'x', 'parentaccountid@odata.bind': '/accounts(00000000-0000-0000-0000-000000000001)' } }));
    expect(missingTarget.status).toBe(404);
    expect(missingTarget.code).toBe('0x80040217');
    const badOption = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'x', salesstage: 9 } }));
    expect(badOption.status).toBe(400);
  });

  it('updates with an etag, and a stale etag is a 412: false by default, a thrown 0x80060882 with propagateErrors', async () => {
    const id = h.emulator.control.createRecord({ table: 'opportunities', values: { name: 'Concurrency', estimatedvalue: 10 } });
    const dwa = h.client();
    const before = await dwa.retrieve<Record<string, unknown>>({ collection: 'opportunities', key: id, select: ['name'] });
    const etag = before['@odata.etag'] as string;
    expect(await dwa.update({ collection: 'opportunities', key: id, data: { estimatedvalue: 20 }, ifmatch: etag })).toBe(true);
    const after = h.emulator.control.getRecord({ table: 'opportunities', id });
    expect(after?.['@odata.etag']).not.toBe(etag);
    expect(await dwa.update({ collection: 'opportunities', key: id, data: { estimatedvalue: 30 }, ifmatch: etag })).toBe(false);
    const strict = await rejection(h.client({ propagateErrors: true }).update({ collection: 'opportunities', key: id, data: { estimatedvalue: 30 }, ifmatch: etag }));
    expect(strict.status).toBe(412);
    expect(strict.code).toBe('0x80060882');
    expect(h.emulator.control.getRecord({ table: 'opportunities', id })?.['estimatedvalue']).toBe(20);
    const withBody = await dwa.update<Record<string, unknown>>({ collection: 'opportunities', key: id, data: { name: 'Renamed' }, returnRepresentation: true, select: ['name'] });
    expect(withBody['name']).toBe('Renamed');
  });

  it('never creates through update (If-Match: *): 404 for a missing row', async () => {
    const missing = await rejection(h.client().update({ collection: 'opportunities', key: '00000000-0000-0000-0000-00000000abcd', data: { name: 'ghost' } }));
    expect(missing.status).toBe(404);
    expect(missing.code).toBe('0x80040217');
    expect(h.emulator.control.getRecord({ table: 'opportunities', id: '00000000-0000-0000-0000-00000000abcd' })).toBeUndefined();
  });

  it('upserts through the cosell_referralid alternate key, unescaping doubled quotes', async () => {
    const dwa = h.client();
    const key = "cosell_referralid='ref-''quoted''-1'";
    const created = await dwa.upsert<Record<string, unknown>, string>({ collection: 'opportunities', key, data: { name: 'From referral', cosell_syncwithpartnercenter: true } });
    expect(created).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.emulator.control.getRecord({ table: 'opportunities', id: created })?.['cosell_referralid']).toBe("ref-'quoted'-1");
    const again = await dwa.upsert({ collection: 'opportunities', key, data: { name: 'From referral, updated' } });
    expect(again).toBe(created);
    expect(h.emulator.control.count({ table: 'opportunities', column: 'cosell_referralid', value: "ref-'quoted'-1" })).toBe(1);
    expect(await dwa.upsert({ collection: 'opportunities', key, data: { name: 'create only' }, ifnonematch: '*' })).toBeNull();
    expect(await dwa.upsert({ collection: 'opportunities', key: "cosell_referralid='nope'", data: { name: 'update only' }, ifmatch: '*' })).toBeNull();
    const strict = await rejection(h.client({ propagateErrors: true }).upsert({ collection: 'leads', key: "cosell_referralid='L1'", data: { lastname: 'x' }, ifmatch: '*' }));
    expect(strict.status).toBe(404);
    const duplicate = await rejection(dwa.create({ collection: 'opportunities', data: { name: 'dup', cosell_referralid: "ref-'quoted'-1" } }));
    expect(duplicate.status).toBe(412);
  });

  it('refuses to win or lose by plain update, allows reopening, and closes through the actions', async () => {
    const dwa = h.client();
    const id = await dwa.create<Record<string, unknown>, string>({ collection: 'opportunities', data: { name: 'To close', estimatedvalue: 5000 } });
    for (const statecode of [1, 2]) {
      const refused = await rejection(dwa.update({ collection: 'opportunities', key: id, data: { statecode, statuscode: statecode === 1 ? 3 : 4 } }));
      expect(refused.status).toBe(400);
      expect(refused.message).toContain(statecode === 1 ? 'WinOpportunityRequest' : 'LoseOpportunityRequest');
    }
    const wrongStatus = await rejection(dwa.callAction({ actionName: 'WinOpportunity', action: { Status: 4, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})` } } }));
    expect(wrongStatus.status).toBe(400);
    await dwa.callAction({ actionName: 'WinOpportunity', action: { Status: 3, OpportunityClose: { subject: 'Won', 'opportunityid@odata.bind': `${h.url}/api/data/v9.2/opportunities(${id})`, actualrevenue: 4500, actualend: '2026-03-01' } } });
    expect(h.emulator.control.getRecord({ table: 'opportunities', id })).toMatchObject({ statecode: 1, statuscode: 3, actualvalue: 4500, actualclosedate: '2026-03-01' });
    expect(h.emulator.control.count({ table: 'opportunityclose', column: '_opportunityid_value', value: id })).toBe(1);
    const closedEdit = await rejection(dwa.update({ collection: 'opportunities', key: id, data: { name: 'edit while won' } }));
    expect(closedEdit.status).toBe(400);
    expect(await dwa.update({ collection: 'opportunities', key: id, data: { statecode: 0, statuscode: 1 } })).toBe(true);
    for (const status of [4, 5, 100000001, 100000002]) {
      await dwa.callAction({ actionName: 'LoseOpportunity', action: { Status: status, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})` } } });
      expect(h.emulator.control.getRecord({ table: 'opportunities', id })).toMatchObject({ statecode: 2, statuscode: status });
      await dwa.update({ collection: 'opportunities', key: id, data: { statecode: 0, statuscode: 2 } });
    }
    const loseAsWin = await rejection(dwa.callAction({ actionName: 'LoseOpportunity', action: { Status: 3, OpportunityClose: { 'opportunityid@odata.bind': `/opportunities(${id})` } } }));
    expect(loseAsWin.status).toBe(400);
  });

  it('deletes with 204, 404 when missing and clears a lookup through $ref', async () => {
    const dwa = h.client();
    const id = await dwa.create<Record<string, unknown>, string>({ collection: 'opportunities', data: { name: 'Short-lived', 'parentaccountid@odata.bind': `/accounts(${accountId})` } });
    const cleared = await h.call(`opportunities(${id})/parentaccountid/$ref`, { method: 'DELETE' });
    expect(cleared.status).toBe(204);
    expect(h.emulator.control.getRecord({ table: 'opportunities', id })?.['_parentaccountid_value']).toBeNull();
    expect(await dwa.deleteRecord({ collection: 'opportunities', key: id })).toBe(true);
    const again = await rejection(dwa.deleteRecord({ collection: 'opportunities', key: id }));
    expect(again.status).toBe(404);
  });
});
