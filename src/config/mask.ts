import type { Config } from './schema/root.js';
import { Secret } from './secret.js';

/**
 * A plain copy of the configuration for printing: every secret becomes `*** (env NAME)` (or
 * `*** (file PATH)`), so an operator sees where each came from and never what it is.
 */
export function maskConfig(config: Config): Record<string, unknown> {
  return maskValue(config) as Record<string, unknown>;
}

function maskValue(value: unknown): unknown {
  if (value instanceof Secret) return value.toString();
  if (Array.isArray(value)) return value.map(maskValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, maskValue(inner)]));
  }
  return value;
}
