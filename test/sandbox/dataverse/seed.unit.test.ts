import { describe, expect, it } from '@jest/globals';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createDataverseEmulator } from '../../../sandbox/dataverse/index.js';

const at = new Date('2026-03-02T09:00:00Z');
const seeded = (seed: number, size = 200) => createDataverseEmulator({ clock: new SandboxClock(at), seed, size });

describe('seeded Dataverse org (deterministic data of any size)', () => {
  it('gives the same org for the same seed and a different one for another seed', () => {
    const a = seeded(11);
    const b = seeded(11);
    const c = seeded(12);
    expect(a.seeded).toEqual(b.seeded);
    const strip = (record: Record<string, unknown> | undefined): Record<string, unknown> => {
      const { createdon: _c, modifiedon: _m, ...rest } = record ?? {};
      return rest;
    };
    expect(strip(a.control.getRecord({ table: 'systemusers', id: a.seeded.callerId }))).toEqual(strip(b.control.getRecord({ table: 'systemusers', id: b.seeded.callerId })));
    expect(a.control.count({ table: 'opportunities', column: 'cosell_syncwithpartnercenter', value: true })).toBe(b.control.count({ table: 'opportunities', column: 'cosell_syncwithpartnercenter', value: true }));
    expect(c.seeded.callerId).not.toBe(a.seeded.callerId);
  });

  it('seeds the tables the connectors read, with the documented shapes', () => {
    const { control, seeded: result } = seeded(5, 300);
    expect(result.counts).toMatchObject({ opportunity: 300, account: 30, contact: 60, lead: 30, transactioncurrency: 5 });
    for (const iso of ['USD', 'EUR', 'GBP', 'JPY', 'INR']) expect(control.count({ table: 'transactioncurrencies', column: 'isocurrencycode', value: iso })).toBe(1);
    const synced = control.count({ table: 'opportunities', column: 'cosell_syncwithpartnercenter', value: true });
    expect(synced).toBeGreaterThan(30);
    expect(synced).toBeLessThan(150);
    expect(control.count({ table: 'accounts', column: 'cosell_duns', value: null })).toBeLessThan(30);
    expect(control.count({ table: 'opportunities', column: '_parentaccountid_value', value: null })).toBe(0);
    expect(control.count({ table: 'opportunities', column: 'statecode', value: 1 })).toBeGreaterThan(0);
    expect(control.count({ table: 'opportunities', column: 'statecode', value: 2 })).toBeGreaterThan(0);
  });
});
