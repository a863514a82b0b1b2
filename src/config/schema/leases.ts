import { z } from 'zod';

import type { LoadContext } from '../secret.js';
import { resolvePath } from '../secret.js';

/** Scale-out leases: how soon a dead holder's loops are taken over, and where this instance's id is kept. */
export const leasesSchema = (ctx: LoadContext) =>
  z
    .strictObject({
      ttlMs: z.number().int().min(1_000, { error: 'at least 1000 ms: renewals go every third of it' }).max(600_000).default(30_000),
      identityFile: z.string().min(1).default('var/cosell-sync.instance'),
    })
    .prefault({})
    .transform((leases) => ({ ttlMs: leases.ttlMs, identityFile: resolvePath(ctx.cwd, leases.identityFile) }));

export type LeasesConfig = z.output<ReturnType<typeof leasesSchema>>;
