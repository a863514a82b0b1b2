/**
 * A later page picked in one pass over a table written since its last sort (pageAfter) is the page
 * the full sort gives (sortedRows and startAfter), for any rows, order, cursor and page size.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { OrgStore } from '../../../sandbox/dataverse/model/store.js';
import { column } from '../../../sandbox/dataverse/odata/columns.js';
import { cursorOf, pageAfter, sortedRows, startAfter } from '../../../sandbox/dataverse/ops/ordering.js';
import { allTables } from '../../../sandbox/dataverse/schema/tables.js';

const names = fc.option(fc.constantFrom('alpha', 'Alpha', 'beta', 'BETA', 'gamma', ''), { nil: null });
const amounts = fc.option(fc.integer({ min: -3, max: 3 }), { nil: null });

describe('Dataverse emulator paging', () => {
  it('picks the page after a cursor in one pass exactly as the full sort does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ name: names, amount: amounts }), { maxLength: 40 }),
        fc.subarray(['name', 'estimatedvalue'], { minLength: 0 }),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
        fc.nat(),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (values, by, descending, at, size, filtered) => {
          const store = new OrgStore({ tables: allTables() });
          const table = store.table('opportunity');
          values.forEach((v, i) =>
            store.put(table, { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, version: store.nextVersion(), values: { name: v.name, estimatedvalue: v.amount }, targets: {} }),
          );
          const order = by.map((name, i) => ({ column: column(table.info, name), descending: descending[i] ?? false }));
          const filter = filtered ? (row: { values: Record<string, unknown> }) => row.values['estimatedvalue'] !== 0 : null;
          const sorted = sortedRows({ table, cacheKey: null, filter, order });
          if (sorted.length === 0) return;
          const cursor = cursorOf(order, sorted[at % sorted.length]!);
          const start = startAfter(sorted, order, cursor);
          const picked = pageAfter({ table, filter, order, cursor, size });
          expect(picked.page.map((r) => r.id)).toEqual(sorted.slice(start, start + size).map((r) => r.id));
          expect(picked.more).toBe(start + size < sorted.length);
          expect(picked.matching).toBe(sorted.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
