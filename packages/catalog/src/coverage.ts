/**
 * What SOC 2 results say about another framework's requirement, through the
 * mapping sets. Only a SOC 2 criterion that is equal to or wider than the
 * target can carry a pass across; a narrower or overlapping one shows the
 * work is started, never that it is done.
 */
import { CatalogError } from './errors.js';
import { findRequirement } from './frameworks.js';
import { inverse, type Relationship } from './mapping.js';
import { mappingsFor } from './mappings.js';

/**
 * - `covered`: a covered SOC 2 criterion is equal to or a superset of the target.
 * - `partial`: only subset or overlapping criteria are covered.
 * - `not-covered`: the target is mapped, but none of its criteria is covered.
 * - `unmapped`: no SOC 2 criterion relates to the target.
 */
export type MappedCoverageStatus = 'covered' | 'partial' | 'not-covered' | 'unmapped';

export interface MappedCoverage {
  requirement: string;
  status: MappedCoverageStatus;
  /** The covered SOC 2 criteria behind the status, with how each relates to the target. */
  via: Array<{ criterion: string; relationship: Relationship }>;
}

const COVERING: ReadonlySet<Relationship> = new Set(['equal-to', 'superset-of']);

/**
 * The status of requirement `target` (any non-SOC 2 framework) given the SOC 2
 * criteria that are covered. Relationships are read from SOC 2 to the target.
 */
export function coverageThroughMappings(target: string, coveredCriteria: Iterable<string>): MappedCoverage {
  const requirement = findRequirement(target);
  if (!requirement) throw new CatalogError(`unknown requirement ${JSON.stringify(target)}`);
  if (requirement.framework === 'soc2') throw new CatalogError(`${target} is a SOC 2 criterion; its coverage is direct`);
  const covered = new Set(coveredCriteria);
  const links = mappingsFor(requirement.id)
    .filter((view) => view.toFramework === 'soc2')
    .map((view) => ({ criterion: view.to, relationship: inverse(view.relationship) }))
    .filter((link) => link.relationship !== 'no-relationship');
  if (links.length === 0) return { requirement: requirement.id, status: 'unmapped', via: [] };
  const via = links.filter((link) => covered.has(link.criterion));
  const status = via.some((link) => COVERING.has(link.relationship)) ? 'covered' : via.length > 0 ? 'partial' : 'not-covered';
  return { requirement: requirement.id, status, via };
}
