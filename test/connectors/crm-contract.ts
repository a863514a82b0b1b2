/**
 * The CRM connector contract suite: one set of behaviours every CrmConnector must
 * show, run against each implementation (Salesforce, Dataverse) through its emulator. The suite
 * acts on the CRM only through `CrmTestControl`, the way a person in the CRM would, so it names
 * no vendor; the setup says which fields play which part.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { CrmObjectKind, CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import type { ChangePage, CrmConnector, CrmCreate } from '../../connectors/types.js';

/** Which fields of the CRM's opportunity play which part in the suite. */
export interface CrmContractFields {
  /** Boolean participation flag ("sync with Partner Center"). */
  flag: string;
  /** Unique external-id field (alternate key) the connector upserts on. */
  externalId: string;
  /** A plain text field a person edits; the CRM requires it (the record's name). */
  text: string;
  /** A text field the CRM lets a person leave empty. */
  optionalText: string;
  /** A currency or number field. */
  amount: string;
  /** Other fields a create needs to succeed (stage, close date, ...). */
  requiredOnCreate: Record<string, FieldValue>;
  /** A value the CRM rejects, to make one record of a batch fail. */
  rejected: { field: string; value: FieldValue };
}

/** What the suite may do to the CRM behind the connector's back, as a person would. */
export interface CrmTestControl {
  fields: CrmContractFields;
  /** Records per API page the connector was configured with (to check paging happened). */
  pageSize: number;
  createRecord(args: { kind: CrmObjectKind; fields: Record<string, FieldValue> }): Promise<string>;
  updateRecord(args: { kind: CrmObjectKind; id: string; fields: Record<string, FieldValue> }): Promise<void>;
  deleteRecord(args: { kind: CrmObjectKind; id: string }): Promise<void>;
  /** The record's field values as the CRM holds them, or null when it does not exist. */
  readRecord(args: { kind: CrmObjectKind; id: string }): Promise<Record<string, unknown> | null>;
  /** How many live records hold `value` in `field`; without a field, how many live records exist. */
  countRecords(args: { kind: CrmObjectKind; field?: string; value?: FieldValue }): Promise<number>;
  /** Moves the CRM's clock on, so a later write gets a later change stamp. */
  advanceClock(ms: number): Promise<void> | void;
  /** How many accounts carry this name (CRMs that make customers' accounts). */
  countAccounts?(name: string): Promise<number>;
}

export interface CrmContractSetup {
  connector: CrmConnector;
  control: CrmTestControl;
  cleanup: () => Promise<void>;
}

async function readAll(connector: CrmConnector, fields: readonly string[], cursor: string | null) {
  const pages: ChangePage<CrmRecord>[] = [];
  for await (const page of connector.readChanges({ kind: 'opportunity', fields, cursor })) pages.push(page);
  return { pages, items: pages.flatMap((p) => p.items), deletedIds: pages.flatMap((p) => p.deletedIds), cursor: pages.at(-1)?.cursor ?? cursor };
}

/**
 * `customers`: the CRM makes and matches the customer's account for a create that names one
 * (the real connectors; the in-memory fake only keeps what it was given).
 */
export function runCrmConnectorContract(args: { name: string; customers?: boolean; setup: () => Promise<CrmContractSetup> }): void {
  const itWithCustomers = args.customers === true ? it : it.skip;
  describe(`CRM connector contract: ${args.name}`, () => {
    let connector: CrmConnector;
    let control: CrmTestControl;
    let cleanup: () => Promise<void>;
    let f: CrmContractFields;
    let mapped: string[];
    let serial = 0;
    const unique = (label: string): string => `${label}-${Date.now().toString(36)}-${(serial += 1)}`;

    const draft = (extra: Partial<Record<string, FieldValue>> = {}): CrmCreate => {
      const ref = unique('ref');
      return {
        kind: 'opportunity',
        fields: { ...f.requiredOnCreate, [f.text]: `Deal ${ref}`, [f.amount]: 0, [f.flag]: true, ...extra } as Record<string, FieldValue>,
        externalId: { field: f.externalId, value: ref },
        customer: null,
      };
    };

    beforeAll(async () => {
      ({ connector, control, cleanup } = await args.setup());
      f = control.fields;
      mapped = [f.flag, f.externalId, f.text, f.amount];
    });
    afterAll(async () => {
      await connector.close();
      await cleanup();
    });

    it('reads every record once from the beginning, across pages', async () => {
      const { pages, items } = await readAll(connector, mapped, null);
      const ids = items.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(await control.countRecords({ kind: 'opportunity' }));
      if (ids.length > control.pageSize) expect(pages.filter((p) => p.items.length > 0).length).toBeGreaterThan(1);
      const stamps = items.map((r) => Date.parse(r.stamp));
      expect(stamps.every((s, i) => i === 0 || s >= (stamps[i - 1] ?? s))).toBe(true);
    });

    it('returns after the cursor the record a person edited, and nothing else', async () => {
      const before = await readAll(connector, mapped, null);
      const target = before.items[0];
      if (!target) throw new Error('the CRM holds no record to edit');
      await control.advanceClock(2000);
      await control.updateRecord({ kind: 'opportunity', id: target.id, fields: { [f.text]: 'Edited by a person' } });
      const after = await readAll(connector, mapped, before.cursor);
      expect(after.items.map((r) => r.id)).toEqual([target.id]);
      expect(after.items[0]?.fields[f.text]).toBe('Edited by a person');
      expect(Date.parse(after.items[0]?.stamp ?? '')).toBeGreaterThan(Date.parse(target.stamp));
      const idle = await readAll(connector, mapped, after.cursor);
      expect(idle.items).toEqual([]);
    });

    it('reports a deleted record in deletedIds', async () => {
      const id = await control.createRecord({ kind: 'opportunity', fields: { ...f.requiredOnCreate, [f.text]: 'To be deleted' } });
      const before = await readAll(connector, mapped, null);
      expect(before.items.map((r) => r.id)).toContain(id);
      await control.advanceClock(2000);
      await control.deleteRecord({ kind: 'opportunity', id });
      const after = await readAll(connector, mapped, before.cursor);
      expect(after.deletedIds).toContain(id);
      expect(after.items.map((r) => r.id)).not.toContain(id);
    });

    it('creates idempotently on the external id: twice gives one record', async () => {
      const write = draft();
      const [first] = await connector.createRecords([write]);
      const [second] = await connector.createRecords([write]);
      expect(first).toMatchObject({ ok: true, created: true });
      expect(second).toMatchObject({ ok: true, created: false });
      if (first?.ok && second?.ok) expect(second.id).toBe(first.id);
      expect(await control.countRecords({ kind: 'opportunity', field: f.externalId, value: write.externalId.value })).toBe(1);
    });

    it('writes an update carrying the current version and returns the new version', async () => {
      const [created] = await connector.createRecords([draft()]);
      if (!created?.ok) throw new Error('create failed');
      await control.advanceClock(2000);
      const [updated] = await connector.updateRecords([{ kind: 'opportunity', id: created.id, version: created.version, fields: { [f.amount]: 125000 } }]);
      expect(updated).toMatchObject({ ok: true, id: created.id, created: false });
      if (updated?.ok) expect(updated.version).not.toBe(created.version);
      expect((await control.readRecord({ kind: 'opportunity', id: created.id }))?.[f.amount]).toBe(125000);
    });

    it('holds an update with a stale version as a conflict and keeps the person\'s value', async () => {
      const [created] = await connector.createRecords([draft()]);
      if (!created?.ok) throw new Error('create failed');
      await control.advanceClock(2000);
      await control.updateRecord({ kind: 'opportunity', id: created.id, fields: { [f.text]: 'A person typed this' } });
      const [outcome] = await connector.updateRecords([{ kind: 'opportunity', id: created.id, version: created.version, fields: { [f.text]: 'Stale sync value' } }]);
      expect(outcome).toMatchObject({ ok: false, error: { kind: 'conflict' } });
      expect((await control.readRecord({ kind: 'opportunity', id: created.id }))?.[f.text]).toBe('A person typed this');
    });

    it('fails only the bad record of a batch and writes its neighbours', async () => {
      const writes = [draft(), draft({ [f.rejected.field]: f.rejected.value }), draft()];
      const outcomes = await connector.createRecords(writes);
      expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
      expect(outcomes[1]).toMatchObject({ ok: false, error: { kind: 'invalid' } });
      for (const w of [writes[0], writes[2]]) {
        expect(await control.countRecords({ kind: 'opportunity', field: f.externalId, value: w?.externalId.value ?? '' })).toBe(1);
      }
      expect(await control.countRecords({ kind: 'opportunity', field: f.externalId, value: writes[1]?.externalId.value ?? '' })).toBe(0);
    });

    it('gets records by id (missing ids absent) and finds them by external id', async () => {
      const write = draft({ [f.amount]: 42 });
      const [created] = await connector.createRecords([write]);
      if (!created?.ok) throw new Error('create failed');
      const other = await control.createRecord({ kind: 'opportunity', fields: { ...f.requiredOnCreate, [f.text]: 'Other' } });
      await control.deleteRecord({ kind: 'opportunity', id: other });
      const got = await connector.getRecords({ kind: 'opportunity', ids: [created.id, other], fields: mapped });
      expect(got.map((r) => r.id)).toEqual([created.id]);
      expect(got[0]).toMatchObject({ kind: 'opportunity', version: created.version, fields: { [f.amount]: 42, [f.externalId]: write.externalId.value } });
      const found = await connector.findByExternalId({ kind: 'opportunity', field: f.externalId, values: [write.externalId.value, 'no-such-ref'], fields: mapped });
      expect(found.map((r) => r.id)).toEqual([created.id]);
    });

    it('finds nothing, without an error, for an id that is not one of this CRM\'s ids', async () => {
      expect(await connector.getRecords({ kind: 'opportunity', ids: ['not-an-id', "x' OR Name != '"], fields: mapped })).toEqual([]);
    });

    itWithCustomers('makes the customer\'s account once and finds it for the next deal of that customer', async () => {
      const account = { name: unique('Kunde GmbH'), street: '5 Hauptstraße', city: 'München', state: 'BY', postalCode: '80331', country: 'DE', duns: '315349521' };
      const contacts = [{ firstName: 'Jörg', lastName: 'Müller', email: `${unique('joerg')}@kunde.example`, phone: null, title: 'CIO' }];
      const outcomes = await connector.createRecords([{ ...draft(), customer: { account, contacts } }]);
      expect(outcomes).toEqual([expect.objectContaining({ ok: true, created: true })]);
      expect(await connector.createRecords([{ ...draft(), customer: { account, contacts } }])).toEqual([expect.objectContaining({ ok: true, created: true })]);
      expect(await control.countAccounts?.(account.name)).toBe(1);
    });

    it('describes the mapped fields with their types and permissions', async () => {
      const description = await connector.describe('opportunity');
      const byPath = new Map(description.fields.map((d) => [d.path, d]));
      for (const path of mapped) expect(byPath.has(path)).toBe(true);
      expect(byPath.get(f.flag)?.type).toBe('boolean');
      expect(['currency', 'number']).toContain(byPath.get(f.amount)?.type);
      expect(byPath.get(f.text)).toMatchObject({ createable: true, updateable: true, required: true });
      expect(byPath.get(f.optionalText)).toMatchObject({ updateable: true, required: false });
    });
  });
}
