import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rejection, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ size: 60 });
});
afterAll(() => h.close());

interface Opp {
  opportunityid: string;
  name: string;
  [key: string]: unknown;
}

describe('Dataverse emulator reads through dynamics-web-api 2.5.0', () => {
  it('pages with maxPageSize and an absolute nextLink on the emulator host', async () => {
    const dwa = h.client();
    const first = await dwa.retrieveMultiple<Opp>({ collection: 'opportunities', select: ['name'], maxPageSize: 25 });
    expect(first.value).toHaveLength(25);
    expect(first.oDataNextLink).toMatch(new RegExp(`^${h.url}/api/data/v9\\.2/opportunities\\?\\$select=name&\\$skiptoken=`));
    const second = await dwa.retrieveMultiple<Opp>({ collection: 'opportunities', select: ['name'], maxPageSize: 25 }, first.oDataNextLink);
    expect(second.value).toHaveLength(25);
    const ids = new Set([...first.value, ...second.value].map((r) => r.opportunityid));
    expect(ids.size).toBe(50);
  });

  it('retrieveAll returns every row exactly once, even when a row is created between pages', async () => {
    const dwa = h.client();
    const page = await dwa.retrieveMultiple<Opp>({ collection: 'opportunities', select: ['name'], orderBy: ['name'], maxPageSize: 10 });
    h.emulator.control.createRecord({ table: 'opportunities', values: { name: 'AAA inserted before the cursor' } });
    const seen = [...page.value];
    let link = page.oDataNextLink;
    while (link) {
      const next = await dwa.retrieveMultiple<Opp>({ collection: 'opportunities', maxPageSize: 10 }, link);
      seen.push(...next.value);
      link = next.oDataNextLink;
    }
    const ids = seen.map((r) => r.opportunityid);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(h.emulator.control.count({ table: 'opportunities' }) - 1);
    const all = await dwa.retrieveAll<Opp>({ collection: 'opportunities', select: ['name'], maxPageSize: 7 });
    expect(all.value).toHaveLength(h.emulator.control.count({ table: 'opportunities' }));
  });

  it('filters, orders, counts and returns wire formats: dates, money, etags', async () => {
    const dwa = h.client();
    const open = h.emulator.control.count({ table: 'opportunity', column: 'statecode', value: 0 });
    const result = await dwa.retrieveMultiple<Opp>({
      collection: 'opportunities',
      select: ['name', 'estimatedvalue', 'estimatedclosedate', 'statecode', 'modifiedon', '_parentaccountid_value'],
      filter: 'statecode eq 0',
      orderBy: ['estimatedvalue%20desc'],
      count: true,
    });
    expect(result.value).toHaveLength(open);
    expect(result.oDataCount).toBe(open);
    const values = result.value.map((r) => r['estimatedvalue'] as number);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const row = result.value[0] as Opp;
    expect(row['@odata.etag']).toMatch(/^W\/"\d+"$/);
    expect(row['estimatedclosedate']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(row['modifiedon']).toBeInstanceOf(Date);
    expect(typeof row['estimatedvalue']).toBe('number');
    expect(row['_parentaccountid_value']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('expands a lookup with nested $select and annotates lookups when asked', async () => {
    const dwa = h.client();
    const [row] = (
      await dwa.retrieveMultiple<Opp>({
        collection: 'opportunities',
        select: ['name', '_parentaccountid_value', 'statuscode'],
        orderBy: ['name'],
        expand: [{ property: 'parentaccountid', select: ['name', 'address1_postalcode', 'address1_country'] }],
        // Rows other tests create (random ids, no account) may sort first: one with an account, in
        // a stated order, so the row does not depend on which ids were generated this run.
        filter: '_parentaccountid_value ne null',
        includeAnnotations: '*',
        top: 1,
      })
    ).value as Opp[];
    const account = row?.['parentaccountid'] as Record<string, unknown>;
    expect(account['accountid']).toBe(row?.['_parentaccountid_value']);
    expect(account['address1_country']).toMatch(/^[A-Z]{2}$/);
    expect(row?.['_parentaccountid_value_LogicalName']).toBe('account');
    expect(row?.['_parentaccountid_value_NavigationProperty']).toBe('parentaccountid');
    expect(row?.['_parentaccountid_value_Formatted']).toBe(account['name']);
    expect(['In Progress', 'On Hold', 'Won', 'Canceled', 'Out-Sold']).toContain(row?.['statuscode_Formatted']);
  });

  it('expands contact, currency and owning user at once, as the connector paths need (docs/crm-custom-fields.md)', async () => {
    const dwa = h.client();
    const [row] = (
      await dwa.retrieveMultiple<Opp>({
        collection: 'opportunities',
        select: ['name', '_customerid_value'],
        filter: '_parentcontactid_value ne null',
        expand: [
          { property: 'parentcontactid', select: ['firstname', 'lastname', 'emailaddress1', 'telephone1', 'jobtitle'] },
          { property: 'transactioncurrencyid', select: ['isocurrencycode'] },
          { property: 'owninguser', select: ['firstname', 'lastname', 'internalemailaddress'] },
        ],
        includeAnnotations: 'Microsoft.Dynamics.CRM.*',
        top: 1,
      })
    ).value as Opp[];
    expect(row?.['parentcontactid']).toMatchObject({ emailaddress1: expect.stringContaining('@') });
    expect(['USD', 'EUR', 'GBP', 'JPY', 'INR']).toContain((row?.['transactioncurrencyid'] as Record<string, unknown>)['isocurrencycode']);
    expect((row?.['owninguser'] as Record<string, unknown>)['internalemailaddress']).toMatch(/@partner\.example$/);
    expect(row?.['_customerid_value_NavigationProperty']).toBe('customerid_account');
    expect(row?.['_customerid_value_Formatted']).toBeUndefined();
  });

  it('counts through /$count as plain text and through $count=true', async () => {
    const dwa = h.client();
    expect(await dwa.count({ collection: 'accounts' })).toBe(h.emulator.control.count({ table: 'accounts' }));
    expect(await dwa.count({ collection: 'opportunities', filter: 'statecode eq 1' })).toBe(h.emulator.control.count({ table: 'opportunities', column: 'statecode', value: 1 }));
  });

  it('answers 405 for a method the resource does not take', async () => {
    const response = await h.call('opportunities', { method: 'PATCH', body: '{}' });
    expect(response.status).toBe(405);
  });

  it('finds a record by filtering on a lookup GUID and on text with quotes', async () => {
    const dwa = h.client();
    const id = h.emulator.control.createRecord({ table: 'accounts', values: { name: "O'Neil & Sons" } });
    h.emulator.control.createRecord({ table: 'opportunities', values: { name: "O'Neil - renewal", 'parentaccountid@odata.bind': `accounts(${id})` } });
    const byLookup = await dwa.retrieveMultiple<Opp>({ collection: 'opportunities', select: ['name'], filter: `_parentaccountid_value eq ${id}` });
    expect(byLookup.value.map((r) => r.name)).toEqual(["O'Neil - renewal"]);
    const byText = await dwa.retrieveMultiple<Opp>({ collection: 'opportunities', select: ['name'], filter: "contains(name,'o''neil')" });
    expect(byText.value).toHaveLength(1);
    const byAccountName = await dwa.retrieveMultiple<Opp>({ collection: 'opportunities', select: ['name'], filter: "parentaccountid/name eq 'O''Neil & Sons'" });
    expect(byAccountName.value.map((r) => r.name)).toEqual(["O'Neil - renewal"]);
    h.emulator.control.editRecord({ table: 'accounts', id, values: { name: 'Renamed & Sons' } });
    const afterRename = await dwa.retrieveMultiple<Opp>({ collection: 'opportunities', select: ['name'], filter: "parentaccountid/name eq 'O''Neil & Sons'" });
    expect(afterRename.value).toHaveLength(0);
  });

  it('answers 404 0x8006088a for an unknown or wrongly cased entity set and 400 for an unknown column', async () => {
    // dynamics-web-api lower-cases collection names itself, so the wrong case goes over plain HTTP.
    const wrongCase = await h.call('Opportunities');
    expect(wrongCase.status).toBe(404);
    expect(await wrongCase.json()).toEqual({ error: { code: '0x8006088a', message: "Resource not found for the segment 'Opportunities'." } });
    const unknown = await rejection(h.client().retrieveMultiple({ collection: 'widgets' }));
    expect(unknown.status).toBe(404);
    expect(unknown.code).toBe('0x8006088a');
    const response = await h.call('opportunities?$select=Name');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: '0x0', message: "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.opportunity'." } });
    const skip = await h.call('opportunities?$skip=5');
    expect(skip.status).toBe(400);
  });

  it('retrieves one record, 304 on a matching If-None-Match, 404 0x80040217 when missing', async () => {
    const dwa = h.client();
    const id = h.emulator.control.createRecord({ table: 'contacts', values: { firstname: 'Ana', lastname: 'Chen' } });
    const contact = await dwa.retrieve<Record<string, unknown>>({ collection: 'contacts', key: id, select: ['fullname'] });
    expect(contact['fullname']).toBe('Ana Chen');
    const etag = contact['@odata.etag'] as string;
    const unchanged = await h.call(`contacts(${id})?$select=fullname`, { headers: { 'If-None-Match': etag } });
    expect(unchanged.status).toBe(304);
    const missing = await rejection(dwa.retrieve({ collection: 'contacts', key: '00000000-0000-0000-0000-0000000000aa' }));
    expect(missing.status).toBe(404);
    expect(missing.code).toBe('0x80040217');
  });

  it('answers 401 with an empty body and WWW-Authenticate when the token is missing or unknown', async () => {
    const anonymous = await fetch(`${h.url}/api/data/v9.2/accounts`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toBe('');
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer authorization_uri=https:\/\/login\.microsoftonline\.com\/[^/]+\/oauth2\/authorize, resource_id=http:\/\/127\.0\.0\.1:\d+\/$/);
    const { DynamicsWebApi } = await import('dynamics-web-api');
    const stranger = new DynamicsWebApi({ serverUrl: h.url, onTokenRefresh: async () => 'not-a-known-token' });
    const error = await rejection(stranger.retrieveMultiple({ collection: 'accounts' }));
    expect(error.status).toBe(401);
  });

  it('serves entity metadata for a mapping check', async () => {
    const dwa = h.client();
    const attributes = await dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", select: ['LogicalName', 'AttributeType', 'IsValidForCreate', 'IsValidForUpdate', 'RequiredLevel'] });
    const byName = new Map(attributes.value.map((a: Record<string, unknown>) => [a['LogicalName'], a]));
    expect(byName.get('name')).toMatchObject({ AttributeType: 'String', IsValidForCreate: true, RequiredLevel: { Value: 'ApplicationRequired' } });
    expect(byName.get('statecode')).toMatchObject({ AttributeType: 'State', IsValidForCreate: false, IsValidForUpdate: true });
    const strings = await dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", castType: 'Microsoft.Dynamics.CRM.StringAttributeMetadata', select: ['LogicalName', 'MaxLength'] });
    const lengths = new Map(strings.value.map((a: Record<string, unknown>) => [a['LogicalName'], a['MaxLength']]));
    expect(lengths.get('name')).toBe(300);
    expect(lengths.get('cosell_referralid')).toBe(64);
    const statuses = await dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", castType: 'Microsoft.Dynamics.CRM.StatusAttributeMetadata', select: ['LogicalName'], expand: [{ property: 'OptionSet' }] });
    const options = (statuses.value[0] as { OptionSet: { Options: { Value: number; State: number }[] } }).OptionSet.Options;
    expect(options).toContainEqual(expect.objectContaining({ Value: 100000001, State: 2 }));
  });

  it('refuses a property of a derived metadata type asked for without its cast, as a real org does', async () => {
    const dwa = h.client();
    const uncast = await rejection(dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", select: ['LogicalName', 'MaxLength'] }));
    expect(uncast.status).toBe(400);
    expect(uncast.message).toBe("Could not find a property named 'MaxLength' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'.");
    const wrongCast = await rejection(dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", castType: 'Microsoft.Dynamics.CRM.MoneyAttributeMetadata', select: ['LogicalName', 'MaxLength'] }));
    expect(wrongCast.message).toBe("Could not find a property named 'MaxLength' on type 'Microsoft.Dynamics.CRM.MoneyAttributeMetadata'.");
    const options = await rejection(dwa.retrieveAttributes({ entityKey: "LogicalName='opportunity'", select: ['LogicalName'], expand: [{ property: 'OptionSet' }] }));
    expect(options.message).toBe("Could not find a property named 'OptionSet' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'.");
  });
});
