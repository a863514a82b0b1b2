/** Writes one seeded row straight into the store, with created/modified stamps within the last year. */
import { formatDateTime, type Row, type Value } from '../model/row.js';
import type { OrgStore } from '../model/store.js';
import type { Random } from '../../shared/random.js';

export interface SeedContext {
  store: OrgStore;
  random: Random;
  now: number;
}

const NO_TARGETS: Readonly<Record<string, string>> = Object.freeze({});
export const OWNER_TARGETS: Readonly<Record<string, string>> = Object.freeze({ ownerid: 'systemuser' });
export const CONTACT_TARGETS: Readonly<Record<string, string>> = Object.freeze({ parentcustomerid: 'account', ownerid: 'systemuser' });
export const OPPORTUNITY_TARGETS: Readonly<Record<string, string>> = Object.freeze({ customerid: 'account', ownerid: 'systemuser' });

/**
 * Takes ownership of `values` (no copy: seeding 100,000 rows is mostly garbage collection) and
 * keeps its explicit nulls, which read the same as absent columns. Share `targets` between rows.
 */
export function put(ctx: SeedContext, logicalName: string, id: string, values: Record<string, Value>, targets: Readonly<Record<string, string>> = NO_TARGETS): Row {
  const daysAgo = ctx.random.int(1, 365);
  const created = formatDateTime(new Date(ctx.now - daysAgo * 86_400_000 - ctx.random.int(0, 86_399) * 1000));
  const modified = formatDateTime(new Date(ctx.now - ctx.random.int(0, daysAgo) * 86_400_000 - ctx.random.int(0, 3599) * 1000));
  values['createdon'] = created;
  values['modifiedon'] = modified < created ? created : modified;
  const table = ctx.store.table(logicalName);
  // An org without some columns (options.customColumns) keeps no values for them: a column
  // created later starts empty on every row.
  for (const name of Object.keys(values)) if (!table.info.byName.has(name)) delete values[name];
  const row: Row = { id, version: ctx.store.nextVersion(), values, targets };
  ctx.store.put(table, row, { logChange: false });
  return row;
}
