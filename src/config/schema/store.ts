import { z } from 'zod';

import type { LoadContext } from '../secret.js';
import { resolvePath } from '../secret.js';
import { secretAt } from './common.js';

/** SQLite (one process, the default) or PostgreSQL (scale-out; URL is a secret: it holds the password). */
export const storeSchema = (ctx: LoadContext) =>
  z
    .discriminatedUnion('kind', [
      z
        .strictObject({
          kind: z.literal('sqlite'),
          path: z.string().min(1).default('var/cosell-sync.sqlite'),
        })
        .transform((store) => ({
          kind: store.kind,
          path: store.path === ':memory:' ? store.path : resolvePath(ctx.cwd, store.path),
        })),
      z
        .strictObject({
          kind: z.literal('postgres'),
          schema: z
            .string()
            .regex(/^[a-z_][a-z0-9_]*$/, { error: 'not a plain lower-case SQL identifier' })
            .default('cosell_sync'),
        })
        .transform((store, zctx) => {
          const url = secretAt({ ctx, issues: zctx.issues, secret: 'store.url', input: store, required: true });
          return url === null ? z.NEVER : { kind: store.kind, schema: store.schema, url };
        }),
    ])
    .prefault({ kind: 'sqlite' });

export type StoreConfig = z.output<ReturnType<typeof storeSchema>>;
