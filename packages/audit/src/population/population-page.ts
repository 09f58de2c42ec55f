/**
 * Part of a kind's population without reading the rest of it (the portal's
 * evidence list and record page on a large locker): a page of rows from an
 * offset with the count and systems of the whole, and the row of one record
 * hash. The rows are those `population` (population.ts) yields, in its
 * order, built by the same functions; the locker selects the page's items
 * and counts them in SQL (query-period.ts, query-period-counts.ts).
 * Access-review rows are no stored records, so for that kind the population
 * is still read whole (it holds one row per reviewed account, not records).
 */
import type { Locker, PeriodPage } from '@evidentia/locker';
import type { Period } from '../checks/period.js';
import { groupItems } from '../checks/evidence.js';
import { ACCESS_REVIEW_KIND } from './access-review-rows.js';
import type { PopulationItem } from './item.js';
import { eventRow, inventoryRow, inventoryRuns, periodQueryOf, population } from './population.js';

export interface PopulationPageQuery {
  period: Period;
  kind: string;
  /** Only the rows of this system ('' or absent: every system). */
  system?: string;
  /** Rows skipped first. */
  offset: number;
  /** Rows at most. */
  limit: number;
}

export interface PopulationPage {
  items: PopulationItem[];
  /** Rows of the kind (and system) in the period, listed or not. */
  matched: number;
  /** Every system the kind's rows of the period come from, sorted. */
  systems: string[];
}

const sum = (counts: Record<string, number>, system: string | undefined) => (system ? (counts[system] ?? 0) : Object.values(counts).reduce((a, b) => a + b, 0));

/** A page of the kind's population (of a system), with how many rows it has and every system it names. */
export async function populationPage(locker: Locker, query: PopulationPageQuery): Promise<PopulationPage> {
  const system = query.system || undefined;
  if (query.kind === ACCESS_REVIEW_KIND) return streamedPage(locker, { ...query, system });
  const counts = await locker.periodItemCounts(periodQueryOf(query));
  const inventoryMatched = sum(counts.inventory, system);
  const items = await rowsOf(locker, query, { system, offset: query.offset, limit: query.limit }, inventoryMatched);
  const systems = [...new Set([...Object.keys(counts.inventory), ...Object.keys(counts.events)])].sort();
  return { items, matched: inventoryMatched + sum(counts.events, system), systems };
}

/** The row of the kind's population of the period whose record hash this is, or null (the record is of another kind, not in the period, or superseded). */
export async function populationItemOf(locker: Locker, query: { period: Period; kind: string }, hash: string): Promise<PopulationItem | null> {
  if (query.kind === ACCESS_REVIEW_KIND) {
    let found: PopulationItem | null = null;
    // Read to the end: the population's queries must finish before the next one starts on this connection.
    for await (const item of population(locker, query)) if (item.recordHash === hash) found ??= item;
    return found;
  }
  const identity = await locker.recordIdentity(hash);
  if (identity === null || identity.kind !== query.kind) return null;
  // The item's rows (one per population group it is in); the row is the one showing this version.
  const rows = await rowsOf(locker, query, { system: identity.system, key: identity.key }, Infinity);
  return rows.find((row) => row.recordHash === hash) ?? null;
}

/** The population's rows of a page: inventory items first (`inventoryMatched` of them in all), then event items. */
async function rowsOf(locker: Locker, query: { period: Period; kind: string }, page: PeriodPage, inventoryMatched: number): Promise<PopulationItem[]> {
  const periodQuery = periodQueryOf(query);
  const offset = page.offset ?? 0;
  const limit = page.limit ?? Infinity;
  const rows: PopulationItem[] = [];
  if (offset < inventoryMatched && limit > 0) {
    const inventories = await locker.inventories({ since: query.period.since, until: query.period.until });
    const runOf = inventoryRuns(inventories);
    for await (const item of groupItems(inventories, locker.inventoryHistory(periodQuery, page))) rows.push(inventoryRow(item, runOf));
  }
  const left = limit - rows.length;
  if (left <= 0) return rows;
  const events = { ...page, offset: Math.max(0, offset - inventoryMatched), limit: left === Infinity ? undefined : left };
  for await (const record of locker.periodEvents(periodQuery, events)) rows.push(eventRow(record));
  return rows;
}

/** The page read from the whole population (access reviews). */
async function streamedPage(locker: Locker, query: PopulationPageQuery): Promise<PopulationPage> {
  const page: PopulationPage = { items: [], matched: 0, systems: [] };
  const systems = new Set<string>();
  for await (const item of population(locker, { period: query.period, kind: query.kind })) {
    systems.add(item.system);
    if (query.system && item.system !== query.system) continue;
    if (page.matched >= query.offset && page.items.length < query.limit) page.items.push(item);
    page.matched += 1;
  }
  page.systems = [...systems].sort();
  return page;
}
