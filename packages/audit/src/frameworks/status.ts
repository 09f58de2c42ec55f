/**
 * Per-requirement status of the other frameworks, derived from SOC 2
 * results through the mapping sets (catalog coverageThroughMappings).
 *
 * The rule: a SOC 2 criterion counts as covered when every check serving it
 * meets it (checkMet: it passed items in the period and found no exception,
 * left nothing not assessed or undecided, and did not fail to run; items
 * exempt by configuration count neither way): the criterion status "checks
 * pass" of the report and a check's `ready` in readiness. The report and the OSCAL findings also
 * require no open coverage gap (publish's criterionSatisfied); `coverage`
 * judges by the ledger alone. Evidence that no check judges covers nothing.
 * A requirement is
 * `covered` only when a covered criterion is equal to or a superset of it;
 * when only subset or overlapping criteria are covered it is `partial`, which
 * is never shown as a pass.
 */
import { coverageThroughMappings, getFramework, requirementsOf, type FrameworkId, type MappedCoverageStatus } from '@evidentia/catalog';
import { checkMet, type CheckOutcome } from '../checks/runner.js';
import { resolveRequirement, type CriterionLink } from './resolve.js';
import type { FrameworkScope } from './scope.js';

export interface RequirementStatus {
  requirement: string;
  label: string;
  status: MappedCoverageStatus;
  /** Every SOC 2 criterion the requirement maps to, and whether it is covered. */
  mappings: Array<CriterionLink & { covered: boolean }>;
}

export interface FrameworkTable {
  framework: FrameworkId;
  name: string;
  /** Requirements with at least one SOC 2 mapping. */
  rows: RequirementStatus[];
  /** Requirements no SOC 2 criterion relates to. */
  unmapped: number;
}

/** The SOC 2 criteria that count as covered by the checks, by the rule above. */
export function coveredCriteria(checks: readonly CheckOutcome[]): Set<string> {
  const met = new Set<string>();
  const unmet = new Set<string>();
  // Every check serving a criterion must meet it: one with an exception, something not assessed or undecided, or that failed, leaves it uncovered.
  for (const check of checks) for (const criterion of check.criteria) (checkMet(check) ? met : unmet).add(criterion);
  return new Set([...met].filter((criterion) => !unmet.has(criterion)));
}

/**
 * One table per framework in scope other than SOC 2 (whose criteria are shown
 * directly). Only covered criteria within the SOC 2 scope count. With `only`,
 * just the requirements mapped to one of those criteria are listed.
 */
export function frameworkTables(scope: FrameworkScope, covered: Iterable<string>, only?: ReadonlySet<string>): FrameworkTable[] {
  const counted = new Set([...covered].filter((criterion) => scope.criteria.has(criterion)));
  return scope.frameworks
    .filter((framework) => framework !== 'soc2')
    .map((framework) => {
      const catalog = getFramework(framework);
      const rows: RequirementStatus[] = [];
      let unmapped = 0;
      for (const requirement of requirementsOf(framework)) {
        const links = resolveRequirement(requirement.id)?.criteria ?? [];
        if (links.length === 0) {
          unmapped++;
          continue;
        }
        if (only && !links.some((link) => only.has(link.criterion))) continue;
        const { status } = coverageThroughMappings(requirement.id, counted);
        rows.push({ requirement: requirement.id, label: requirement.label, status, mappings: links.map((link) => ({ ...link, covered: counted.has(link.criterion) })) });
      }
      return { framework, name: `${catalog.name} ${catalog.version}`, rows, unmapped };
    });
}

export const REQUIREMENT_STATUS_TEXT: Record<MappedCoverageStatus, { mark: string; text: string }> = {
  covered: { mark: '✓', text: 'covered' },
  partial: { mark: '◐', text: 'partial: SOC 2 evidence serves only part of it' },
  'not-covered': { mark: '✗', text: 'not covered' },
  unmapped: { mark: '–', text: 'no SOC 2 mapping' },
};
