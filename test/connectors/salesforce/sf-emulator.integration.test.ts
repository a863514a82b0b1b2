/**
 * Salesforce-specific behaviour against the sandbox emulator on 127.0.0.1, beyond the shared
 * contract: the JWT bearer flow and session expiry, inbound creates with account matching,
 * contacts and contact roles, leads, the API budget reserve, and injected server faults.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { createSalesforceConnector, type SalesforceOptionsInput } from '../../../connectors/salesforce/index.js';
import type { CrmCreate } from '../../../connectors/types.js';
import { checkAgainstDescription, loadMappingFile } from '../../../mappings/index.js';
import { INTEGRATION_USERNAME, startSalesforceEmulator, type SalesforceControl } from '../../../sandbox/salesforce/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import type { EmulatorServer } from '../../../sandbox/shared/http.js';
import { FakeClock, logSink } from './support/harness.js';

let server: EmulatorServer;
let sf: SalesforceControl;
const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));

beforeAll(async () => {
  ({ server, control: sf } = await startSalesforceEmulator({ clock, seed: 5, size: 60 }));
});
afterAll(() => server.close());

function connect(opts: Partial<SalesforceOptionsInput> = {}) {
  const sink = logSink();
  const connector = createSalesforceConnector(
    {
      auth: { kind: 'clientCredentials', clientId: sf.clientIds[0] ?? 'cosell-sandbox', clientSecret: sf.clientSecret },
      loginUrl: server.url,
      apiVersion: '60.0',
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, retryUnknownOutcome: true },
      ...opts,
    },
    // An instant clock at the emulator's time (JWT `exp` is checked against it): retry backoff
    // and pauses pass without real waiting.
    { logger: sink.logger, clock: new FakeClock(clock.now().getTime()) },
  );
  return { connector, sink };
}

const countRows = (soql: string): number => sf.query({ soql }).length;
let serial = 0;
const ref = (): string => `it-${Date.now().toString(36)}-${(serial += 1)}`;

describe('Salesforce connector against the sandbox emulator', () => {
  it('signs in with the JWT bearer flow and survives an expired session with one refresh', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    sf.registerJwtKey({ publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const { connector, sink } = connect({
      auth: { kind: 'jwt', clientId: sf.clientIds[0] ?? 'cosell-sandbox', username: INTEGRATION_USERNAME, privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
    });
    const id = (sf.query({ soql: 'SELECT Id FROM Opportunity LIMIT 1' })[0] as { Id: string }).Id;
    expect(await connector.getRecords({ kind: 'opportunity', ids: [id], fields: ['Name'] })).toHaveLength(1);
    sf.expireAllSessions();
    expect(await connector.getRecords({ kind: 'opportunity', ids: [id], fields: ['Name'] })).toHaveLength(1);
    expect(sink.lines().filter((l) => l['msg'] === 'Salesforce session refreshed')).toHaveLength(1);
    expect(connector.health().state).toBe('ok');
    await connector.close();
  });

  it('creates an inbound opportunity with a matched or new account, contacts and contact roles, once', async () => {
    const { connector } = connect();
    const account = { name: `Northwind ${ref()}`, street: '1 Main St', city: 'Seattle', state: 'WA', postalCode: '98101', country: 'US', duns: null };
    const contacts = [
      { firstName: 'Ana', lastName: 'Ng', email: `ana.${ref()}@northwind.example`, phone: null, title: 'CTO' },
      { firstName: 'Bo', lastName: 'Li', email: `bo.${ref()}@northwind.example`, phone: null, title: null },
    ];
    const write: CrmCreate = {
      kind: 'opportunity',
      fields: { Name: 'Northwind - Azure', StageName: 'On Hold', CloseDate: '2026-06-30', Amount: 0, Sync_With_Partner_Center__c: true },
      externalId: { field: 'Referral_Id__c', value: ref() },
      customer: { account, contacts },
    };
    const [first] = await connector.createRecords([write]);
    const [second] = await connector.createRecords([write]);
    expect(first).toMatchObject({ ok: true, created: true });
    expect(second).toMatchObject({ ok: true, created: false });
    if (!first?.ok) throw new Error('create failed');
    const accountName = account.name.replace(/'/g, "\\'");
    expect(countRows(`SELECT Id FROM Account WHERE Name = '${accountName}'`)).toBe(1);
    expect(countRows(`SELECT Id FROM OpportunityContactRole WHERE OpportunityId = '${first.id}'`)).toBe(2);
    const [record] = await connector.getRecords({
      kind: 'opportunity',
      ids: [first.id],
      fields: ['Account.Name', 'Account.BillingPostalCode', 'OpportunityContactRoles.Contact.Email', 'OpportunityContactRoles.IsPrimary'],
    });
    expect(record?.fields['Account.Name']).toBe(account.name);
    expect(record?.fields['OpportunityContactRoles']).toEqual(
      expect.arrayContaining([{ 'Contact.Email': contacts[0]?.email, IsPrimary: true }, { 'Contact.Email': contacts[1]?.email, IsPrimary: false }]),
    );

    // A second referral for the same customer matches the account by name + postal code.
    const [other] = await connector.createRecords([{ ...write, externalId: { field: 'Referral_Id__c', value: ref() }, customer: { account: { ...account, name: account.name.toUpperCase() }, contacts: [] } }]);
    expect(other?.ok).toBe(true);
    expect(countRows(`SELECT Id FROM Account WHERE Name = '${accountName}'`)).toBe(1);
    await connector.close();
  });

  it('creates an inbound lead with the Company and LastName Salesforce requires filled from the customer, and nothing the mapping does not name', async () => {
    const { connector } = connect();
    const value = ref();
    const [outcome] = await connector.createRecords([
      {
        kind: 'lead',
        // Status is sent although real orgs default it: the emulator's Lead.Status is required
        // without a default (required() drops defaultedOnCreate), reported to its owner.
        fields: { Sync_With_Partner_Center__c: true, Status: 'Open - Not Contacted' },
        externalId: { field: 'Referral_Id__c', value },
        customer: { account: { name: 'Tailspin Toys', street: null, city: 'Austin', state: 'TX', postalCode: '73301', country: 'US', duns: null }, contacts: [{ firstName: 'Cy', lastName: 'Diaz', email: 'cy@tailspin.example', phone: null, title: null }] },
      },
    ]);
    if (!outcome?.ok) throw new Error(`lead create failed: ${outcome?.error.message ?? '?'}`);
    expect(outcome.created).toBe(true);
    expect(outcome.id.startsWith('00Q')).toBe(true);
    const found = await connector.findByExternalId({ kind: 'lead', field: 'Referral_Id__c', values: [value], fields: ['Company', 'LastName', 'Email'] });
    expect(found[0]?.fields).toEqual({ Company: 'Tailspin Toys', LastName: 'Diaz', Email: null });
    await connector.close();
  });

  it('pauses when the org is inside the reserve of its daily allocation', async () => {
    const { connector, sink } = connect({ apiBudgetReservePercent: 10 });
    const { limit } = sf.apiUsage();
    sf.setApiUsage(Math.floor(limit * 0.95));
    await connector.describe('opportunity');
    expect(connector.health().state).toBe('paused');
    expect(sink.lines().some((l) => l['msg'] === 'Salesforce API budget reserve reached; pausing Salesforce calls')).toBe(true);
    sf.setApiUsage(0);
    await connector.close();
  });

  it('retries injected 503s and resets, and reports a lasting outage as transient', async () => {
    const { connector } = connect();
    server.faults.set([{ path: '/query', errorRate: 1, errorStatus: 503 }]);
    const error = await connector.getRecords({ kind: 'opportunity', ids: ['006000000000000AAA'], fields: ['Name'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', status: 503, vendorCode: 'SERVER_UNAVAILABLE' });
    expect(connector.health().state).toBe('degraded');
    server.faults.set([]);
    await expect(connector.getRecords({ kind: 'opportunity', ids: ['006000000000000AAA'], fields: ['Name'] })).resolves.toEqual([]);
    expect(connector.health().state).toBe('ok');
    await connector.close();
  });

  it('treats a cut-off answer to an upsert as outcome-unknown and heals on the next create without a duplicate', async () => {
    const { connector } = connect({ retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100, retryUnknownOutcome: true } });
    const value = ref();
    const write: CrmCreate = {
      kind: 'opportunity',
      fields: { Name: 'Cut off', StageName: 'On Hold', CloseDate: '2026-06-30' },
      externalId: { field: 'Referral_Id__c', value },
      customer: null,
    };
    server.faults.set([{ path: '/composite', truncateRate: 1 }]);
    const [lost] = await connector.createRecords([write]);
    server.faults.set([]);
    expect(lost).toMatchObject({ ok: false, error: { kind: 'transient', outcomeUnknown: true } });
    expect(sf.countRecords({ type: 'Opportunity', field: 'Referral_Id__c', value })).toBe(1);
    const [healed] = await connector.createRecords([write]);
    expect(healed).toMatchObject({ ok: true, created: false });
    expect(sf.countRecords({ type: 'Opportunity', field: 'Referral_Id__c', value })).toBe(1);
    await connector.close();
  });

  it('describes picklist values and read-only parent fields', async () => {
    const { connector } = connect();
    const description = await connector.describe('opportunity');
    const byPath = new Map(description.fields.map((d) => [d.path, d]));
    expect(byPath.get('Microsoft_Help__c')?.picklistValues).toEqual(expect.arrayContaining(['GeneralOrOther', 'ProofOfConceptOrDemo']));
    expect(byPath.get('StageName')?.picklistValues).toEqual(expect.arrayContaining(['On Hold', 'Declined', 'Expired']));
    expect(byPath.get('Account.BillingPostalCode')).toMatchObject({ type: 'string', createable: false, updateable: false });
    expect(byPath.get('OpportunityContactRoles')?.type).toBe('child');
    expect(byPath.get('IsClosed')?.updateable).toBe(false);
    await connector.close();
  });

  it('passes the default mapping check against describe and reads every path the mapping names', async () => {
    const { connector } = connect();
    const loaded = loadMappingFile('mappings/salesforce.yaml');
    if (!loaded.ok) throw new Error(`mapping did not load: ${JSON.stringify(loaded.error)}`);
    const mapping = loaded.value;
    const descriptions = [await connector.describe('opportunity'), await connector.describe('lead')];
    expect(checkAgainstDescription({ mapping, descriptions })).toEqual([]);
    for (const object of [mapping.opportunity, mapping.lead]) {
      let read = 0;
      for await (const page of connector.readChanges({ kind: object.kind, fields: object.readFields, cursor: null })) read += page.items.length;
      expect(read).toBeGreaterThan(0);
    }
    await connector.close();
  });
});
