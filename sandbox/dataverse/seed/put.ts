/** Writes one seeded row straight into the store, with created/modified stamps within the last year. */
import { formatDateTime, type Row, type Value } from '../model/row.js';
import type { OrgStore } from '../model/store.js';
import type { Random } from '../../shared/random.js';

export interface SeedContext {
  store: OrgStore;
  random: Random;
  now: number;
}

export function put(ctx: SeedContext, logicalName: string, id: string, values: Record<string, Value>, targets: Record<string, string> = {}): Row {
  const daysAgo = ctx.random.int(1, 365);
  const created = formatDateTime(new Date(ctx.now - daysAgo * 86_400_000 - ctx.random.int(0, 86_399) * 1000));
  const modified = formatDateTime(new Date(ctx.now - ctx.random.int(0, daysAgo) * 86_400_000 - ctx.random.int(0, 3599) * 1000));
  const clean: Record<string, Value> = { createdon: created, modifiedon: modified < created ? created : modified };
  for (const k in values) {
    const v = values[k];
    if (v !== null && v !== undefined) clean[k] = v;
  }
  const row: Row = { id, version: ctx.store.nextVersion(), values: clean, targets };
  ctx.store.put(ctx.store.table(logicalName), row, { logChange: false });
  return row;
}
