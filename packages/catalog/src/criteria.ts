/**
 * Look-ups over the loaded catalog. Everything that links evidence to a
 * criterion goes through here, so an ID that is not in the catalog never
 * reaches a record or a report.
 */
import { CatalogError, UnknownCriterionError } from './errors.js';
import type { Category, Criterion, CriterionId } from './schema.js';
import { soc2 } from './soc2.js';

export const criteria: readonly Criterion[] = soc2.criteria;

const byId = new Map<string, Criterion>(criteria.map((criterion) => [criterion.id, criterion]));
const position = new Map<string, number>(criteria.map((criterion, index) => [criterion.id, index]));

export function getCriterion(id: string): Criterion | undefined {
  return byId.get(id);
}

/** True only for IDs in the catalog, not for anything that merely looks like one. */
export function isCriterionId(id: string): id is CriterionId {
  return byId.has(id);
}

export function criteriaByCategory(category: Category): readonly Criterion[] {
  return criteria.filter((criterion) => criterion.category === category);
}

/** The ID itself when it is in the catalog; otherwise an error naming where it came from. */
export function requireCriterionId(id: string, origin: string): CriterionId {
  if (!isCriterionId(id)) throw new UnknownCriterionError(id, origin);
  return id;
}

/** Catalog order, so lists of criteria read the same in every report. */
export function sortCriteria(ids: Iterable<CriterionId>): CriterionId[] {
  return [...new Set(ids)].sort((a, b) => (position.get(a) ?? 0) - (position.get(b) ?? 0));
}

/**
 * `CC6.1-CC6.3` → `['CC6.1', 'CC6.2', 'CC6.3']`. Both ends must be in the
 * catalog and in the same group: a range across groups is almost always a typo.
 */
export function expandCriteriaRange(range: string, origin = 'criteria range'): CriterionId[] {
  const ends = range.split('-').map((end) => end.trim());
  const [first, last] = ends;
  if (ends.length !== 2 || !first || !last) throw new CatalogError(`${origin}: ${JSON.stringify(range)} is not a range like CC6.1-CC6.3`);
  const start = criterionInRange(first, range, origin);
  const end = criterionInRange(last, range, origin);
  if (start.group !== end.group) {
    throw new CatalogError(`${origin}: range ${JSON.stringify(range)} spans groups ${start.group} and ${end.group}`);
  }
  const from = position.get(start.id) ?? 0;
  const to = position.get(end.id) ?? 0;
  if (from > to) throw new CatalogError(`${origin}: range ${JSON.stringify(range)} runs backwards`);
  return criteria.slice(from, to + 1).map((criterion) => criterion.id);
}

function criterionInRange(id: string, range: string, origin: string): Criterion {
  const criterion = byId.get(id);
  if (!criterion) throw new UnknownCriterionError(id, `${origin} ${JSON.stringify(range)}`);
  return criterion;
}
