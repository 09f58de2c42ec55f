/**
 * The frameworks evidentia knows, under one shape. SOC 2 keeps its own richer
 * schema (categories, ranges) for the code that links evidence; here it is
 * viewed as a plain catalog so every framework is listed and looked up alike.
 */
import { c5 } from './c5.js';
import { CatalogError } from './errors.js';
import { iso27001 } from './iso27001.js';
import { nis2 } from './nis2.js';
import { Catalog, FRAMEWORK_IDS, FrameworkId, type Requirement } from './requirement.js';
import { soc2 } from './soc2.js';

const soc2Catalog = Catalog.parse({
  id: 'soc2',
  name: soc2.name,
  version: soc2.version,
  source: soc2.source,
  licence: soc2.licence,
  groups: soc2.groups.map(({ id, title }) => ({ id, title })),
  requirements: soc2.criteria.map(({ id, group, label }) => ({ id, framework: 'soc2', group, label })),
});

const catalogs: Readonly<Record<FrameworkId, Catalog>> = { soc2: soc2Catalog, iso27001, nis2, c5 };

/** Every framework, SOC 2 first, in a fixed order. */
export const frameworks: readonly Catalog[] = FRAMEWORK_IDS.map((id) => catalogs[id]);

const byId = new Map<string, Requirement>();
for (const requirement of frameworks.flatMap((catalog) => catalog.requirements)) {
  if (byId.has(requirement.id)) throw new CatalogError(`requirement ID ${requirement.id} is used by two frameworks`);
  byId.set(requirement.id, requirement);
}

export function isFrameworkId(id: string): id is FrameworkId {
  return FrameworkId.safeParse(id).success;
}

export function getFramework(id: FrameworkId): Catalog {
  return catalogs[id];
}

/**
 * A requirement of one framework, by its own ID (`A.5.16`) or qualified with
 * the framework (`iso27001:A.5.16`). Undefined when it is not in that framework.
 */
export function getRequirement(framework: FrameworkId, id: string): Requirement | undefined {
  const requirement = findRequirement(id);
  return requirement?.framework === framework ? requirement : undefined;
}

/** Any framework's requirement by ID; IDs are unique across frameworks, so none is ambiguous. */
export function findRequirement(id: string): Requirement | undefined {
  const separator = id.indexOf(':');
  if (separator < 0) return byId.get(id);
  const framework = id.slice(0, separator);
  const requirement = byId.get(id.slice(separator + 1));
  return requirement?.framework === framework ? requirement : undefined;
}

export function requirementsOf(framework: FrameworkId): readonly Requirement[] {
  return catalogs[framework].requirements;
}
