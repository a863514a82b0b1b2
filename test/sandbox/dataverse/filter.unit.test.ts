import { describe, expect, it } from '@jest/globals';
import { compileFilter } from '../../../sandbox/dataverse/odata/filter-eval.js';
import { FilterSyntaxError, filterProperties, parseFilter } from '../../../sandbox/dataverse/odata/filter-parser.js';

type Item = Record<string, string | number | boolean | null>;

function matches(filter: string, items: Item[]): Item[] {
  const predicate = compileFilter<Item>(parseFilter(filter), (name) => (item) => item[name] ?? null);
  return items.filter(predicate);
}

const rows: Item[] = [
  { name: "O'Brien Ltd - Azure", value: 125000, state: 0, flag: true, acct: '0a1b2c3d-0000-0000-0000-000000000001', modifiedon: '2024-05-02T17:21:09Z', close: '2024-09-30' },
  { name: 'Contoso - Dynamics', value: 0, state: 1, flag: false, acct: null, modifiedon: '2024-04-30T23:59:59Z', close: '2024-10-01' },
  { name: 'Fabrikam', value: null, state: 2, flag: null, acct: '0A1B2C3D-0000-0000-0000-000000000002', modifiedon: '2024-05-01T00:00:00Z', close: null },
];
const names = (items: Item[]): unknown[] => items.map((i) => i['name']);

describe('$filter parser and evaluator', () => {
  it('compares numbers with every operator, including the zero amount', () => {
    expect(names(matches('value eq 0', rows))).toEqual(['Contoso - Dynamics']);
    expect(names(matches('value gt 0', rows))).toEqual(["O'Brien Ltd - Azure"]);
    expect(names(matches('value ge 0 and value le 125000', rows))).toHaveLength(2);
    expect(names(matches('value lt 1.5', rows))).toEqual(['Contoso - Dynamics']);
    expect(names(matches('value ne 0', rows))).toEqual(["O'Brien Ltd - Azure", 'Fabrikam']);
  });

  it('unescapes doubled quotes in string literals', () => {
    expect(names(matches("name eq 'O''Brien Ltd - Azure'", rows))).toEqual(["O'Brien Ltd - Azure"]);
    expect(names(matches("startswith(name,'o''brien')", rows))).toEqual(["O'Brien Ltd - Azure"]);
  });

  it('handles null, booleans, not and parentheses with the usual precedence', () => {
    expect(names(matches('acct eq null', rows))).toEqual(['Contoso - Dynamics']);
    expect(names(matches('flag eq true or state eq 2', rows))).toEqual(["O'Brien Ltd - Azure", 'Fabrikam']);
    expect(names(matches('not (state eq 0) and flag ne true', rows))).toEqual(['Contoso - Dynamics', 'Fabrikam']);
    expect(names(matches('state eq 1 or state eq 2 and flag eq false', rows))).toEqual(['Contoso - Dynamics']);
    expect(names(matches('(state eq 1 or state eq 2) and flag eq null', rows))).toEqual(['Fabrikam']);
  });

  it('compares unquoted GUIDs without regard to case', () => {
    expect(names(matches('acct eq 0a1b2c3d-0000-0000-0000-000000000002', rows))).toEqual(['Fabrikam']);
  });

  it('compares datetimes in UTC, converting offsets, and date-only columns', () => {
    expect(names(matches('modifiedon ge 2024-05-01T00:00:00Z', rows))).toEqual(["O'Brien Ltd - Azure", 'Fabrikam']);
    expect(names(matches('modifiedon lt 2024-05-01T02:00:00+02:00', rows))).toEqual(['Contoso - Dynamics']);
    expect(names(matches('close le 2024-09-30', rows))).toEqual(["O'Brien Ltd - Azure"]);
    expect(names(matches('close gt 2024-09-30T12:00:00Z', rows))).toEqual(['Contoso - Dynamics']);
  });

  it('supports contains, endswith and Microsoft.Dynamics.CRM.In', () => {
    expect(names(matches("contains(name,'AZURE')", rows))).toEqual(["O'Brien Ltd - Azure"]);
    expect(names(matches("endswith(name,'kam')", rows))).toEqual(['Fabrikam']);
    expect(names(matches("Microsoft.Dynamics.CRM.In(PropertyName='state',PropertyValues=['0','2'])", rows))).toEqual(["O'Brien Ltd - Azure", 'Fabrikam']);
  });

  it('lists the properties a filter reads, lookups included', () => {
    expect(filterProperties(parseFilter("_parentaccountid_value eq 0a1b2c3d-0000-0000-0000-000000000001 and contains(name,'x')"))).toEqual([
      '_parentaccountid_value',
      'name',
    ]);
  });

  it('rejects bad syntax with a position', () => {
    expect(() => parseFilter("name eq 'open")).toThrow(FilterSyntaxError);
    expect(() => parseFilter('name eq')).toThrow(/position 7/);
    expect(() => parseFilter('(state eq 1')).toThrow(FilterSyntaxError);
    expect(() => parseFilter('state 1')).toThrow(/comparison operator/);
  });
});
