import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { inspect } from 'node:util';

import type { Result } from '../domain/result.js';
import { err, ok } from '../domain/result.js';

/** What the config module reads besides the YAML file: passed in, never `process.env` directly. */
export interface LoadContext {
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths in the file (and in `*_FILE` variables) resolve against this directory. */
  cwd: string;
}

/**
 * A secret value with the place it came from. It prints as `*** (env NAME)` through JSON,
 * string conversion and `util.inspect`, so a config object that reaches a log leaks nothing;
 * only `reveal()` gives the value, at the one place that needs it (an auth header, a key).
 */
export class Secret {
  readonly #value: string;
  /** Where the value came from, e.g. `env SALESFORCE_CLIENT_SECRET` or `file /run/secrets/sf`. */
  readonly source: string;

  constructor(args: { value: string; source: string }) {
    this.#value = args.value;
    this.source = args.source;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return `*** (${this.source})`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export const resolvePath = (cwd: string, path: string): string => (isAbsolute(path) ? path : resolve(cwd, path));

/** Reads a file that must exist; the error text is what a problem line shows after the key path. */
export function readExistingFile(path: string): Result<string, string> {
  try {
    if (!statSync(path).isFile()) return err(`not a file: ${path}`);
    return ok(readFileSync(path, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err(code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path} (${code ?? 'error'})`);
  }
}

/**
 * Looks a secret up in `NAME`, else in the file named by `NAME_FILE` (container secret mounts).
 * `ok(null)` means neither is set; setting both is an error because which one wins would be a guess.
 */
export function secretFromEnv(ctx: LoadContext, name: string): Result<Secret | null, string> {
  const direct = ctx.env[name];
  const fileVar = `${name}_FILE`;
  const filePath = ctx.env[fileVar];
  const hasDirect = direct !== undefined && direct !== '';
  const hasFile = filePath !== undefined && filePath !== '';
  if (hasDirect && hasFile) return err(`both ${name} and ${fileVar} are set; set only one`);
  if (hasDirect) return ok(new Secret({ value: direct, source: `env ${name}` }));
  if (!hasFile) return ok(null);
  const absolute = resolvePath(ctx.cwd, filePath);
  const read = readExistingFile(absolute);
  if (!read.ok) return err(`${read.error} (from ${fileVar})`);
  // Secret files written by editors and `echo` end with a newline that is not part of the value.
  const value = read.value.replace(/\r?\n$/, '');
  if (value === '') return err(`file ${absolute} (from ${fileVar}) is empty`);
  return ok(new Secret({ value, source: `file ${absolute} (${fileVar})` }));
}
