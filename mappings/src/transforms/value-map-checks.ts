/**
 * What makes a value map trustworthy: it names every value of the CRM picklist, every referral
 * value it writes back has a CRM value, and a two-way map reads back what it wrote.
 */
import { checkCanonical } from '../canonical-values.js';
import { STATUS_PAIRS, type PathType } from '../referral-paths.js';
import type { CanonicalValue, RuleDirection } from '../types.js';
import type { DocPath, LocalProblem, ValueMapRaw } from './parse-transform.js';
import { mapKey, type MapScalar } from './value-map.js';

/** A `toCrm` key is YAML text; give it the canonical type of the path. */
export function keyToCanonical(key: string, type: PathType): CanonicalValue {
  if (type.kind === 'boolean') return key === 'true' ? true : key === 'false' ? false : key;
  if (type.kind === 'number') return Number.isFinite(Number(key)) ? Number(key) : key;
  return key;
}

const list = (values: readonly MapScalar[]): string => values.map((v) => JSON.stringify(v)).join(', ');
/** Where a value the standard lists lack may come from. */
const NOT_IN_ORG = '; if your org has it (`cosell-sync crm setup` adds the ones the default mapping uses), list the org\'s values under picklists:';

export function checkValueMap(args: {
  map: ValueMapRaw;
  type: PathType;
  direction: RuleDirection;
  crmField: string;
  picklist: readonly MapScalar[] | null;
  pairPicklist: readonly MapScalar[] | null;
}): LocalProblem[] {
  const { map, type, direction, crmField, picklist } = args;
  const base: DocPath = ['transform', 'valueMap'];
  const problems: LocalProblem[] = [];
  // `key`: the problem is the CRM value or referral value used as a key, not the one it maps to.
  const add = (at: DocPath, message: string, key = false): void => void problems.push({ at: [...base, ...at], message, key });
  const writes = direction !== 'toPartnerCenter';
  const reads = direction !== 'toCrm';

  for (const [key, value] of Object.entries(map.fromCrm)) {
    const bad = checkCanonical(type, value);
    if (bad) add(['fromCrm', key], `fromCrm ${JSON.stringify(key)}: ${bad}`);
  }
  for (const key of Object.keys(map.toCrm)) {
    const bad = checkCanonical(type, keyToCanonical(key, type));
    if (bad) add(['toCrm', key], `toCrm ${JSON.stringify(key)}: ${bad}`, true);
  }
  if (picklist) {
    const known = new Set(picklist.map(mapKey));
    const missing = reads ? picklist.filter((v) => !(mapKey(v) in map.fromCrm)) : [];
    if (missing.length > 0) add(['fromCrm'], `the value map does not cover every ${crmField} value: missing ${list(missing)}`);
    for (const key of Object.keys(map.fromCrm)) {
      if (!known.has(key)) add(['fromCrm', key], `${JSON.stringify(key)} is not a ${crmField} value (${list(picklist)})${NOT_IN_ORG}`, true);
    }
    for (const [key, value] of Object.entries(map.toCrm)) {
      if (value !== null && !known.has(mapKey(value))) add(['toCrm', key], `${JSON.stringify(value)} is not a ${crmField} value${NOT_IN_ORG}`);
    }
  }
  if (writes && (type.kind === 'status' || type.kind === 'enum')) {
    const all: readonly string[] = type.kind === 'status' ? STATUS_PAIRS : type.values;
    const missing = all.filter((v) => !(v in map.toCrm));
    if (missing.length > 0) add(['toCrm'], `toCrm does not say which ${crmField} value each referral value becomes: missing ${missing.join(', ')}`);
  }
  if (direction === 'both') problems.push(...checkReadBack(map, type).map((p) => ({ ...p, at: [...base, ...p.at] })));
  if (map.pairWith) {
    const pair = map.pairWith;
    for (const [key, value] of Object.entries(map.toCrm)) {
      if (value !== null && !(mapKey(value) in pair.values)) {
        add(['pairWith', 'values'], `pairWith does not give ${pair.field} for ${crmField} ${JSON.stringify(value)} (toCrm ${JSON.stringify(key)})`);
      }
    }
    if (args.pairPicklist) {
      const known = new Set(args.pairPicklist.map(mapKey));
      for (const [key, value] of Object.entries(pair.values)) {
        if (value !== null && !known.has(mapKey(value))) add(['pairWith', 'values', key], `${JSON.stringify(value)} is not a ${pair.field} value`);
      }
    }
  }
  return problems;
}

/**
 * How to map a referral nobody has answered yet when no CRM value means that (an org with only
 * the standard Salesforce stages has no On Hold).
 */
function newStatusHint(key: string, value: MapScalar, map: ValueMapRaw): string {
  const stage = JSON.stringify(value);
  const open = Object.entries(map.fromCrm).find(([, v]) => typeof v === 'string' && v.startsWith('Active/'))?.[0] ?? 'Qualification';
  return (
    `(a referral that lands would count as accepted at once). Give the CRM a value that means "not answered yet": ` +
    `either let ${stage} mean it (fromCrm ${stage}: ${key}) and move records to another stage to accept (toCrm Active/Accepted: ${JSON.stringify(open === value ? 'Qualification' : open)}), ` +
    `or add a value for it (\`cosell-sync crm setup\` adds On Hold) and map ${key} to it`
  );
}

/** Where the status value of new records comes from when the map writes none: the file's onCreate. */
export function checkOnCreateStatus(args: { map: ValueMapRaw; crmField: string; onCreate: Readonly<Record<string, unknown>> }): string | null {
  const { map, crmField, onCreate } = args;
  if (!Object.hasOwn(onCreate, crmField)) return null;
  const start = onCreate[crmField];
  const writesNone = ['New/Pending', 'New/Received'].some((k) => Object.hasOwn(map.toCrm, k) && map.toCrm[k] === null);
  if (!writesNone) return null;
  const back = map.fromCrm[mapKey(start)];
  if (back === undefined || (typeof back === 'string' && back.startsWith('New/'))) return null;
  return (
    `records created from referrals start with ${crmField} ${JSON.stringify(start)} (onCreate), which reads back as ${JSON.stringify(back)}: ` +
    `every referral that lands would be accepted at once. Let ${JSON.stringify(start)} mean New/Pending in fromCrm, or start new records in a value that does`
  );
}

/**
 * A two-way map must give back what it read: a referral value some CRM value reads as must be
 * written as a CRM value that reads the same. Values no CRM value reads as (New/Received) may
 * merge into another, but never move a referral between New, Active and Closed.
 */
function checkReadBack(map: ValueMapRaw, type: PathType): LocalProblem[] {
  const problems: LocalProblem[] = [];
  const image = new Set(Object.values(map.fromCrm).map(mapKey));
  const statusOf = (v: unknown): string => mapKey(v).split('/')[0] ?? '';
  for (const [key, value] of Object.entries(map.toCrm)) {
    if (value === null || !(mapKey(value) in map.fromCrm)) continue;
    const back = map.fromCrm[mapKey(value)];
    const wrote = keyToCanonical(key, type);
    const exact = image.has(mapKey(wrote));
    const fine = exact ? mapKey(back) === mapKey(wrote) : type.kind !== 'status' || statusOf(back) === statusOf(wrote);
    if (!fine) {
      const hint = statusOf(wrote) === 'New' && statusOf(back) !== 'New' ? ` ${newStatusHint(key, value, map)}` : '';
      problems.push({
        at: ['toCrm', key],
        message: `${JSON.stringify(key)} becomes ${JSON.stringify(value)}, which reads back as ${JSON.stringify(back)}${hint}`,
        key: false,
      });
    }
  }
  return problems;
}
