import { describe, expect, it } from '@jest/globals';
import { dateOnlyToUtc, utcToDateOnly } from '../../mappings/src/transforms/dates.js';
import { joinFullName, membersTransform, splitFullName } from '../../mappings/src/transforms/members.js';
import { roundMoney } from '../../mappings/src/transforms/scalars.js';
import { solutionListTransform } from '../../mappings/src/transforms/lists.js';
import type { FieldValue } from '../../src/domain/crm-record.js';

const env = { ctx: { timeZone: 'UTC' }, currency: null, mode: 'update' as const };
const reader =
  (fields: Record<string, FieldValue>) =>
  (p: string): FieldValue | undefined =>
    Object.hasOwn(fields, p) ? fields[p] : undefined;

describe('money', () => {
  it.each([
    { value: 1.005, currency: 'USD', rounded: 1.01 },
    { value: 0.1 + 0.2, currency: 'USD', rounded: 0.3 },
    { value: 1234.5, currency: 'JPY', rounded: 1235 },
    { value: 1.0005, currency: 'BHD', rounded: 1.001 },
    { value: -2.675, currency: 'EUR', rounded: -2.68 },
    { value: 0, currency: 'KWD', rounded: 0 },
  ])('rounds $value $currency to $rounded', ({ value, currency, rounded }) => {
    expect(roundMoney(value, currency)).toBe(rounded);
  });
});

describe('date-only <-> UTC date-time', () => {
  it.each([
    { anchor: 'orgMidnight', timeZone: 'Asia/Tokyo', utc: '2024-11-13T15:00:00.000Z' },
    { anchor: 'orgMidnight', timeZone: 'Pacific/Auckland', utc: '2024-11-13T11:00:00.000Z' },
    { anchor: 'orgMidnight', timeZone: 'Pacific/Honolulu', utc: '2024-11-14T10:00:00.000Z' },
    { anchor: 'orgNoon', timeZone: 'America/Los_Angeles', utc: '2024-11-14T20:00:00.000Z' },
    { anchor: 'utcMidnight', timeZone: 'America/Los_Angeles', utc: '2024-11-14T00:00:00.000Z' },
  ] as const)('sends 2024-11-14 as $utc ($anchor, $timeZone) and reads it back', ({ anchor, timeZone, utc }) => {
    expect(dateOnlyToUtc({ date: '2024-11-14', anchor, timeZone })).toBe(utc);
    expect(utcToDateOnly({ dateTime: utc, timeZone })).toBe('2024-11-14');
  });

  it("reads Partner Center's UTC-midnight dates as that calendar day, west of UTC too", () => {
    expect(utcToDateOnly({ dateTime: '2024-11-14T00:00:00Z', timeZone: 'Pacific/Honolulu' })).toBe('2024-11-14');
    expect(utcToDateOnly({ dateTime: '2024-11-14T00:00:00.0000000Z', timeZone: 'America/Los_Angeles' })).toBe('2024-11-14');
  });

  it('refuses dates that do not exist', () => {
    expect(dateOnlyToUtc({ date: '2024-02-30', anchor: 'orgMidnight', timeZone: 'UTC' })).toBeNull();
    expect(dateOnlyToUtc({ date: '14/11/2024', anchor: 'orgMidnight', timeZone: 'UTC' })).toBeNull();
  });
});

describe('names', () => {
  it('splits at the last space and joins back', () => {
    expect(splitFullName('Mary Ann Smith')).toEqual({ firstName: 'Mary Ann', lastName: 'Smith' });
    expect(splitFullName('Cher')).toEqual({ firstName: null, lastName: 'Cher' });
    expect(splitFullName('  ')).toEqual({ firstName: null, lastName: null });
    expect(joinFullName('Mary Ann', 'Smith')).toBe('Mary Ann Smith');
    expect(joinFullName(null, 'Cher')).toBe('Cher');
  });

  it('reads a full-name field into first and last name and writes it back', () => {
    const t = membersTransform({ crm: 'owner', rows: false, fields: { fullName: 'fullname', email: 'email' }, primaryField: null });
    const out = t.fromCrm(reader({ 'owner.fullname': 'Kim Lee', 'owner.email': 'kim@x.example' }), env);
    expect(out).toEqual({ kind: 'value', value: [{ firstName: 'Kim', lastName: 'Lee', email: 'kim@x.example', phoneNumber: null, title: null }] });
    if (out.kind !== 'value') throw new Error('no value');
    expect(t.toCrm(out.value, env)).toEqual({ ok: true, fields: { 'owner.fullname': 'Kim Lee', 'owner.email': 'kim@x.example' } });
  });

  it('reads an empty lookup as no one, and a lookup the record lacks as absent', () => {
    const t = membersTransform({ crm: 'parentcontactid', rows: false, fields: { lastName: 'lastname' }, primaryField: null });
    expect(t.fromCrm(reader({ 'parentcontactid.lastname': null }), env)).toEqual({ kind: 'value', value: [] });
    expect(t.fromCrm(reader({}), env)).toEqual({ kind: 'absent' });
  });
});

describe('solution lists', () => {
  const t = solutionListTransform({ crm: 'Solution_Ids__c', separator: ';' });
  it('splits, trims and skips empty ids', () => {
    expect(t.fromCrm(reader({ Solution_Ids__c: 'SOL-1; SOL-2;;' }), env)).toEqual({
      kind: 'value',
      value: [
        { id: 'SOL-1', name: null, type: null },
        { id: 'SOL-2', name: null, type: null },
      ],
    });
  });
  it('writes an empty list as a cleared field', () => {
    expect(t.toCrm([], env)).toEqual({ ok: true, fields: { Solution_Ids__c: null } });
    expect(t.fromCrm(reader({ Solution_Ids__c: null }), env)).toEqual({ kind: 'value', value: [] });
  });
});
