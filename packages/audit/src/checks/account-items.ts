/**
 * One account of one system, however many of the system's streams report it.
 * Google Workspace reports an administrator twice (users and admin_roles,
 * under different keys); judged item by item, one account would raise two
 * exceptions for one check. Accounts are the same when their system and
 * account id (case-insensitive) agree and they come from different streams
 * (within one stream, keys already tell accounts apart: two AWS accounts
 * under one system may both have a `deploy` user).
 *
 * Memory stays bounded by the population's compact keys, never its records:
 * a first pass counts the items of each account key; the second yields every
 * single-stream account at once and holds back only the few reported by
 * several streams until their last part arrives, then yields them merged.
 */
import type { RecordData } from '@evidentia/evidence';
import type { CheckEvidence, InventoryItem, Window } from './define.js';

type Account = RecordData<'access.account'>;

interface KeyCount {
  stream: string;
  items: number;
  /** Reported by more than one stream. */
  shared: boolean;
}

const accountKey = (item: InventoryItem) => `${item.system}\u0000${(item.seen.at(-1)!.record.data as Account).accountId.toLowerCase()}`;

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
  const counts = new Map<string, KeyCount>();
  for await (const item of evidence.items('access.account', window)) {
    if (item.seen.length === 0) continue;
    const key = accountKey(item);
    const known = counts.get(key);
    if (!known) counts.set(key, { stream: item.stream, items: 1, shared: false });
    else counts.set(key, { stream: known.stream, items: known.items + 1, shared: known.shared || known.stream !== item.stream });
  }
  const waiting = new Map<string, InventoryItem[]>();
  for await (const item of evidence.items('access.account', window)) {
    if (item.seen.length === 0) continue;
    const key = accountKey(item);
    const count = counts.get(key);
    if (!count?.shared) {
      yield item;
      continue;
    }
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
