import { z } from 'zod';

import type { LoadContext } from '../secret.js';
import { existingFile } from './common.js';

/** Sandbox mode: the local emulators' CA is trusted only while `enabled` is true. */
export const sandboxSchema = (ctx: LoadContext) =>
  z
    .strictObject({
      enabled: z.boolean().default(false),
      caFile: z.string().min(1).optional(),
    })
    .prefault({})
    .transform((sandbox, zctx) => {
      if (!sandbox.enabled || sandbox.caFile === undefined) return { enabled: sandbox.enabled, caFile: null };
      // Checked only when enabled, so a disabled sandbox section may name a file that is not there.
      const checked = existingFile(ctx).safeParse(sandbox.caFile);
      if (checked.success) return { enabled: true, caFile: checked.data };
      for (const issue of checked.error.issues) {
        zctx.issues.push({ code: 'custom', message: issue.message, path: ['caFile'], input: sandbox.caFile });
      }
      return z.NEVER;
    });

export type SandboxConfig = z.output<ReturnType<typeof sandboxSchema>>;
