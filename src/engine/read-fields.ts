/**
 * The fields the sync reads from an org: the mapping's, without the stand-ins the org lacks. A
 * rule that reads `Account.BillingCountryCode` or else `Account.BillingCountry` works in an org
 * without State and Country picklists, where the code field does not exist and a query naming it
 * is refused. A field with no stand-in is always read, so a field the org lacks still stops the
 * first read with the CRM's own message.
 */
import type { CrmObjectKind } from '../domain/crm-record.js';
import { describedFields } from './described-fields.js';
import type { CrmSide } from './types.js';

/** Which of `readFields` to leave out, given the fields the org has: the pure decision. */
export function absentStandIns(alternatives: readonly (readonly string[])[], has: (path: string) => boolean): Set<string> {
  const absent = new Set<string>();
  for (const group of alternatives) {
    const missing = group.filter((path) => !has(path));
    // All missing: read them all, so the read fails naming the field.
    if (missing.length < group.length) for (const path of missing) absent.add(path);
  }
  return absent;
}

/** The mapping's read fields for `kind`, fitted to the org's describe (asked once per connector). */
export async function readFieldsFor(side: CrmSide, kind: CrmObjectKind): Promise<readonly string[]> {
  const om = side.mapping[kind];
  if (om.readAlternatives.length === 0) return om.readFields;
  const described = await describedFields(side, kind);
  const absent = absentStandIns(om.readAlternatives, (path) => described.has(path));
  return absent.size === 0 ? om.readFields : om.readFields.filter((path) => !absent.has(path));
}
