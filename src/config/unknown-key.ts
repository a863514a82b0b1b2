/** Wording for an unknown key: a secret put in the file, or a likely misspelling of a known key. */
import type { z } from 'zod';

import type { PathSegment } from './problems.js';
import { joinPath } from './problems.js';
import { NEEDLESS_SECRETS, SECRET_KEYS } from './secret-keys.js';
import { isSecretPath, SECRET_ENV, type SecretPath } from './secret-names.js';

/** The parts of a zod 4 schema definition (`schema._zod.def`, its documented internals) walked here. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;

/** The object shapes a value at this schema may have (every option of a union). */
function shapesOf(schema: z.ZodType): Record<string, z.ZodType>[] {
  const def = defOf(schema);
  if (def.type === 'object' && def.shape !== undefined) return [def.shape];
  if (def.type === 'pipe' && def.in !== undefined) return shapesOf(def.in);
  if (def.innerType !== undefined) return shapesOf(def.innerType);
  if (def.type === 'union' && def.options !== undefined) return def.options.flatMap(shapesOf);
  return [];
}

/** Keys the schema accepts in the object at `path`. */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  let shapes = shapesOf(schema);
  for (const segment of path) {
    if (typeof segment !== 'string') return [];
    shapes = shapes.flatMap((shape) => (shape[segment] === undefined ? [] : shapesOf(shape[segment])));
  }
  return [...new Set(shapes.flatMap((shape) => Object.keys(shape)))];
}

/** Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The secret a key written at `path` stands for, by its exact key path or a usual name for it. */
function secretAt(path: readonly PathSegment[], key: string): SecretPath | undefined {
  const keyPath = joinPath([...path, key]);
  if (isSecretPath(keyPath)) return keyPath;
  return SECRET_KEYS[joinPath(path)]?.[key];
}

/**
 * `unknown key "x"`, plus which known key was probably meant; a secret written into the file gets
 * where it belongs instead (on the key's own path, its value never repeated).
 */
export function unknownKeyMessage(schema: z.ZodType, path: readonly PathSegment[], key: string): { message: string; onKey: boolean } {
  const secret = secretAt(path, key);
  if (secret !== undefined) {
    const env = SECRET_ENV[secret];
    return { message: `secrets go in the environment: set ${env} (or ${env}_FILE naming a file that holds it), and remove "${key}" from this file`, onKey: true };
  }
  const needless = NEEDLESS_SECRETS[joinPath(path)]?.[key];
  if (needless !== undefined) return { message: `${needless}; remove "${key}" from this file`, onKey: true };
  const base = `unknown key "${key}"`;
  const lower = key.toLowerCase();
  const ranked = knownKeysAt(schema, path)
    .map((known) => ({ known, distance: editDistance(lower, known.toLowerCase()) }))
    .filter(({ distance }) => distance <= Math.max(1, Math.floor(key.length / 3)))
    .sort((a, b) => a.distance - b.distance);
  return { message: ranked[0] === undefined ? base : `${base} (did you mean "${ranked[0].known}"?)`, onKey: false };
}
