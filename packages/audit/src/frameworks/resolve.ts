/**
 * From any framework's requirement to the SOC 2 criteria that serve it, and
 * back. Evidence is linked to SOC 2 criteria only; an ISO 27001, NIS2 or C5
 * requirement reaches evidence through the mapping sets. A relationship is
 * always read from the SOC 2 criterion to the other requirement, as in the
 * mapping sets: `CC8.1 superset-of A.8.32` covers A.8.32, `CC6.2 subset-of
 * A.5.16` serves only part of it.
 */
import { findRequirement, mappingsFor, type FrameworkId, type Relationship, type Requirement } from '@evidentia/catalog';

/** equal-to and superset-of carry a pass across; subset-of and intersects-with only partial support. */
export type Support = 'covering' | 'partial';

export interface CriterionLink {
  criterion: string;
  /** Read from the SOC 2 criterion to the requirement. */
  relationship: Relationship;
  support: Support;
}

export interface ResolvedRequirement {
  requirement: Requirement;
  /** The SOC 2 criteria serving it: the criterion itself for a SOC 2 ID. */
  criteria: CriterionLink[];
}

export function supportOf(relationship: Relationship): Support {
  return relationship === 'equal-to' || relationship === 'superset-of' ? 'covering' : 'partial';
}

/** `CC7.2 equal-to`: how a record or a status reaches a requirement. */
export function viaText(link: Pick<CriterionLink, 'criterion' | 'relationship'>): string {
  return `${link.criterion} ${link.relationship}`;
}

/** mappingsFor reads from the requirement asked about; turn it back to read from the SOC 2 criterion. */
function fromCriterion(relationship: Relationship): Relationship {
  if (relationship === 'subset-of') return 'superset-of';
  if (relationship === 'superset-of') return 'subset-of';
  return relationship;
}

/** Any framework's requirement (`A.8.15`, `NIS2.21.2.b`, `IDM-02`, `CC6.1`), or undefined when no catalog has it. */
export function resolveRequirement(id: string): ResolvedRequirement | undefined {
  const requirement = findRequirement(id);
  if (!requirement) return undefined;
  if (requirement.framework === 'soc2') return { requirement, criteria: [{ criterion: requirement.id, relationship: 'equal-to', support: 'covering' }] };
  const criteria = mappingsFor(requirement.id)
    .filter((view) => view.toFramework === 'soc2' && view.relationship !== 'no-relationship')
    .map((view) => {
      const relationship = fromCriterion(view.relationship);
      return { criterion: view.to, relationship, support: supportOf(relationship) };
    });
  return { requirement, criteria };
}

export interface MappedRequirement {
  framework: FrameworkId;
  requirement: string;
  relationship: Relationship;
  support: Support;
}

/** The requirements of the frameworks in scope that a SOC 2 criterion maps to. */
export function requirementsServedBy(criterion: string, frameworks: readonly FrameworkId[]): MappedRequirement[] {
  return mappingsFor(criterion)
    .filter((view) => view.toFramework !== 'soc2' && frameworks.includes(view.toFramework) && view.relationship !== 'no-relationship')
    .map((view) => ({ framework: view.toFramework, requirement: view.to, relationship: view.relationship, support: supportOf(view.relationship) }));
}
