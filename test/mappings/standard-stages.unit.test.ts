/**
 * Orgs with only the standard opportunity stages (Salesforce) or status reasons (Dynamics): a
 * mapping for them loads, new records created from referrals get a stage, and the validator says
 * how to map a referral nobody has answered yet.
 */
import { describe, expect, it } from '@jest/globals';
import { isMap, isSeq, parseDocument } from 'yaml';
import { parseMapping, type Mapping, type MappingProblem } from '../../mappings/index.js';
import { mappingTextFor } from '../support/org-mappings.js';
import { referral } from './fixtures.js';

const ctx = { timeZone: 'UTC' };
const STANDARD = { cosellStages: false, duns: true } as const;

function load(text: string): { mapping: Mapping | null; problems: MappingProblem[] } {
  const loaded = parseMapping({ text, file: 'org.yaml' });
  return loaded.ok ? { mapping: loaded.value, problems: [] } : { mapping: null, problems: loaded.error };
}

/** The Salesforce standard-stages mapping with its StageName value map and onCreate edited. */
function salesforceWith(edit: { fromCrm?: Record<string, string>; toCrm?: Record<string, string | null>; onCreate?: Record<string, unknown> }): string {
  const doc = parseDocument(mappingTextFor('salesforce', STANDARD));
  const fields = doc.getIn(['opportunity', 'fields']);
  const rule = isSeq(fields) ? fields.items.find((r) => isMap(r) && r.get('crm') === 'StageName') : undefined;
  if (!isMap(rule)) throw new Error('no StageName rule');
  for (const [k, v] of Object.entries(edit.fromCrm ?? {})) rule.setIn(['transform', 'valueMap', 'fromCrm', k], v);
  for (const [k, v] of Object.entries(edit.toCrm ?? {})) rule.setIn(['transform', 'valueMap', 'toCrm', k], v);
  for (const [k, v] of Object.entries(edit.onCreate ?? {})) doc.setIn(['opportunity', 'onCreate', k], v);
  return doc.toString();
}

describe('a mapping for an org with only the standard stages', () => {
  it.each(['salesforce', 'dynamics'] as const)('loads offline for %s once the co-sell values are mapped to standard ones', (system) => {
    expect(load(mappingTextFor(system, STANDARD)).problems.map((p) => p.message)).toEqual([]);
  });

  it('refuses a stage the org does not have, saying where the org lists its own', () => {
    const { problems } = load(salesforceWith({ toCrm: { 'Closed/Declined': 'Declined' } }));
    expect(problems.map((p) => p.message)).toEqual([expect.stringContaining('"Declined" is not a StageName value; if your org has it (`cosell-sync crm setup` adds')]);
  });

  it('creates records from referrals in the onCreate stage when New/Pending maps to no stage', () => {
    const { mapping, problems } = load(salesforceWith({ toCrm: { 'New/Pending': null, 'New/Received': null }, onCreate: { StageName: 'Prospecting' } }));
    expect(problems).toEqual([]);
    const om = (mapping as Mapping).opportunity;
    const values = om.fromReferral(referral({ status: 'New', substatus: 'Pending' }), ctx).values;
    expect(values['status']).toBe('New/Pending');
    const { fields } = om.toCrmFields({ values, ctx, mode: 'create' });
    expect(fields['StageName']).toBe('Prospecting');
    // A status that has a stage still writes it over the onCreate one.
    expect(om.toCrmFields({ values: { status: 'Closed/Won' }, ctx, mode: 'create' }).fields['StageName']).toBe('Closed Won');
  });

  it('says how to map New/Pending when it would read back as accepted', () => {
    const { problems } = load(salesforceWith({ fromCrm: { Prospecting: 'Active/Accepted' } }));
    const message = problems.map((p) => p.message).join('\n');
    expect(message).toContain('"New/Pending" becomes "Prospecting", which reads back as "Active/Accepted" (a referral that lands would count as accepted at once)');
    expect(message).toContain('let "Prospecting" mean it (fromCrm "Prospecting": New/Pending)');
    expect(message).toContain('`cosell-sync crm setup` adds On Hold');
  });

  it('refuses an onCreate stage that reads back as accepted: every referral would be accepted on landing', () => {
    const { problems } = load(
      salesforceWith({ fromCrm: { Prospecting: 'Active/Accepted' }, toCrm: { 'New/Pending': null, 'New/Received': null }, onCreate: { StageName: 'Prospecting' } }),
    );
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringContaining('records created from referrals start with StageName "Prospecting" (onCreate), which reads back as "Active/Accepted": every referral that lands would be accepted at once'),
    ]);
  });
});
