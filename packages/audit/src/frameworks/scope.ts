/**
 * Which frameworks and which SOC 2 criteria a run reports on, from the
 * configuration. SOC 2 and its security category are always in scope: every
 * other framework is reached through SOC 2 criteria, and the mappings start
 * from the common criteria.
 */
import { Category, criteria, FRAMEWORK_IDS, type FrameworkId } from '@evidentia/catalog';
import type { AuditConfig } from '../audit-config.js';
import type { ConfiguredCheck } from '../checks/registry.js';
import type { Ledger } from '../coverage/types.js';

export interface FrameworkScope {
  frameworks: readonly FrameworkId[];
  categories: readonly Category[];
  /** The SOC 2 criteria of the categories in scope. */
  criteria: ReadonlySet<string>;
}

export function frameworkScope(frameworks: readonly FrameworkId[], categories: readonly Category[]): FrameworkScope {
  const selectedCategories = Category.options.filter((category) => category === 'security' || categories.includes(category));
  return {
    frameworks: FRAMEWORK_IDS.filter((id) => id === 'soc2' || frameworks.includes(id)),
    categories: selectedCategories,
    criteria: new Set(criteria.filter((criterion) => selectedCategories.includes(criterion.category)).map((criterion) => criterion.id)),
  };
}

/** The configured scope; without a configuration, SOC 2 security only. */
export function scopeOf(config: Pick<AuditConfig, 'frameworks' | 'soc2'> | null): FrameworkScope {
  return frameworkScope(config?.frameworks ?? ['soc2'], config?.soc2?.categories ?? ['security']);
}

/** Every framework and every category: what the report showed before scopes existed. */
export const FULL_SCOPE: FrameworkScope = frameworkScope(FRAMEWORK_IDS, Category.options);

/**
 * The coverage ledger as reported for a scope: criteria outside the SOC 2
 * categories in scope leave the per-criterion table. Streams and their gaps
 * stay whole: a missed collection is a fact about the collector, whichever
 * criteria its records serve.
 */
export function ledgerInScope(ledger: Ledger, scope: FrameworkScope): Ledger {
  return { ...ledger, criteria: ledger.criteria.filter((criterion) => scope.criteria.has(criterion.criterion)) };
}

/** The checks serving a SOC 2 criterion in scope; a check naming no criterion is always kept. */
export function checksInScope(checks: readonly ConfiguredCheck[], scope: FrameworkScope): ConfiguredCheck[] {
  return checks.filter(({ definition }) => definition.criteria.length === 0 || definition.criteria.some((criterion) => scope.criteria.has(criterion)));
}
