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
      if (!known.has(key)) add(['fromCrm', key], `${JSON.stringify(key)} is not a ${crmField} value (${list(picklist)})`, true);
    }
    for (const [key, value] of Object.entries(map.toCrm)) {
      if (value !== null && !known.has(mapKey(value))) add(['toCrm', key], `${JSON.stringify(value)} is not a ${crmField} value`);
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
      problems.push({
        at: ['toCrm', key],
        message: `${JSON.stringify(key)} becomes ${JSON.stringify(value)}, which reads back as ${JSON.stringify(back)}`,
        key: false,
      });
    }
  }
  return problems;
}
