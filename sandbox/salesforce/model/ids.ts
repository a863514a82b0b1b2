/**
 * Salesforce record ids: 15 case-sensitive characters
 * (3-character key prefix, 2-character pod, 1 reserved, 9-character base-62 number) plus a
 * 3-character case-safe suffix, so the API always answers with 18 characters.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The 3-character suffix: one bit per upper-case letter in each 5-character chunk. */
export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/** Mints the n-th id of a key prefix, deterministically (so seeded orgs are reproducible). */
export function mintId({ keyPrefix, n }: { keyPrefix: string; n: number }): string {
  let digits = '';
  let rest = n;
  for (let i = 0; i < 9; i += 1) {
    digits = BASE62[rest % 62] + digits;
    rest = Math.floor(rest / 62);
  }
  const id15 = `${keyPrefix}8d0${digits}`;
  return id15 + caseSafeSuffix(id15);
}

/** Whether a string has the shape of a record id (15 or 18 characters). */
export function looksLikeId(value: string): boolean {
  return ID_PATTERN.test(value) && (value.length === 15 || caseSafeSuffix(value.slice(0, 15)) === value.slice(15));
}

/** The 18-character form of a 15- or 18-character id; undefined when it is not an id. */
export function toId18(value: string): string | undefined {
  if (!looksLikeId(value)) return undefined;
  return value.length === 18 ? value : value + caseSafeSuffix(value);
}
