/**
 * Inbound creates in orgs shaped like many real ones (sandbox org profile `minimal`): no State and
 * Country picklists, no DUNS column. The account is created with the country where the org keeps
 * it and matched without DUNS; a lead gets only the fields the mapping names.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { createDynamicsConnector } from '../../connectors/dynamics/index.js';
import { createSalesforceConnector } from '../../connectors/salesforce/index.js';
import type { CrmCreate } from '../../connectors/types.js';
import { systemClock } from '../../src/core/clock.js';
import { startDataverseEmulator, type StartedDataverseEmulator } from '../../sandbox/dataverse/index.js';
import { orgShapeOf } from '../../sandbox/org-profiles.js';
import { startSalesforceEmulator, type SalesforceControl } from '../../sandbox/salesforce/index.js';
import { SandboxClock } from '../../sandbox/shared/clock.js';
import type { EmulatorServer } from '../../sandbox/shared/http.js';
import { FakeClock } from './salesforce/support/harness.js';

const shape = orgShapeOf('minimal');
const clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
const account = { name: 'Contoso Minimal GmbH', street: '5 Hauptstraße', city: 'München', state: 'BY', postalCode: '80331', country: 'DE', duns: '123456789' };
const contacts = [{ firstName: 'Jörg', lastName: 'Müller', email: 'joerg@contoso-minimal.example', phone: null, title: 'CIO' }];

describe('Salesforce connector in a minimal org', () => {
  let server: EmulatorServer;
  let sf: SalesforceControl;
  beforeAll(async () => {
    ({ server, control: sf } = await startSalesforceEmulator({ clock, seed: 3, size: 10, shape }));
  });
  afterAll(() => server.close());
  const connect = () =>
    createSalesforceConnector(
      {
        auth: { kind: 'clientCredentials', clientId: sf.clientIds[0] ?? 'cosell-sandbox', clientSecret: sf.clientSecret },
        loginUrl: server.url,
        apiVersion: '60.0',
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 100, retryUnknownOutcome: true },
      },
      { logger: pino({ level: 'silent' }), clock: new FakeClock(clock.now().getTime()) },
    );

  it('creates the account with BillingCountry (no BillingCountryCode) and without DUNS, and matches it the second time', async () => {
    const connector = connect();
    const write = (ref: string): CrmCreate => ({
      kind: 'opportunity',
      fields: { Name: `Minimal ${ref}`, StageName: 'Prospecting', CloseDate: '2026-06-30', Sync_With_Partner_Center__c: true },
      externalId: { field: 'Referral_Id__c', value: ref },
      customer: { account, contacts },
    });
    const outcomes = await connector.createRecords([write('min-1')]);
    expect(outcomes).toEqual([expect.objectContaining({ ok: true, created: true })]);
    expect(await connector.createRecords([write('min-2')])).toEqual([expect.objectContaining({ ok: true, created: true })]);
    const rows = sf.query({ soql: "SELECT Id, BillingCountry, BillingPostalCode FROM Account WHERE Name = 'Contoso Minimal GmbH'" });
    expect(rows).toEqual([expect.objectContaining({ BillingCountry: 'DE', BillingPostalCode: '80331' })]);
    await connector.close();
  });

  it('writes on a lead only what the mapping names, plus the Company and LastName Salesforce requires', async () => {
    const connector = connect();
    const [outcome] = await connector.createRecords([
      { kind: 'lead', fields: { Sync_With_Partner_Center__c: true }, externalId: { field: 'Referral_Id__c', value: 'min-lead' }, customer: { account, contacts } },
    ]);
    if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
    const [lead] = sf.query({ soql: `SELECT Company, LastName, FirstName, City, Country, Email FROM Lead WHERE Id = '${outcome.id}'` });
    expect(lead).toEqual(expect.objectContaining({ Company: 'Contoso Minimal GmbH', LastName: 'Müller', FirstName: null, City: null, Country: null, Email: null }));
    await connector.close();
  });
});

describe('Dataverse connector in a minimal org', () => {
  const TOKEN = 'dv-minimal-token';
  let emulator: StartedDataverseEmulator;
  beforeAll(async () => {
    emulator = await startDataverseEmulator({ clock, seed: 3, size: 10, shape, options: { staticTokens: [TOKEN] } });
  });
  afterAll(() => emulator.server.close());

  it('matches and creates the account without a DUNS column', async () => {
    const connector = createDynamicsConnector({ auth: { kind: 'staticToken', accessToken: TOKEN }, url: emulator.server.url }, { logger: pino({ level: 'silent' }), clock: systemClock });
    const write = (ref: string): CrmCreate => ({
      kind: 'opportunity',
      fields: { name: `Minimal ${ref}`, cosell_syncwithpartnercenter: true },
      externalId: { field: 'cosell_referralid', value: ref },
      customer: { account, contacts },
    });
    expect(await connector.createRecords([write('min-1')])).toEqual([expect.objectContaining({ ok: true, created: true })]);
    expect(await connector.createRecords([write('min-2')])).toEqual([expect.objectContaining({ ok: true, created: true })]);
    expect(emulator.control.count({ table: 'accounts', column: 'name', value: 'Contoso Minimal GmbH' })).toBe(1);
    await connector.close();
  });

  it('writes on a lead only what the mapping names: no account or contact is matched or made for it', async () => {
    const connector = createDynamicsConnector({ auth: { kind: 'staticToken', accessToken: TOKEN }, url: emulator.server.url }, { logger: pino({ level: 'silent' }), clock: systemClock });
    const lead = { name: 'Lead Only Minimal AG', street: null, city: 'Wien', state: null, postalCode: '1010', country: 'AT', duns: null };
    const person = { firstName: 'Anna', lastName: 'Huber', email: 'anna@lead-only.example', phone: null, title: null };
    const [outcome] = await connector.createRecords([
      { kind: 'lead', fields: { subject: 'Lead only', lastname: 'Huber', cosell_syncwithpartnercenter: true }, externalId: { field: 'cosell_referralid', value: 'min-lead' }, customer: { account: lead, contacts: [person] } },
    ]);
    if (!outcome?.ok) throw new Error(JSON.stringify(outcome));
    expect(emulator.control.getRecord({ table: 'leads', id: outcome.id })).toMatchObject({ subject: 'Lead only', lastname: 'Huber', companyname: null, address1_city: null, _parentaccountid_value: null });
    expect(emulator.control.count({ table: 'accounts', column: 'name', value: 'Lead Only Minimal AG' })).toBe(0);
    expect(emulator.control.count({ table: 'contacts', column: 'emailaddress1', value: 'anna@lead-only.example' })).toBe(0);
    await connector.close();
  });
});
