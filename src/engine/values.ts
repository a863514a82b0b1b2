/** Comparison of canonical values: structural, order-sensitive for lists, 0 and '' are values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== typeof b) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (typeof a === 'object') {
    const ak = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const bk = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    return ak.length === bk.length && ak.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** The keys whose values differ between two field sets, among `keys`. */
export function changedKeys(keys: Iterable<string>, from: Record<string, unknown>, to: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of keys) {
    if (key in to && !sameValue(from[key], to[key])) out.push(key);
  }
  return out;
}
