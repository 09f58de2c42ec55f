/**
 * One account of one system, however many of the system's streams report it.
 * Google Workspace reports an administrator twice (users and admin_roles,
 * under different keys); judged item by item, one account would raise two
 * exceptions for one check. Accounts are the same when their system and
 * account id (case-insensitive) agree and they come from different streams
 * (within one stream, keys already tell accounts apart: two AWS accounts
 * under one system may both have a `deploy` user).
 *
 * Memory stays bounded by the population's account ids, never its records:
 * a first pass counts the items of each account (AccountCounts); the second yields every
 * single-stream account at once and holds back only the few reported by
 * several streams until their last part arrives, then yields them merged.
 */
import type { RecordData } from '@evidentia/evidence';
import type { CheckEvidence, InventoryItem, Window } from './define.js';

type Account = RecordData<'access.account'>;

const accountId = (item: InventoryItem) => (item.seen.at(-1)!.record.data as Account).accountId.toLowerCase();

/**
 * How many items report each account, per stream and system: a small integer
 * under the account id the record already holds, so a million accounts cost
 * a Map entry each, not a joined key string and an object.
 */
class AccountCounts {
  private readonly byStream = new Map<string, Map<string, Map<string, number>>>();

  add(item: InventoryItem): void {
    let systems = this.byStream.get(item.stream);
    if (!systems) this.byStream.set(item.stream, (systems = new Map()));
    let ids = systems.get(item.system);
    if (!ids) systems.set(item.system, (ids = new Map()));
    const id = accountId(item);
    ids.set(id, (ids.get(id) ?? 0) + 1);
  }

  /** The account's items in the window and whether more than one stream reported it. */
  of(item: InventoryItem): { items: number; shared: boolean } {
    const id = accountId(item);
    let items = 0;
    let streams = 0;
    for (const systems of this.byStream.values()) {
      const count = systems.get(item.system)?.get(id);
      if (count === undefined) continue;
      items += count;
      streams++;
    }
    return { items, shared: streams > 1 };
  }
}

const accountKey = (item: InventoryItem) => `${item.system}\u0000${accountId(item)}`;

/** Several streams' items of one account as one item: every observation, oldest first, and every inventory time. */
export function mergeItems(parts: InventoryItem[]): InventoryItem {
  const first = parts[0]!;
  if (parts.length === 1) return first;
  return {
    ...first,
    stream: [...new Set(parts.map((part) => part.stream))].join(' + '),
    seen: parts.flatMap((part) => part.seen).sort((a, b) => a.at.localeCompare(b.at)),
    inventoryTimes: [...new Set(parts.flatMap((part) => part.inventoryTimes))].sort(),
  };
}

/** The access.account items of the window, one per account and system (see the module comment). */
export async function* accountItems(evidence: CheckEvidence, window?: Window): AsyncIterable<InventoryItem> {
  // One stream's inventories alone cannot report an account twice: one pass, nothing counted (a million-account directory).
  const streams = new Set((await evidence.inventories('access.account', window)).map((inventory) => inventory.stream));
  if (streams.size <= 1) {
    for await (const item of evidence.items('access.account', window)) if (item.seen.length > 0) yield item;
    return;
  }
  const counts = new AccountCounts();
  for await (const item of evidence.items('access.account', window)) {
    if (item.seen.length > 0) counts.add(item);
  }
  const waiting = new Map<string, InventoryItem[]>();
  for await (const item of evidence.items('access.account', window)) {
    if (item.seen.length === 0) continue;
    const count = counts.of(item);
    if (!count.shared) {
      yield item;
      continue;
    }
    // Only accounts several streams report are held back, under a joined key.
    const key = accountKey(item);
    const parts = [...(waiting.get(key) ?? []), item];
    if (parts.length < count.items) {
      waiting.set(key, parts);
      continue;
    }
    waiting.delete(key);
    yield mergeItems(parts);
  }
  // Parts still waiting mean the second pass saw fewer items than the first (evidence changed in between): judge what arrived.
  for (const parts of waiting.values()) yield mergeItems(parts);
}
