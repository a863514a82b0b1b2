import { describe, expect, it } from '@jest/globals';
import { OrgStore } from '../../../sandbox/dataverse/model/store.js';
import { changedIds } from '../../../sandbox/dataverse/ops/delta.js';
import { allTables } from '../../../sandbox/dataverse/schema/tables.js';
import type { Row } from '../../../sandbox/dataverse/model/row.js';

function row(store: OrgStore, id: string, values: Row['values']): Row {
  return { id, version: store.nextVersion(), values, targets: {} };
}

describe('org store', () => {
  it('rolls back every row, key and change-log entry of a failed atomic block', () => {
    const store = new OrgStore({ tables: allTables() });
    const opportunities = store.table('opportunity');
    store.put(opportunities, row(store, 'a', { name: 'A', cosell_referralid: 'R1' }));
    const logLength = opportunities.changeLog.length;
    expect(() =>
      store.atomic(() => {
        store.put(opportunities, row(store, 'a', { name: 'A changed', cosell_referralid: 'R2' }));
        store.put(opportunities, row(store, 'b', { name: 'B', cosell_referralid: 'R1' }));
        store.remove(opportunities, 'a');
        throw new Error('operation 3 failed');
      }),
    ).toThrow('operation 3 failed');
    expect(opportunities.rows.get('a')?.values['name']).toBe('A');
    expect(opportunities.rows.has('b')).toBe(false);
    expect(opportunities.findByKey('cosell_referralid_key', ['R1'])).toBe('a');
    expect(opportunities.findByKey('cosell_referralid_key', ['R2'])).toBeUndefined();
    expect(opportunities.changeLog).toHaveLength(logLength);
  });

  it('keeps alternate keys unique (case-insensitive) with a 412', () => {
    const store = new OrgStore({ tables: allTables() });
    const leads = store.table('lead');
    store.put(leads, row(store, 'l1', { lastname: 'x', cosell_referralid: 'Ref-1' }));
    expect(() => store.put(leads, row(store, 'l2', { lastname: 'y', cosell_referralid: 'ref-1' }))).toThrow(expect.objectContaining({ status: 412 }));
  });

  it('lists each changed id once, in the order of its last change within the version range', () => {
    const log = [
      { version: 10, id: 'a', deleted: false },
      { version: 11, id: 'b', deleted: false },
      { version: 12, id: 'a', deleted: false },
      { version: 13, id: 'c', deleted: true },
      { version: 14, id: 'd', deleted: false },
    ];
    expect(changedIds(log, 9, 14)).toEqual(['b', 'a', 'c', 'd']);
    expect(changedIds(log, 11, 13)).toEqual(['a', 'c']);
    expect(changedIds(log, 14, 20)).toEqual([]);
  });
});
