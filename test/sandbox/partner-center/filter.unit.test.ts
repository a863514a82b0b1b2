import { describe, expect, it } from '@jest/globals';
import { compileFilter, FilterUnsupportedError } from '../../../sandbox/partner-center/filter/compile.js';
import { parseFilter } from '../../../sandbox/partner-center/filter/parser.js';
import { FilterSyntaxError, tokenize } from '../../../sandbox/partner-center/filter/tokenizer.js';

const all = { externalReferenceId: true, updatedDateTimeRange: true };
const referral = {
  status: 'Active',
  substatus: 'Accepted',
  direction: 'Outgoing',
  type: 'Shared',
  externalReferenceId: null,
  engagementId: 'c0ffee00-0000-4000-8000-000000000001',
  updatedDateTime: '2026-03-02T09:00:00.1234567Z',
  details: { dealValue: 25000 },
  customerProfile: { address: { country: 'US' }, team: [{ email: 'cio@fabrikam.example' }] },
  team: [{ email: 'a@partner.example' }, { email: 'b@partner.example' }],
};
const matches = (filter: string, caps = all) => compileFilter(filter, caps)(referral);

describe('$filter tokenizer', () => {
  it("reads quoted strings with '' escapes, bare timestamps and GUIDs", () => {
    const tokens = tokenize("name eq 'O''Brien' and updatedDateTime gt 2026-03-02T09:00:00.1234567Z or engagementId eq c0ffee00-0000-4000-8000-000000000001");
    expect(tokens.filter((t) => t.kind === 'string').map((t) => ('value' in t ? t.value : ''))).toEqual([
      "O'Brien",
      'c0ffee00-0000-4000-8000-000000000001',
    ]);
    expect(tokens.find((t) => t.kind === 'datetime')).toEqual(expect.objectContaining({ value: '2026-03-02T09:00:00.1234567Z' }));
  });

  it('reports where an unterminated string starts', () => {
    expect(() => tokenize("status eq 'New")).toThrow(FilterSyntaxError);
  });
});

describe('$filter parser', () => {
  it('binds and tighter than or', () => {
    const tree = parseFilter("status eq 'A' or status eq 'B' and type eq 'C'");
    expect(tree.kind).toBe('or');
    expect(tree.kind === 'or' && tree.right.kind).toBe('and');
  });

  it('parses any() lambdas over nested collections', () => {
    const tree = parseFilter("customerProfile/team/any(c:c/email eq 'x')");
    expect(tree).toEqual(
      expect.objectContaining({ kind: 'any', path: ['customerProfile', 'team'], variable: 'c' }),
    );
  });

  it.each(["status eq", "status eq 'x')", "(status eq 'x'", "status foo 'x'", "eq 'x'"])('refuses %s', (input) => {
    expect(() => parseFilter(input)).toThrow(FilterSyntaxError);
  });
});

describe('$filter evaluation', () => {
  it.each([
    ["status eq 'Active'", true],
    ["status ne 'Active'", false],
    ["status eq 'active'", false],
    ["(status eq 'New' or status eq 'Active') and direction eq 'Outgoing'", true],
    ["not (status eq 'Active')", false],
    ["customerProfile/address/country eq 'US'", true],
    ["team/any(t:t/email eq 'b@partner.example')", true],
    ["team/any(t:t/email eq 'c@partner.example')", false],
    ["customerProfile/team/any(c:c/email eq 'cio@fabrikam.example')", true],
    ['externalReferenceId eq null', true],
    ["externalReferenceId eq 'x'", false],
    ['details/dealValue ge 25000', true],
    ['details/dealValue gt 25000', false],
    ['updatedDateTime gt 2026-03-02T09:00:00.123Z', true],
    ['updatedDateTime lt 2026-03-02T09:00:00.1234567Z', false],
    ['updatedDateTime le 2026-03-02T09:00:00.1234567Z', true],
    ["updatedDateTime ge '2026-03-02T10:00:00+01:00'", true],
    ['engagementId eq c0ffee00-0000-4000-8000-000000000001', true],
  ])('%s -> %s', (filter, expected) => {
    expect(matches(filter)).toBe(expected);
  });

  it('refuses unknown properties and mistyped literals', () => {
    expect(() => matches("colour eq 'red'")).toThrow(FilterUnsupportedError);
    expect(() => matches("details/dealValue gt '5'")).toThrow(FilterUnsupportedError);
    expect(() => matches("status/any(s:s eq 'x')")).toThrow(FilterUnsupportedError);
    expect(() => matches("team/any(t:t/phoneNumber eq '1')")).toThrow(FilterUnsupportedError);
  });

  it('honours the switches for two readings', () => {
    const none = { externalReferenceId: false, updatedDateTimeRange: false };
    expect(() => matches("externalReferenceId eq 'x'", none)).toThrow(FilterUnsupportedError);
    expect(() => matches('updatedDateTime gt 2026-01-01T00:00:00Z', none)).toThrow(FilterUnsupportedError);
    expect(matches('updatedDateTime eq 2026-03-02T09:00:00.1234567Z', none)).toBe(true);
  });
});
