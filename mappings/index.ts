/**
 * Field mappings that admins own: the mapping files (salesforce.yaml, dynamics.yaml), their
 * loader and validation, the conversions the engine runs, and the preview the CLI prints.
 */
export type {
  CanonicalValue,
  ConflictPolicy,
  FieldProblem,
  FieldSet,
  Mapping,
  MappingContext,
  MappingHealth,
  MappingProblem,
  ObjectMapping,
  PreviewReport,
  PreviewRow,
  RuleDirection,
  RuleInfo,
} from './src/types.js';
export { loadMappingFile, parseMapping } from './src/loader.js';
export { checkAgainstDescription } from './src/check-description.js';
export { previewFromCrm, previewFromReferral } from './src/preview.js';
export { formatPreview } from './src/format-preview.js';
export { REFERRAL_PATHS, STATUS_PAIRS } from './src/referral-paths.js';
export { sameCanonical } from './src/canonical-values.js';
export { customPrefixOf, fieldNeeds, isCustomName } from './src/field-needs.js';
