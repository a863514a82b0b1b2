/**
 * The connector against the Dataverse emulator beyond the shared contract: inbound creates with
 * account / contact matching and the currency bind, leads, and the modifiedon fallback on a
 * table without change tracking (logged once, not fatal).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createDynamicsConnector, type DynamicsConnector } from '../../../connectors/dynamics/index.js';
import { checkAgainstDescription, loadMappingFile } from '../../../mappings/index.js';
import type { CrmCreate } from '../../../connectors/types.js';
import { systemClock } from '../../../src/core/clock.js';
import type { CrmRecord } from '../../../src/domain/crm-record.js';
import { startDataverseEmulator, type StartedDataverseEmulator } from '../../../sandbox/dataverse/index.js';
import { SandboxClock } from '../../../sandbox/shared/clock.js';

const TOKEN = 'dv-emulator-token';
let emulator: StartedDataverseEmulator;
let connector: DynamicsConnector;
let clock: SandboxClock;
const logLines: Record<string, unknown>[] = [];

beforeAll(async () => {
  clock = new SandboxClock(new Date('2026-03-02T09:00:00Z'));
  emulator = await startDataverseEmulator({ clock, seed: 5, size: 60, options: { staticTokens: [TOKEN] } });
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  connector = createDynamicsConnector({ auth: { kind: 'staticToken', accessToken: TOKEN }, url: emulator.server.url, pageSize: 25 }, { logger: pino({ level: 'info' }, sink), clock: systemClock });
});
afterAll(async () => {
  await connector.close();
  await emulator.server.close();
});

const inbound = (ref: string, extra: Partial<CrmCreate> = {}): CrmCreate => ({
  kind: 'opportunity',
  fields: { name: `Inbound ${ref}`, estimatedvalue: 5000, 'transactioncurrencyid.isocurrencycode': 'EUR', cosell_syncwithpartnercenter: true },
  externalId: { field: 'cosell_referralid', value: ref },
  customer: {
    account: { name: 'Fabrikam Ltd', street: '1 Main St', city: 'Leeds', state: null, postalCode: 'LS1 1AA', country: 'GB', duns: null },
    contacts: [{ firstName: 'Ana', lastName: 'Lopez', email: 'ana@fabrikam.example', phone: null, title: 'CTO' }],
  },
  ...extra,
});

describe('Dataverse connector on the emulator', () => {
  it('creates an inbound opportunity with its account, contact and currency, matching them the second time', async () => {
    const [first, second] = await connector.createRecords([inbound('ref-a'), inbound('ref-b')]);
    if (!first?.ok || !second?.ok) throw new Error(`create failed: ${JSON.stringify([first, second])}`);
    const fields = ['parentaccountid.name', 'parentaccountid.address1_postalcode', 'parentcontactid.emailaddress1', 'transactioncurrencyid.isocurrencycode'];
    const records = await connector.getRecords({ kind: 'opportunity', ids: [first.id, second.id], fields });
    const a = records.find((r) => r.id === first.id);
    const b = records.find((r) => r.id === second.id);
    expect(a?.fields).toEqual({ 'parentaccountid.name': 'Fabrikam Ltd', 'parentaccountid.address1_postalcode': 'LS1 1AA', 'parentcontactid.emailaddress1': 'ana@fabrikam.example', 'transactioncurrencyid.isocurrencycode': 'EUR' });
    expect(b?.fields).toEqual(a?.fields);
    expect(emulator.control.count({ table: 'accounts', column: 'name', value: 'Fabrikam Ltd' })).toBe(1);
    expect(emulator.control.count({ table: 'contacts', column: 'emailaddress1', value: 'ana@fabrikam.example' })).toBe(1);
  });

  it('reads 150 ids in two requests (long id lists travel as a one-part $batch); ids not found are absent', async () => {
    const ids: string[] = [];
    for await (const page of connector.readChanges({ kind: 'opportunity', fields: ['name'], cursor: null })) ids.push(...page.items.map((r) => r.id));
    const missing = Array.from({ length: 150 - ids.length }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const before = connector.requestCount();
    const records = await connector.getRecords({ kind: 'opportunity', ids: [...missing.slice(0, 40), ...ids, ...missing.slice(40)], fields: ['name', 'parentaccountid.name'] });
    expect(connector.requestCount() - before).toBe(2);
    expect(records.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(records.every((r) => typeof r.fields['name'] === 'string')).toBe(true);
  });

  it('matches an account by DUNS before name and postal code', async () => {
    const accountId = emulator.control.createRecord({ table: 'accounts', values: { name: 'Northwind (legal name)', cosell_duns: '123456789' } });
    const write = inbound('ref-duns');
    const customer = { account: { ...(write.customer?.account as NonNullable<NonNullable<CrmCreate['customer']>['account']>), name: 'Northwind', duns: '123456789' }, contacts: [] };
    const [created] = await connector.createRecords([{ ...write, customer }]);
    if (!created?.ok) throw new Error('create failed');
    expect(emulator.control.getRecord({ table: 'opportunities', id: created.id })?.['_parentaccountid_value']).toBe(accountId);
  });

  it('keys creates on referral ids holding quotes and commas, which the library would otherwise split', async () => {
    const ref = `ref,"odd" o'brien`;
    const [first] = await connector.createRecords([inbound(ref, { customer: null })]);
    const [again] = await connector.createRecords([inbound(ref, { customer: null })]);
    if (!first?.ok) throw new Error(`create failed: ${JSON.stringify(first)}`);
    expect(again).toEqual({ ok: true, id: first.id, version: first.version, created: false });
    expect(emulator.control.getRecord({ table: 'opportunities', id: first.id })?.['cosell_referralid']).toBe(ref);
  });

  it('refuses an unknown currency for that record only', async () => {
    const [bad] = await connector.createRecords([inbound('ref-xxx', { fields: { name: 'No such currency', 'transactioncurrencyid.isocurrencycode': 'XXX' } })]);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  });

  it('creates inbound leads in the lead table', async () => {
    const [lead] = await connector.createRecords([
      { kind: 'lead', fields: { subject: 'Marketplace lead', lastname: 'Lopez', companyname: 'Fabrikam Ltd' }, externalId: { field: 'cosell_referralid', value: 'lead-1' }, customer: null },
    ]);
    if (!lead?.ok) throw new Error(`lead failed: ${JSON.stringify(lead)}`);
    expect(emulator.control.getRecord({ table: 'leads', id: lead.id })?.['subject']).toBe('Marketplace lead');
  });

  it('wins an opportunity through the action and reopens it', async () => {
    const [created] = await connector.createRecords([inbound('ref-win')]);
    if (!created?.ok) throw new Error('create failed');
    const [won] = await connector.updateRecords([{ kind: 'opportunity', id: created.id, version: created.version, fields: { statecode: 1, statuscode: 3 } }]);
    if (!won?.ok) throw new Error(`win failed: ${JSON.stringify(won)}`);
    expect(emulator.control.getRecord({ table: 'opportunities', id: created.id })).toMatchObject({ statecode: 1, statuscode: 3 });
    // Sent again (a crash before the engine recorded it): the record is already won, so done.
    const [again] = await connector.updateRecords([{ kind: 'opportunity', id: created.id, version: created.version, fields: { statecode: 1, statuscode: 3 } }]);
    expect(again).toMatchObject({ ok: true, version: won.version });
    const [lostInstead] = await connector.updateRecords([{ kind: 'opportunity', id: created.id, version: won.version, fields: { statecode: 2, statuscode: 4 } }]);
    expect(lostInstead).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    const [reopened] = await connector.updateRecords([{ kind: 'opportunity', id: created.id, version: won.version, fields: { statecode: 0, statuscode: 1 } }]);
    expect(reopened).toMatchObject({ ok: true });
    expect(emulator.control.getRecord({ table: 'opportunities', id: created.id })).toMatchObject({ statecode: 0, statuscode: 1 });
  });

  it('a close refused for a stale version fails alone, and the records around it are written', async () => {
    const made = await connector.createRecords([inbound('sc-before', { customer: null }), inbound('sc-close', { customer: null }), inbound('sc-after', { customer: null })]);
    const [before, target, after] = made.map((o) => {
      if (!o.ok) throw new Error(`create failed: ${JSON.stringify(o)}`);
      return o;
    });
    if (!before || !target || !after) throw new Error('three creates expected');
    emulator.control.editRecord({ table: 'opportunities', id: target.id, values: { name: 'Edited by a person' } });
    const outcomes = await connector.updateRecords([
      { kind: 'opportunity', id: before.id, version: before.version, fields: { name: 'Before, updated' } },
      { kind: 'opportunity', id: target.id, version: target.version, fields: { statecode: 1, statuscode: 3 } },
      { kind: 'opportunity', id: after.id, version: after.version, fields: { name: 'After, updated' } },
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.kind))).toEqual(['ok', 'conflict', 'ok']);
    expect(emulator.control.getRecord({ table: 'opportunities', id: target.id })).toMatchObject({ statecode: 0, name: 'Edited by a person' });
    expect(emulator.control.getRecord({ table: 'opportunities', id: after.id })).toMatchObject({ name: 'After, updated' });
  });

  it('describes the tables so that the default mapping validates against the live metadata', async () => {
    const description = await connector.describe('opportunity');
    const byPath = new Map(description.fields.map((f) => [f.path, f]));
    expect(byPath.get('estimatedclosedate')?.type).toBe('date');
    // Lengths come from the String and Memo casts (a real org refuses MaxLength uncast).
    expect(byPath.get('name')).toMatchObject({ type: 'string', length: 300, required: true });
    expect(byPath.get('description')).toMatchObject({ type: 'textarea', length: 2000, required: false });
    expect(byPath.get('parentaccountid.name')?.length).toBe(160);
    expect(byPath.get('estimatedvalue')?.length).toBeNull();
    expect(byPath.get('statuscode')?.picklistValues).toEqual(expect.arrayContaining(['1', '2', '3', '4', '5', '100000001', '100000002']));
    expect(byPath.get('parentaccountid.name')).toMatchObject({ type: 'string', createable: false, updateable: false });
    expect(byPath.get('transactioncurrencyid.isocurrencycode')).toMatchObject({ updateable: true });
    const loaded = loadMappingFile('mappings/dynamics.yaml');
    if (!loaded.ok) throw new Error('the default mapping does not load');
    const descriptions = [description, await connector.describe('lead')];
    expect(checkAgainstDescription({ mapping: loaded.value, descriptions })).toEqual([]);
  });

  it('describes a table and the tables of its lookups in one request ($batch), once per connector', async () => {
    const fresh = createDynamicsConnector({ auth: { kind: 'staticToken', accessToken: TOKEN }, url: emulator.server.url }, { logger: pino({ level: 'silent' }), clock: systemClock });
    try {
      emulator.server.stats.reset();
      const opportunity = await fresh.describe('opportunity');
      await fresh.describe('lead');
      await fresh.describe('opportunity');
      expect(emulator.server.stats.log().map((e) => `${e.method} ${e.path}`)).toEqual(['POST /api/data/v9.2/$batch', 'POST /api/data/v9.2/$batch']);
      expect(opportunity).toEqual(await connector.describe('opportunity'));
    } finally {
      await fresh.close();
    }
  });

  it('reads by modifiedon when the table has no change tracking, logging it once', async () => {
    emulator.control.setChangeTracking({ table: 'opportunity', enabled: false });
    const read = async (cursor: string | null): Promise<{ items: CrmRecord[]; cursor: string | null }> => {
      const items: CrmRecord[] = [];
      let last = cursor;
      for await (const page of connector.readChanges({ kind: 'opportunity', fields: ['name'], cursor })) {
        items.push(...page.items);
        last = page.cursor;
      }
      return { items, cursor: last };
    };
    const all = await read(null);
    expect(all.items.length).toBe(emulator.control.count({ table: 'opportunities' }));
    const target = all.items[0];
    if (!target) throw new Error('no records');
    clock.advance(120_000);
    emulator.control.editRecord({ table: 'opportunities', id: target.id, values: { name: 'Edited without change tracking' } });
    const after = await read(all.cursor);
    expect(after.items.map((r) => [r.id, r.fields['name']])).toEqual([[target.id, 'Edited without change tracking']]);
    expect((await read(after.cursor)).items).toEqual([]);
    await read(null);
    expect(logLines.filter((l) => String(l['msg']).startsWith('change tracking is not enabled'))).toHaveLength(1);
  });
});
