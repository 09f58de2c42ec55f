/**
 * The shipped mapping sets and look-ups over them. Every endpoint is checked
 * against the catalogs at load, so a mapping can never point at a requirement
 * that does not exist.
 */
import { CatalogError } from './errors.js';
import { findRequirement } from './frameworks.js';
import { inverse, type MappingSet, type Relationship } from './mapping.js';
import { soc2ToC5 } from './mappings-c5.js';
import { soc2ToIso27001 } from './mappings-iso27001.js';
import { soc2ToNis2 } from './mappings-nis2.js';
import type { FrameworkId } from './requirement.js';

export const mappingSets: readonly MappingSet[] = [soc2ToIso27001, soc2ToNis2, soc2ToC5];

for (const set of mappingSets) {
  for (const mapping of set.mappings) {
    if (findRequirement(mapping.source)?.framework !== set.source) {
      throw new CatalogError(`mapping set ${set.id}: unknown ${set.source} criterion ${mapping.source}`);
    }
    if (findRequirement(mapping.target)?.framework !== set.target) {
      throw new CatalogError(`mapping set ${set.id}: unknown ${set.target} requirement ${mapping.target}`);
    }
  }
}

/** One mapping seen from a given requirement: the relationship reads from `from` to `to`. */
export interface MappingView {
  from: string;
  to: string;
  toFramework: FrameworkId;
  relationship: Relationship;
  rationale: string;
  set: string;
}

/**
 * Every mapping that touches `id`, in either direction. From the SOC 2 side
 * the relationship is as written; from the other side it is inverted, so
 * `CC6.2 subset-of A.5.16` reads `A.5.16 superset-of CC6.2`.
 */
export function mappingsFor(id: string): MappingView[] {
  const requirement = findRequirement(id);
  if (!requirement) return [];
  return mappingSets.flatMap((set) =>
    set.mappings.flatMap((mapping): MappingView[] => {
      if (mapping.source === requirement.id) {
        return [{ from: mapping.source, to: mapping.target, toFramework: set.target, relationship: mapping.relationship, rationale: mapping.rationale, set: set.id }];
      }
      if (mapping.target === requirement.id) {
        return [{ from: mapping.target, to: mapping.source, toFramework: set.source, relationship: inverse(mapping.relationship), rationale: mapping.rationale, set: set.id }];
      }
      return [];
    }),
  );
}
