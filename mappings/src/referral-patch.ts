/**
 * Canonical changes -> JSON Patch for Partner Center (Partner Center docs, "Update a referral"): replace/add only, status and
 * substatus in one breath, team members added one by one through `/team/-` (remove is not
 * supported), visibility to Microsoft sellers only ever switched on (it cannot be undone).
 */
import type { JsonPatchOp } from '../../src/domain/json-patch.js';
import type { Referral } from '../../src/domain/referral.js';
import type { CompiledObject } from './compile.js';
import { parseStatusPair, REFERRAL_PATHS } from './referral-paths.js';
import { toMember, toSolution } from './referral-draft.js';
import type { CanonicalValue, FieldSet } from './types.js';

type Obj = { [k: string]: CanonicalValue };
const isObj = (v: CanonicalValue): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Solutions go out without the nulls the canonical model keeps. */
const solutionWire = (s: Obj): Record<string, string> => {
  const sol = toSolution(s);
  return Object.fromEntries(Object.entries(sol).filter((e): e is [string, string] => e[1] !== null));
};

/**
 * Two readings of Microsoft's documentation ("Update a referral" says solutions are editable, not how): `replace` sends the whole list;
 * `add` appends the solutions the referral lacks, one by one, as the team is done.
 */
function solutionOps(args: { mode: 'replace' | 'add'; path: string; value: CanonicalValue; current: Referral | undefined }): JsonPatchOp[] {
  const solutions = Array.isArray(args.value) ? args.value.filter(isObj).map(solutionWire) : [];
  if (args.mode === 'replace') return [{ op: 'replace', path: args.path, value: solutions }];
  const known = new Set((args.current?.details.solutions ?? []).map((s) => s.id));
  return solutions.filter((s) => !known.has(s['id'] ?? '')).map((s) => ({ op: 'add' as const, path: `${args.path}/-`, value: s }));
}

export function toReferralPatch(object: CompiledObject, changes: FieldSet, current?: Referral): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  for (const [path, value] of Object.entries(changes)) {
    const entry = REFERRAL_PATHS[path];
    if (!entry?.patch) continue;
    const rules = object.rules.filter((r) => r.info.path === path);
    // A path whose rules never send CRM changes (createOnly, toCrm) is not patched; a path with
    // no rule at all is the engine's own write (externalReferenceId after an inbound create).
    if (rules.length > 0 && !rules.some((r) => r.info.direction === 'both' || r.info.direction === 'toPartnerCenter')) continue;
    switch (path) {
      case 'status': {
        const pair = typeof value === 'string' ? parseStatusPair(value) : null;
        if (!pair) continue;
        ops.push({ op: 'replace', path: '/status', value: pair.status }, { op: 'replace', path: '/substatus', value: pair.substatus });
        break;
      }
      case 'team': {
        const known = new Set((current?.team ?? []).map((m) => m.email?.toLowerCase()).filter((e) => e !== undefined));
        const people = Array.isArray(value) ? value.filter(isObj).map(toMember) : [];
        for (const m of people) {
          if (m.email && known.has(m.email.toLowerCase())) continue;
          ops.push({ op: 'add', path: '/team/-', value: m });
        }
        break;
      }
      case 'details.solutions':
        ops.push(...solutionOps({ mode: object.solutionsPatch, path: entry.patch, value, current }));
        break;
      case 'consent.consentToShareReferralWithMicrosoftSellers':
        if (value === true) ops.push({ op: 'replace', path: entry.patch, value: true });
        break;
      default:
        ops.push({ op: 'replace', path: entry.patch, value });
    }
  }
  return ops;
}
