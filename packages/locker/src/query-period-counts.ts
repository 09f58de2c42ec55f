/**
 * A period's items counted without reading them (the portal's evidence list
 * shows a page, the count and the systems), the record kinds they are of
 * (the evidence list's choice of kind), and a record's identity by its hash
 * (the portal's record page). The counts run the same selections as
 * `queryInventoryHistory` and `queryPeriodEvents` (query-period.ts), so they
 * count exactly the items those list.
 */
import { inventoryVersions, newestEvents, parameters } from './query-period.js';
import type { Db } from './schema.js';
import type { PeriodItemCounts, PeriodQuery, RecordIdentity } from './types.js';

const bySystem = (rows: { system: string; n: number }[]): Record<string, number> => Object.fromEntries(rows.map((row) => [row.system, row.n]));

/** Inventory items (distinct system, key, kind of the versions in effect) and event items, per system. */
export function queryPeriodItemCounts(db: Db, query: PeriodQuery): PeriodItemCounts {
  const inventory = db
    .prepare(`WITH ${inventoryVersions(db, query)} SELECT system, COUNT(*) AS n FROM (SELECT DISTINCT system, key, kind FROM versions) GROUP BY system`)
    .all(parameters(query)) as { system: string; n: number }[];
  const { cte, from } = newestEvents(db, query);
  const events = db.prepare(`WITH ${cte} SELECT r.system, COUNT(*) AS n FROM ${from} GROUP BY r.system`).all(parameters(query)) as { system: string; n: number }[];
  return { inventory: bySystem(inventory), events: bySystem(events) };
}

/** The kinds of the period's inventory items and event items, sorted (code unit order): every kind with a population in the period. */
export function queryPeriodKinds(db: Db, period: Pick<PeriodQuery, 'since' | 'until'>): string[] {
  const query = { since: period.since, until: period.until };
  const inventory = db.prepare(`WITH ${inventoryVersions(db, query)} SELECT DISTINCT kind FROM versions`).pluck().all(parameters(query)) as string[];
  const { cte, from } = newestEvents(db, query);
  const events = db.prepare(`WITH ${cte} SELECT DISTINCT r.kind FROM ${from}`).pluck().all(parameters(query)) as string[];
  return [...new Set([...inventory, ...events])].sort();
}

export function queryRecordIdentity(db: Db, hash: string): RecordIdentity | null {
  return (db.prepare('SELECT kind, system, key FROM records WHERE hash = ?').get(hash) as RecordIdentity | undefined) ?? null;
}
