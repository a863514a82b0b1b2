import type { StateStore } from '../store/types.js';
import type { HeldField } from './merge.js';

/** Stores each field held for a person, with both values and the base. */
export async function holdConflicts(args: { store: StateStore; linkId: string; held: readonly HeldField[]; now: Date }): Promise<void> {
  if (args.held.length === 0) return;
  const open = await args.store.listConflicts({ open: true, linkId: args.linkId });
  for (const field of args.held) {
    if (open.some((c) => c.path === field.path)) continue;
    await args.store.holdConflict({
      linkId: args.linkId,
      path: field.path,
      base: field.base,
      crmValue: field.crmValue,
      partnerCenterValue: field.partnerCenterValue,
      createdAt: args.now.toISOString(),
    });
  }
}
