/**
 * A parsed mapping file, checked for meaning: each object's rules compile, no two rules fight
 * over one field, value maps cover their picklists, the deal-type help values are known.
 */
import type { CrmObjectKind, CrmSystem, FieldValue } from '../../src/domain/crm-record.js';
import { ASSISTANCE_REQUEST_CODES, type AssistanceRequestCode } from '../../src/domain/referral.js';
import { compileRule, type CompiledRule } from './compile-rule.js';
import type { RawCondition, RawFile, RawInboundRule, RawObject } from './file-schema.js';
import { defaultPicklists } from './picklists.js';
import type { DocPath, LocalProblem } from './transforms/parse-transform.js';
import { checkOnCreateStatus } from './transforms/value-map-checks.js';
import { mapKey, type MapScalar } from './transforms/value-map.js';

/** Where a record says which deal type it asks for (Partner Center docs, "Create a referral" deal types; the co-sell connectors' "How can Microsoft help?" field). */
export interface DealTypeConfig {
  helpField: string | null;
  /** CRM value -> help code; null when the CRM stores the codes themselves. */
  helpValues: ReadonlyMap<string, AssistanceRequestCode> | null;
  helpNotesField: string | null;
  shareField: string | null;
}

/** The referral path of a deal's currency: read first, so amounts round to it. */
export const CURRENCY_PATH = 'details.currency';

/** One object kind of a mapping file, checked and compiled. */
export interface CompiledObject {
  kind: CrmObjectKind;
  system: CrmSystem;
  externalIdField: string;
  participation: RawCondition[];
  dealType: DealTypeConfig;
  onCreate: Record<string, FieldValue>;
  extraRead: string[];
  rules: CompiledRule[];
  /** The one currency of a single-currency org (`currency:`), or null when a rule reads it. */
  currency: string | null;
  /** `replace` the whole solutions list, or `add` each new one through `/-` (the docs do not say which; the mapping file chooses). */
  solutionsPatch: 'replace' | 'add';
  picklists: Readonly<Record<string, readonly MapScalar[]>>;
  at: DocPath;
}

/** A whole mapping file, checked and compiled. */
export interface CompiledMapping {
  system: CrmSystem;
  inbound: { rules: RawInboundRule[]; otherwise: 'lead' | 'opportunity' | 'skip' };
  opportunity: CompiledObject;
  lead: CompiledObject;
}

/** Whether a rule carries CRM values towards Partner Center (createOnly included, for creates). */
export const readsFromCrm = (r: CompiledRule): boolean => r.info.direction !== 'toCrm';
/** Whether a rule writes the CRM in this mode (createOnly only on create). */
export const writesToCrm = (r: CompiledRule, mode: 'create' | 'update'): boolean =>
  r.info.direction === 'both' || r.info.direction === 'toCrm' || (r.info.direction === 'createOnly' && mode === 'create');

function findDuplicates(rules: CompiledRule[]): LocalProblem[] {
  const problems: LocalProblem[] = [];
  const label = (r: CompiledRule): string => `fields[${String(r.at[r.at.length - 1])}]`;
  const pairs = new Map<string, CompiledRule>();
  const sources = new Map<string, CompiledRule>();
  const writers = new Map<string, CompiledRule>();
  for (const r of rules) {
    const pairKey = `${r.info.path}\u0000${r.info.crmField}`;
    const twin = pairs.get(pairKey);
    if (twin) {
      problems.push({ at: [...r.at, 'referral'], message: `duplicate rule: ${r.info.path} <-> ${r.info.crmField} is already mapped by ${label(twin)}` });
      continue;
    }
    pairs.set(pairKey, r);
    const source = sources.get(r.info.path);
    if (readsFromCrm(r) && source) {
      problems.push({
        at: [...r.at, 'referral'],
        message: `'${r.info.path}' already takes its value from the CRM through ${label(source)} (${source.info.crmField})`,
      });
    } else if (readsFromCrm(r)) sources.set(r.info.path, r);
    if (!writesToCrm(r, 'create')) continue;
    for (const field of r.transform.writePaths()) {
      const writer = writers.get(field);
      if (writer) problems.push({ at: [...r.at, 'crm'], message: `CRM field '${field}' is already written by ${label(writer)} (${writer.info.path})` });
      else writers.set(field, r);
    }
  }
  return problems;
}

function compileDealType(raw: RawObject['dealType'], picklists: CompiledObject['picklists'], at: DocPath): { config: DealTypeConfig; problems: LocalProblem[] } {
  const problems: LocalProblem[] = [];
  const helpValues = raw.helpValues ? new Map(Object.entries(raw.helpValues)) : null;
  const known = raw.helpField ? picklists[raw.helpField] : undefined;
  if (known) {
    const missing = known.filter((v) =>
      helpValues ? !helpValues.has(mapKey(v)) : !(ASSISTANCE_REQUEST_CODES as readonly string[]).includes(mapKey(v)),
    );
    if (missing.length > 0) {
      problems.push({
        at: [...at, helpValues ? 'helpValues' : 'helpField'],
        message: `helpValues must give the help code of every ${raw.helpField ?? ''} value: missing ${missing.map((v) => JSON.stringify(v)).join(', ')}`,
      });
    }
  }
  return { config: { helpField: raw.helpField, helpValues, helpNotesField: raw.helpNotesField, shareField: raw.shareField }, problems };
}

function compileObject(args: { raw: RawObject; kind: CrmObjectKind; file: RawFile }): { object: CompiledObject; problems: LocalProblem[] } {
  const { raw, kind, file } = args;
  const at: DocPath = [kind];
  const picklists = { ...defaultPicklists(file.system, kind), ...(file.picklists[kind] ?? {}) };
  const problems: LocalProblem[] = [];
  const rules: CompiledRule[] = [];
  raw.fields.forEach((entry, i) => {
    const out = compileRule({ raw: entry, at: [kind, 'fields', i], picklists });
    problems.push(...out.problems);
    if (out.rule) rules.push(out.rule);
  });
  problems.push(...findDuplicates(rules));
  for (const rule of rules) {
    if (rule.type.kind !== 'status' || !rule.valueMap || !writesToCrm(rule, 'create')) continue;
    const message = checkOnCreateStatus({ map: rule.valueMap, crmField: rule.info.crmField, onCreate: raw.onCreate });
    if (message) problems.push({ at: [kind, 'onCreate', rule.info.crmField], message });
  }
  const dealType = compileDealType(raw.dealType, picklists, [kind, 'dealType']);
  problems.push(...dealType.problems);
  const currencyRule = rules.find((r) => r.info.path === CURRENCY_PATH);
  if (raw.currency !== undefined && currencyRule) {
    problems.push({ at: [kind, 'currency'], message: `currency: ${raw.currency} says the org keeps one currency, but ${currencyRule.info.crmField} is mapped to details.currency too: keep one of them` });
  }
  return {
    object: {
      kind,
      system: file.system,
      externalIdField: raw.externalIdField,
      participation: raw.participation,
      dealType: dealType.config,
      onCreate: raw.onCreate,
      extraRead: raw.read,
      rules,
      currency: raw.currency ?? null,
      solutionsPatch: file.partnerCenter.solutionsPatch,
      picklists,
      at,
    },
    problems,
  };
}

/** Compiles both objects of a parsed file; the mapping is usable only when no problem came back. */
export function compileMapping(file: RawFile): { compiled: CompiledMapping; problems: LocalProblem[] } {
  const opportunity = compileObject({ raw: file.opportunity, kind: 'opportunity', file });
  const lead = compileObject({ raw: file.lead, kind: 'lead', file });
  return {
    compiled: { system: file.system, inbound: file.inbound, opportunity: opportunity.object, lead: lead.object },
    problems: [...opportunity.problems, ...lead.problems],
  };
}
