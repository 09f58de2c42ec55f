/**
 * The criteria catalog: which criteria exist, what they are about in a few
 * words, and which criteria each kind of evidence serves by default.
 */
export { soc2 } from './soc2.js';
export { Category, Criterion, CriterionId, Framework, Group, GroupId, MAX_LABEL_LENGTH } from './schema.js';
export { criteria, criteriaByCategory, expandCriteriaRange, getCriterion, isCriterionId } from './criteria.js';
export { ControlOverrides, defaultControlsForKind, defaultLinks, resolveControls } from './links.js';
export { CatalogError, UnknownCriterionError } from './errors.js';
