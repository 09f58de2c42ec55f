/**
 * CheckEvidence over a locker: the only way a check reads evidence. It hands
 * out only the record kinds the check declared, and turns the locker's period
 * queries into what checks reason about: event records of the period, and
 * inventory items with every observation of them, one item at a time so
 * memory stays flat however large the inventories.
 */
import type { KindName } from '@evidentia/evidence';
import type { HashedRecord, Inventory, Locker, StoredRecord } from '@evidentia/locker';
import type { CheckEvidence, InventoryItem, Window } from './define.js';
import type { Period } from './period.js';
import type { Source } from './sources.js';

export class UndeclaredReadError extends Error {
  override name = 'UndeclaredReadError';
}

export function lockerEvidence(locker: Locker, period: Period, reads: readonly KindName[], checkId: string, sources: (kind: KindName) => Promise<Source[]>): CheckEvidence {
  const allow = (kind: KindName) => {
    if (!reads.includes(kind)) throw new UndeclaredReadError(`check ${checkId} reads ${kind} but declares only ${reads.join(', ')}`);
  };
  const query = (kind: KindName, window: Window | undefined) => ({ kind, since: (window ?? period).since, until: (window ?? period).until });
  return {
    period,
    events(kind, window) {
      allow(kind);
      return locker.periodEvents(query(kind, window));
    },
    async inventories(kind, window) {
      allow(kind);
      return locker.inventories(query(kind, window));
    },
    async *items(kind, window) {
      allow(kind);
      // Every state stream's inventories, unfiltered (cheap): they only give the observation times of the items.
      const { since, until } = query(kind, window);
      const inventories = await locker.inventories({ since, until });
      yield* groupItems(inventories, locker.inventoryHistory(query(kind, window)));
    },
    async sources(kind) {
      allow(kind);
      return sources(kind);
    },
    accessReviews() {
      return locker.accessReviews();
    },
  };
}

/** Group the version rows (ordered by system, key, kind) into items, with observation times taken from the inventories. */
export async function* groupItems(
  inventories: Inventory[],
  versions: AsyncIterable<{ record: HashedRecord; sets: string[] }>,
): AsyncIterable<InventoryItem> {
  const timesBySet = new Map<string, string[]>();
  const timesByStream = new Map<string, string[]>();
  for (const inventory of inventories) {
    timesBySet.set(inventory.recordSet, [...(timesBySet.get(inventory.recordSet) ?? []), inventory.observedAt]);
    timesByStream.set(inventory.stream, [...(timesByStream.get(inventory.stream) ?? []), inventory.observedAt]);
  }
  // Sorted once and shared by every item of the stream (no check changes it): a copy sorted per item was a million arrays at a million items.
  for (const times of timesByStream.values()) times.sort();
  const noTimes: string[] = [];
  let current: InventoryItem | null = null;
  const finish = (item: InventoryItem) => {
    item.seen.sort((a, b) => a.at.localeCompare(b.at));
    return item;
  };
  for await (const { record, sets } of versions) {
    if (!current || current.system !== record.system || current.key !== record.key || current.kind !== record.kind) {
      if (current) yield finish(current);
      current = { kind: record.kind, system: record.system, key: record.key, stream: record.stream, seen: [], inventoryTimes: timesByStream.get(record.stream) ?? noTimes };
    }
    for (const set of sets) for (const at of timesBySet.get(set) ?? []) current.seen.push({ at, record });
  }
  if (current) yield finish(current);
}

/** The event records of a kind in the window, collected into a list (for checks that need to look at them together). */
export async function collectEvents(evidence: CheckEvidence, kind: KindName, window?: Window): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for await (const record of evidence.events(kind, window)) records.push(record);
  return records;
}
