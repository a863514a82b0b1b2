import { describe, expect, it } from '@jest/globals';
import { SandboxClock } from '../../../sandbox/shared/clock.js';
import { createSalesforceEmulator } from '../../../sandbox/salesforce/index.js';
import { caseSafeSuffix, looksLikeId, mintId, toId18 } from '../../../sandbox/salesforce/model/ids.js';
import { StampIndex } from '../../../sandbox/salesforce/model/stamp-index.js';

type Rec = Record<string, unknown>;

function seeded(seed: number, participatingRate?: number) {
  const clock = new SandboxClock(new Date('2025-06-01T00:00:00Z'));
  return createSalesforceEmulator({ clock, seed, size: 300, ...(participatingRate === undefined ? {} : { options: { participatingRate } }) }).control;
}

describe('seeded data', () => {
  it('is the same for the same seed and differs for another', () => {
    const soql = 'SELECT Id, Name, Amount, StageName, Account.Name, Account.DUNS__c FROM Opportunity ORDER BY Id';
    const a = seeded(7).query({ soql });
    expect(seeded(7).query({ soql })).toEqual(a);
    expect(seeded(8).query({ soql })).not.toEqual(a);
  });

  it('has accounts with billing address, ISO country code and some DUNS, and the participating share asked for', () => {
    const control = seeded(9, 0.5);
    const accounts = control.query({ soql: 'SELECT BillingStreet, BillingCity, BillingPostalCode, BillingCountryCode, BillingCountry, DUNS__c FROM Account' }) as Rec[];
    expect(accounts.every((a) => typeof a['BillingCity'] === 'string' && /^[A-Z]{2}$/.test(String(a['BillingCountryCode'])))).toBe(true);
    const withDuns = accounts.filter((a) => /^\d{9}$/.test(String(a['DUNS__c']))).length;
    expect(withDuns).toBeGreaterThan(0);
    expect(withDuns).toBeLessThan(accounts.length);
    const participating = control.countRecords({ type: 'Opportunity', field: 'Sync_With_Partner_Center__c', value: true });
    expect(participating).toBeGreaterThan(110);
    expect(participating).toBeLessThan(190);
    expect(seeded(9, 0).countRecords({ type: 'Opportunity', field: 'Sync_With_Partner_Center__c', value: true })).toBe(0);
  });

  it('derives every seeded opportunity from its stage', () => {
    const rows = seeded(4).query({ soql: 'SELECT StageName, IsClosed, IsWon FROM Opportunity' }) as Rec[];
    const closedWon = rows.filter((r) => r['StageName'] === 'Closed Won');
    expect(closedWon.length).toBeGreaterThan(0);
    expect(closedWon.every((r) => r['IsClosed'] === true && r['IsWon'] === true)).toBe(true);
    expect(rows.filter((r) => r['StageName'] === 'Prospecting').every((r) => r['IsClosed'] === false)).toBe(true);
  });
});

describe('record ids', () => {
  it('mints 18-character ids with the key prefix and a valid case-safe suffix', () => {
    const id = mintId({ keyPrefix: '006', n: 12345 });
    expect(id).toMatch(/^006[A-Za-z0-9]{15}$/);
    expect(caseSafeSuffix(id.slice(0, 15))).toBe(id.slice(15));
    expect(toId18(id.slice(0, 15))).toBe(id);
    expect(looksLikeId(`${id.slice(0, 15)}AAA`)).toBe(id.endsWith('AAA'));
    expect(toId18('006-bad')).toBeUndefined();
  });
});

describe('stamp index', () => {
  it('walks rows in (stamp, id) order from a bound, skipping superseded entries', () => {
    const index = new StampIndex();
    index.record('b', 10);
    index.record('a', 10);
    index.record('c', 20);
    index.record('a', 30);
    expect(index.scan({})).toEqual(['b', 'c', 'a']);
    expect(index.scan({ from: 20 })).toEqual(['c', 'a']);
    expect(index.scan({ from: 20, inclusive: false })).toEqual(['a']);
    expect(index.scan({ descending: true })).toEqual(['a', 'c', 'b']);
  });

  it('puts an older stamp in place and restores a rolled-back row without duplicates', () => {
    const index = new StampIndex();
    index.record('a', 10);
    index.record('b', 20);
    index.record('c', 15);
    expect(index.scan({})).toEqual(['a', 'c', 'b']);
    index.record('a', 30);
    index.revert('a', 10);
    index.record('a', 30);
    index.revert('a', 10);
    expect(index.scan({})).toEqual(['a', 'c', 'b']);
    index.revert('b', undefined);
    expect(index.scan({})).toEqual(['a', 'c']);
  });

  it('compacts stale entries without losing live ones', () => {
    const index = new StampIndex();
    for (let i = 0; i < 3000; i += 1) index.record(`r${i % 10}`, i);
    index.compactIfNeeded();
    expect(index.scan({})).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
  });
});
