/**
 * One field rule, from its raw YAML entry to a checked, ready-to-run rule: the referral path
 * exists, the transform yields the path's type, the direction and the policy agree, and the
 * default has the right type.
 */
import { parseOnce } from '../../src/core/parse-once.js';
import { checkCanonical } from './canonical-values.js';
import { ruleSchema } from './file-schema.js';
import { REFERRAL_PATHS, describeType, type PathType } from './referral-paths.js';
import { parseTransform, type DocPath, type LocalProblem, type ValueMapRaw } from './transforms/parse-transform.js';
import type { Transform } from './transforms/transform.js';
import { checkValueMap } from './transforms/value-map-checks.js';
import type { MapScalar } from './transforms/value-map.js';
import type { CanonicalValue, ConflictPolicy, RuleDirection, RuleInfo } from './types.js';
import { fromZodIssues } from './zod-issues.js';

/** A checked rule, ready to run in both directions. */
export interface CompiledRule {
  info: RuleInfo;
  type: PathType;
  transform: Transform;
  valueMap: ValueMapRaw | null;
  maxLength: number | null;
  /** Canonical value used when the source is empty (null or an empty list); undefined = none. */
  defaultValue: CanonicalValue | undefined;
  orFrom: string[];
  required: 'always' | 'coSell' | null;
  at: DocPath;
}

const DEFAULT_POLICY: Record<RuleDirection, ConflictPolicy> = {
  both: 'newestWins',
  toPartnerCenter: 'crmWins',
  toCrm: 'partnerCenterWins',
  createOnly: 'crmWins',
};

/** Why a direction and a policy cannot go together, or null when they can. */
export function contradiction(direction: RuleDirection, policy: ConflictPolicy): string | null {
  if (direction === 'toCrm' && policy === 'crmWins') {
    return 'direction toCrm never sends CRM changes, so policy crmWins cannot apply (use partnerCenterWins, or direction both)';
  }
  if (direction === 'toPartnerCenter' && policy === 'partnerCenterWins') {
    return 'direction toPartnerCenter never takes Partner Center changes, so policy partnerCenterWins cannot apply (use crmWins, or direction both)';
  }
  if (direction === 'createOnly' && (policy === 'newestWins' || policy === 'hold')) {
    return `a createOnly value is copied once and never meets a conflict, so policy ${policy} cannot apply`;
  }
  return null;
}

function closest(path: string): string | null {
  const lower = path.toLowerCase();
  const known = Object.keys(REFERRAL_PATHS);
  return known.find((k) => k.toLowerCase() === lower) ?? known.find((k) => k.toLowerCase().endsWith(`.${lower.split('.').pop()}`)) ?? null;
}

/** A default solution may be written as its bare id. */
function normaliseDefault(type: PathType, value: CanonicalValue): CanonicalValue {
  if (type.kind !== 'solutions' || !Array.isArray(value)) return value;
  return value.map((v) => (typeof v === 'string' ? { id: v, name: null, type: null } : v));
}

/** Checks one raw rule entry; returns the rule, or null with the problems that stop it. */
export function compileRule(args: {
  raw: unknown;
  at: DocPath;
  picklists: Readonly<Record<string, readonly MapScalar[]>>;
}): { rule: CompiledRule | null; problems: LocalProblem[] } {
  const { at } = args;
  const problems: LocalProblem[] = [];
  const add = (sub: DocPath, message: string, key = false): void => void problems.push({ at: [...at, ...sub], message, key });
  if (typeof args.raw !== 'object' || args.raw === null || Array.isArray(args.raw)) {
    add([], 'a rule is a map: { referral, crm, direction, policy, transform, ... }');
    return { rule: null, problems };
  }
  const parsed = parseOnce(ruleSchema, args.raw);
  if (!parsed.success) {
    problems.push(...fromZodIssues({ issues: parsed.error.issues, input: args.raw, base: at }));
    return { rule: null, problems };
  }
  const raw = parsed.data;
  const entry = REFERRAL_PATHS[raw.referral];
  if (!entry) {
    const hint = closest(raw.referral);
    add(['referral'], `unknown referral path '${raw.referral}'${hint ? ` (did you mean '${hint}'?)` : ''}`);
    return { rule: null, problems };
  }
  const direction = raw.direction;
  const policy = raw.policy ?? DEFAULT_POLICY[direction];
  const clash = contradiction(direction, policy);
  if (clash) add(raw.policy ? ['policy'] : ['direction'], clash);
  if (entry.readOnly && direction !== 'toCrm') {
    add(['direction'], `'${raw.referral}' is filled by Partner Center, so only direction toCrm can carry it`);
  }
  const parsedTransform = parseTransform({ raw: raw.transform, crm: raw.crm, type: entry.type });
  for (const p of parsedTransform.problems) add(p.at, p.message, p.key ?? false);
  if (parsedTransform.valueMap) {
    const pair = parsedTransform.valueMap.pairWith;
    const local = checkValueMap({
      map: parsedTransform.valueMap,
      type: entry.type,
      direction,
      crmField: raw.crm,
      picklist: args.picklists[raw.crm] ?? null,
      pairPicklist: pair ? (args.picklists[pair.field] ?? null) : null,
    });
    for (const p of local) add(p.at, p.message, p.key ?? false);
  }
  if (raw.maxLength !== undefined && !['string', 'status', 'enum'].includes(entry.type.kind)) {
    add(['maxLength'], `maxLength applies to text, but '${raw.referral}' is ${describeType(entry.type)}`);
  }
  const defaultValue = 'default' in raw ? normaliseDefault(entry.type, raw.default as CanonicalValue) : undefined;
  if (defaultValue !== undefined) {
    const bad = checkCanonical(entry.type, defaultValue);
    if (bad) add(['default'], `default for '${raw.referral}': ${bad}`);
  }
  if (raw.orFrom && (entry.type.kind === 'members' || parsedTransform.valueMap)) {
    add(['orFrom'], 'orFrom works with single-field transforms only');
  }
  if (problems.length > 0 || !parsedTransform.transform) return { rule: null, problems };
  return {
    rule: {
      info: { path: raw.referral, crmField: raw.crm, direction, policy },
      type: entry.type,
      transform: parsedTransform.transform,
      valueMap: parsedTransform.valueMap,
      maxLength: raw.maxLength ?? null,
      defaultValue,
      orFrom: raw.orFrom ?? [],
      required: raw.required === 'coSell' ? 'coSell' : raw.required ? 'always' : null,
      at,
    },
    problems,
  };
}
