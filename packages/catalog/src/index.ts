/**
 * The criteria catalog: which criteria exist, what they are about in a few
 * words, and which criteria each kind of evidence serves by default; plus
 * the other frameworks (ISO/IEC 27001, NIS2, C5), the mappings from SOC 2 to
 * them and what SOC 2 coverage means for their requirements.
 */
export { soc2 } from './soc2.js';
export { Category, Criterion, CriterionId, Framework, Group, GroupId, MAX_LABEL_LENGTH } from './schema.js';
export { criteria, criteriaByCategory, expandCriteriaRange, getCriterion, isCriterionId } from './criteria.js';
export { ControlOverrides, defaultControlsForKind, defaultLinks, resolveControls } from './links.js';
export { CatalogError, UnknownCriterionError } from './errors.js';
export { Catalog, FRAMEWORK_IDS, FrameworkId, Requirement, REQUIREMENT_ID_PATTERNS, Theme } from './requirement.js';
export { iso27001 } from './iso27001.js';
export { nis2 } from './nis2.js';
export { c5 } from './c5.js';
export { findRequirement, frameworks, getFramework, getRequirement, isFrameworkId, requirementsOf } from './frameworks.js';
export { MAX_RATIONALE_LENGTH, Mapping, MappingSet, MappingProvenance, RELATIONSHIPS, Relationship } from './mapping.js';
export { mappingSets, mappingsFor, type MappingView } from './mappings.js';
export { coverageThroughMappings, type MappedCoverage, type MappedCoverageStatus } from './coverage.js';
export {
  MAX_OFFICIAL_TEXT_LENGTH,
  OfficialTextError,
  officialTextEntries,
  type OfficialText,
  type OfficialTextProblem,
  type OfficialTextRow,
  type OfficialTextSource,
} from './official-text.js';
export { resolveRequirementId, unknownIdHint, type ResolvedId } from './official-text-ids.js';
