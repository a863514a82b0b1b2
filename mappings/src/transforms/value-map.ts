/**
 * Value maps: CRM picklist values <-> referral values (StageName <-> 'Closed/Won'). `fromCrm`
 * must name every value of the CRM picklist (the loader checks); several CRM values may share
 * a referral value, so `toCrm` says which CRM value each referral value becomes. `pairWith`
 * writes a second CRM field along with the first (Dataverse statecode with statuscode).
 */
import type { FieldValue } from '../../../src/domain/crm-record.js';
import type { Transform } from './transform.js';

export type MapScalar = string | number | boolean | null;

export interface ValueMapOptions {
  crm: string;
  fromCrm: ReadonlyMap<string, MapScalar>;
  toCrm: ReadonlyMap<string, MapScalar>;
  /** `onCreate: false` leaves the pair out of creates (Dataverse rejects statecode on create). */
  pairWith: { field: string; values: ReadonlyMap<string, MapScalar>; onCreate: boolean } | null;
}

export const mapKey = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export function valueMapTransform(opts: ValueMapOptions): Transform {
  const { crm, pairWith } = opts;
  return {
    name: 'valueMap',
    describe: () => `value map${pairWith ? ` (also sets ${pairWith.field}${pairWith.onCreate ? '' : ' on update'})` : ''}`,
    accepts: (t) => t.kind !== 'members' && t.kind !== 'solutions',
    readPaths: () => (pairWith ? [crm, pairWith.field] : [crm]),
    writePaths: () => (pairWith ? [crm, pairWith.field] : [crm]),
    childFields: () => ({}),
    fromCrm(read) {
      const raw = read(crm);
      if (raw === undefined) return { kind: 'absent' };
      if (raw === null && !opts.fromCrm.has('null')) return { kind: 'value', value: null };
      const key = mapKey(raw);
      if (!opts.fromCrm.has(key)) return { kind: 'problem', message: `CRM value ${JSON.stringify(raw)} is not in the value map` };
      return { kind: 'value', value: opts.fromCrm.get(key) ?? null };
    },
    toCrm(value, env) {
      const key = mapKey(value);
      if (!opts.toCrm.has(key) && value !== null) return { ok: false, message: `no CRM value is mapped for ${JSON.stringify(value)}` };
      const crmValue = opts.toCrm.get(key) ?? null;
      const fields: Record<string, FieldValue> = { [crm]: crmValue };
      if (pairWith && (pairWith.onCreate || env.mode !== 'create')) fields[pairWith.field] = pairWith.values.get(mapKey(crmValue)) ?? null;
      return { ok: true, fields };
    },
  };
}
