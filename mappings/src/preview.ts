/**
 * `mappings preview`: what a mapping would do to one real record, before going live. Outbound,
 * the referral draft a CRM record would become; inbound, the CRM fields a referral would write.
 * Each rule gets a row: source value, transform, result.
 */
import type { CrmObjectKind, CrmRecord, FieldValue } from '../../src/domain/crm-record.js';
import type { Referral } from '../../src/domain/referral.js';
import { showValue } from './canonical-values.js';
import { readsFromCrm, writesToCrm } from './compile.js';
import { recordReader } from './crm-side.js';
import { compiledObjectOf } from './object-mapping.js';
import { describeCompiledRule } from './rule-text.js';
import type { CanonicalValue, FieldProblem, Mapping, MappingContext, PreviewReport, PreviewRow } from './types.js';

const problemFor = (problems: FieldProblem[], path: string, crmField: string): string | null =>
  problems.find((p) => p.path === path && (p.crmField === crmField || p.crmField === null))?.message ?? null;

/** One path shows its value; several (a member, a status pair) show each by name. */
function showCrm(paths: readonly string[], read: (p: string) => FieldValue | undefined): string {
  if (paths.length === 1) return showValue(read(paths[0] ?? ''));
  const present = paths.filter((p) => read(p) !== undefined);
  if (present.length === 0) return '(absent)';
  return present.map((p) => `${p}=${showValue(read(p))}`).join(', ');
}

/** The referral a CRM record would become (the draft, or the problems that stop it), field by field. */
export function previewFromCrm(args: { mapping: Mapping; record: CrmRecord; ctx: MappingContext }): PreviewReport {
  const { record, ctx } = args;
  const objectMapping = args.mapping[record.kind];
  const { compiled } = compiledObjectOf(objectMapping);
  const { values, problems } = objectMapping.fromCrm(record, ctx);
  const dealType = objectMapping.dealType(record);
  const draft = objectMapping.toReferralDraft({ values, externalReferenceId: record.id, dealType, ctx });
  const allProblems = draft.ok ? problems : [...problems, ...draft.error];
  const read = recordReader(record);
  const rows: PreviewRow[] = compiled.rules.filter(readsFromCrm).map((rule) => {
    const paths = [...rule.transform.readPaths(), ...rule.orFrom];
    const result: CanonicalValue | undefined = values[rule.info.path];
    return {
      path: rule.info.path,
      crmField: rule.info.crmField,
      direction: rule.info.direction,
      source: showCrm(paths, read),
      transform: describeCompiledRule(rule),
      result: result === undefined ? '(absent: left unchanged)' : showValue(result),
      problem: problemFor(allProblems, rule.info.path, rule.info.crmField),
    };
  });
  return {
    target: 'partnerCenter',
    kind: record.kind,
    sourceId: record.id,
    dealType,
    result: draft.ok ? draft.value : null,
    rows,
    problems: allProblems,
  };
}

/** The CRM fields a referral would write into a record of `kind`, field by field. */
export function previewFromReferral(args: {
  mapping: Mapping;
  referral: Referral;
  kind: CrmObjectKind;
  ctx: MappingContext;
  /** 'create' (default) previews a new CRM record; 'update' one already linked. */
  mode?: 'create' | 'update';
}): PreviewReport {
  const { referral, kind, ctx } = args;
  const mode = args.mode ?? 'create';
  const objectMapping = args.mapping[kind];
  const { compiled } = compiledObjectOf(objectMapping);
  const { values } = objectMapping.fromReferral(referral, ctx);
  const { fields, problems } = objectMapping.toCrmFields({ values, ctx, mode });
  const rows: PreviewRow[] = compiled.rules
    .filter((rule) => writesToCrm(rule, mode))
    .map((rule) => ({
      path: rule.info.path,
      crmField: rule.info.crmField,
      direction: rule.info.direction,
      source: showValue(values[rule.info.path]),
      transform: describeCompiledRule(rule),
      result: showCrm(rule.transform.writePaths(), (p) => (Object.hasOwn(fields, p) ? fields[p] : undefined)),
      problem: problemFor(problems, rule.info.path, rule.info.crmField),
    }));
  return { target: 'crm', kind, sourceId: referral.id, dealType: null, result: fields, rows, problems };
}
