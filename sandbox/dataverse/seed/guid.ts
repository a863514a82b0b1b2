/**
 * Version-4-shaped GUIDs from the seeded random, four draws each: the shared `guid()` draws once
 * per hex digit, which dominates seeding 100,000 rows.
 */
import type { Random } from '../../shared/random.js';

const hex8 = (random: Random): string => Math.floor(random.next() * 0x1_0000_0000).toString(16).padStart(8, '0');

export function seededGuid(random: Random): string {
  const a = hex8(random);
  const b = hex8(random);
  const c = hex8(random);
  const d = hex8(random);
  const variant = ((Number.parseInt(c[0] as string, 16) & 0x3) | 0x8).toString(16);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}
