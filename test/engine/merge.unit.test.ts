import { describe, expect, it } from '@jest/globals';
import { mergeThreeWay, type MergeRule } from '../../src/engine/merge.js';

const rule = (path: string, policy: MergeRule['policy'] = 'hold', direction: MergeRule['direction'] = 'both'): MergeRule => ({ path, direction, policy });
const base = { name: 'Deal', 'details.dealValue': 100, 'details.notes': 'n', status: 'Active/Accepted' };

describe('three-way merge', () => {
  it('sends a field changed only in the CRM to Partner Center, and one changed only in Partner Center to the CRM', () => {
    const out = mergeThreeWay({
      rules: [rule('name'), rule('details.dealValue')],
      base,
      crm: { ...base, name: 'Deal v2' },
      partnerCenter: { ...base, 'details.dealValue': 250 },
      crmChangedAt: null,
      partnerCenterChangedAt: null,
    });
    expect(out.toPartnerCenter).toEqual({ name: 'Deal v2' });
    expect(out.toCrm).toEqual({ 'details.dealValue': 250 });
    expect(out.held).toEqual([]);
    expect(out.base).toMatchObject({ name: 'Deal v2', 'details.dealValue': 250 });
  });

  it('treats 0 and the empty string as values, and an absent key as untouched', () => {
    const out = mergeThreeWay({
      rules: [rule('details.dealValue'), rule('details.notes'), rule('name')],
      base,
      crm: { 'details.dealValue': 0, 'details.notes': '' },
      partnerCenter: null,
      crmChangedAt: null,
      partnerCenterChangedAt: null,
    });
    expect(out.toPartnerCenter).toEqual({ 'details.dealValue': 0, 'details.notes': '' });
  });

  it('applies each declared policy when both sides changed a field differently', () => {
    const both = (policy: MergeRule['policy'], crmAt: string, pcAt: string) =>
      mergeThreeWay({
        rules: [rule('details.dealValue', policy)],
        base,
        crm: { 'details.dealValue': 111 },
        partnerCenter: { 'details.dealValue': 222 },
        crmChangedAt: crmAt,
        partnerCenterChangedAt: pcAt,
      });
    expect(both('crmWins', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z').toPartnerCenter).toEqual({ 'details.dealValue': 111 });
    expect(both('partnerCenterWins', '2026-01-02T00:00:00Z', '2026-01-01T00:00:00Z').toCrm).toEqual({ 'details.dealValue': 222 });
    expect(both('newestWins', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z').toCrm).toEqual({ 'details.dealValue': 222 });
    expect(both('newestWins', '2026-01-03T00:00:00Z', '2026-01-02T00:00:00Z').toPartnerCenter).toEqual({ 'details.dealValue': 111 });
    const held = both('hold', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z');
    expect(held.held).toEqual([{ path: 'details.dealValue', base: 100, crmValue: 111, partnerCenterValue: 222 }]);
    expect(held.toCrm).toEqual({});
    expect(held.toPartnerCenter).toEqual({});
    expect(held.base['details.dealValue']).toBe(100);
  });

  it('lets the CRM edit win newestWins when Partner Center changed within the same second, as CRM stamps carry whole seconds', () => {
    // Salesforce and Dataverse stamp a change with its second: an edit at 10:00:05.900 reads 10:00:05.
    const both = (crmAt: string, pcAt: string) =>
      mergeThreeWay({ rules: [rule('name', 'newestWins')], base, crm: { name: 'person' }, partnerCenter: { name: 'earlier write' }, crmChangedAt: crmAt, partnerCenterChangedAt: pcAt });
    expect(both('2026-01-02T10:00:05.000Z', '2026-01-02T10:00:05.310Z').toPartnerCenter).toEqual({ name: 'person' });
    expect(both('2026-01-02T10:00:05.000Z', '2026-01-02T10:00:05.999Z').toPartnerCenter).toEqual({ name: 'person' });
    expect(both('2026-01-02T10:00:05.000Z', '2026-01-02T10:00:06.000Z').toCrm).toEqual({ name: 'earlier write' });
  });

  it('writes nothing when both sides made the same change', () => {
    const out = mergeThreeWay({ rules: [rule('name')], base, crm: { name: 'Same' }, partnerCenter: { name: 'Same' }, crmChangedAt: null, partnerCenterChangedAt: null });
    expect(out).toMatchObject({ toCrm: {}, toPartnerCenter: {}, held: [] });
    expect(out.base['name']).toBe('Same');
  });

  it('respects one-way and create-only directions', () => {
    const out = mergeThreeWay({
      rules: [rule('name', 'hold', 'toPartnerCenter'), rule('details.notes', 'hold', 'toCrm'), rule('details.dealValue', 'hold', 'createOnly')],
      base,
      crm: { name: 'crm', 'details.notes': 'crm', 'details.dealValue': 1 },
      partnerCenter: { name: 'pc', 'details.notes': 'pc', 'details.dealValue': 2 },
      crmChangedAt: null,
      partnerCenterChangedAt: null,
    });
    expect(out.toPartnerCenter).toEqual({ name: 'crm' });
    expect(out.toCrm).toEqual({ 'details.notes': 'pc' });
    expect(out.held).toEqual([]);
  });

  it('compares lists and objects by value, in order', () => {
    const team = [{ email: 'a@x.test' }, { email: 'b@x.test' }];
    const out = mergeThreeWay({
      rules: [rule('team')],
      base: { team },
      crm: { team: [{ email: 'a@x.test' }, { email: 'b@x.test' }] },
      partnerCenter: { team: [{ email: 'b@x.test' }, { email: 'a@x.test' }] },
      crmChangedAt: null,
      partnerCenterChangedAt: null,
    });
    expect(out.toPartnerCenter).toEqual({});
    expect(out.toCrm).toEqual({ team: [{ email: 'b@x.test' }, { email: 'a@x.test' }] });
  });
});
