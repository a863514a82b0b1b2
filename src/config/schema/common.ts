/** Small schema pieces every area uses. Messages read as the tail of `path: message`. */
import { statSync } from 'node:fs';

import { validate, validateDetailed } from 'node-cron';
import { z } from 'zod';

import type { SecretPath } from '../secret-names.js';
import { SECRET_ENV } from '../secret-names.js';
import type { LoadContext, Secret } from '../secret.js';
import { readExistingFile, resolvePath, secretFromEnv, Secret as SecretValue } from '../secret.js';

export const httpUrl = z.url({ protocol: /^https?$/, error: 'not a valid http(s) URL' });

export const positiveInt = z.number().int().positive();

export const cronExpression = z.string().superRefine((expr, ctx) => {
  if (validate(expr)) return;
  const detail = validateDetailed(expr).errors.map((e) => e.message).join('; ');
  ctx.addIssue({ code: 'custom', message: `not a valid cron expression${detail === '' ? '' : ` (${detail})`}` });
});

export const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'not a valid IANA time zone' },
);

/** `{ concurrency, intervalCap, intervalMs }` for a connector's p-queue, with per-vendor defaults. */
export const rateLimitSchema = (defaults: { concurrency: number; intervalCap: number; intervalMs: number }) =>
  z
    .strictObject({
      concurrency: positiveInt.default(defaults.concurrency),
      intervalCap: positiveInt.default(defaults.intervalCap),
      intervalMs: positiveInt.default(defaults.intervalMs),
    })
    .prefault({});

export type RateLimitConfig = z.output<ReturnType<typeof rateLimitSchema>>;

/** A path to a file that must exist; resolved against `cwd`, output absolute. */
export const existingFile = (ctx: LoadContext) =>
  z
    .string()
    .min(1)
    .transform((path, zctx) => {
      const absolute = resolvePath(ctx.cwd, path);
      try {
        if (statSync(absolute).isFile()) return absolute;
        zctx.addIssue({ code: 'custom', message: `not a file: ${absolute}` });
      } catch {
        zctx.addIssue({ code: 'custom', message: `file not found: ${absolute}` });
      }
      return z.NEVER;
    });

type Issues = z.core.$RefinementCtx['issues'];

/**
 * Resolves the secret at `secret` (a key path of `SECRET_ENV`) from its variable or `_FILE`
 * variable, for a transform; when `required`, a missing one becomes a problem telling which
 * variables to set. Returns null when absent.
 */
export function secretAt(args: {
  ctx: LoadContext;
  issues: Issues;
  secret: SecretPath;
  input: unknown;
  required: boolean;
  alternative?: string;
  /** What is wrong with the value's form (key-checks.ts), or null. */
  check?: (value: string) => string | null;
}): Secret | null {
  const envName = SECRET_ENV[args.secret];
  // The problem lands on the secret's own key, relative to the object being transformed.
  const path = [args.secret.slice(args.secret.lastIndexOf('.') + 1)];
  const found = secretFromEnv(args.ctx, envName);
  if (!found.ok) {
    args.issues.push({ code: 'custom', message: found.error, path, input: args.input });
    return null;
  }
  if (found.value === null && args.required) {
    const extra = args.alternative === undefined ? '' : `, or ${args.alternative}`;
    const message = `missing secret: set ${envName} or ${envName}_FILE${extra}`;
    args.issues.push({ code: 'custom', message, path, input: args.input });
  }
  const bad = found.value === null || !args.check ? null : args.check(found.value.reveal());
  if (bad !== null) args.issues.push({ code: 'custom', message: `${bad} (${found.value?.source ?? envName})`, path, input: args.input });
  return found.value;
}

/** Reads a secret held in a file named in the YAML (a key file); problems land on `path`. */
export function secretFromFile(args: {
  ctx: LoadContext;
  issues: Issues;
  file: string;
  path: PropertyKey[];
  input: unknown;
  check?: (value: string) => string | null;
}): Secret | null {
  const absolute = resolvePath(args.ctx.cwd, args.file);
  const read = readExistingFile(absolute);
  if (!read.ok) {
    args.issues.push({ code: 'custom', message: read.error, path: args.path, input: args.input });
    return null;
  }
  const bad = args.check?.(read.value) ?? null;
  if (bad !== null) args.issues.push({ code: 'custom', message: `${bad} (file ${absolute})`, path: args.path, input: args.input });
  return new SecretValue({ value: read.value, source: `file ${absolute}` });
}

/** CRM object kind for inbound referrals; either spelling is accepted, the canonical one kept. */
export const inboundLeadsAs = z
  .enum(['Lead', 'Opportunity', 'lead', 'opportunity'])
  .transform((kind) => (kind.toLowerCase() === 'lead' ? 'lead' : 'opportunity') as 'lead' | 'opportunity');

/** Error for a discriminated union on `mode`: names the allowed modes, leaves other issues to the defaults. */
export const modeError =
  (modes: readonly string[]) =>
  (issue: { code?: string | undefined }): string | undefined =>
    issue.code === 'invalid_union' ? `must be one of: ${modes.join(', ')}` : undefined;
