/**
 * Record sets as schema 3 and earlier stored them, still read in place (see
 * the migration note in schema.ts): a whole set as a gzip object plus a
 * `set_members` row (set hash, record hash) per member, and a set stored as a
 * change as a `set_deltas` row naming its base with the added and removed
 * record hashes in `set_additions` and `set_removals`. Nothing writes these
 * tables any more.
 */
import { hashCanonical } from '@evidentia/evidence';
import { prepared } from './prepared-statements.js';
import type { Db } from './schema.js';

/** A chain longer than this cannot come from the writer (it cut chains at 30): a loop made by editing rows. */
const MAX_CHAIN = 120;

function legacyDeltaBase(db: Db, setHash: string): string | undefined {
  return prepared(db, 'SELECT base_hash FROM set_deltas WHERE set_hash = ?').pluck().get(setHash) as string | undefined;
}

/** Whether a schema-3 set is stored as a change to another set. */
export function isLegacyDeltaSet(db: Db, setHash: string): boolean {
  return legacyDeltaBase(db, setHash) !== undefined;
}

/** Whether a schema-3 set has membership rows (whole or as a change). */
export function hasLegacySet(db: Db, setHash: string): boolean {
  return prepared(db, 'SELECT 1 FROM set_members WHERE set_hash = ? LIMIT 1').get(setHash) !== undefined || isLegacyDeltaSet(db, setHash);
}

/** The empty set has no membership rows; it is known when a stream run names it. */
function isKnownEmptySet(db: Db, setHash: string): boolean {
  return setHash === hashCanonical([]).hash && prepared(db, 'SELECT 1 FROM stream_runs WHERE record_set = ? LIMIT 1').get(setHash) !== undefined;
}

/**
 * The members (record hashes, sorted) of a schema-3 set as its rows say: the
 * whole set, or its base with the recorded changes applied. Null when no row
 * knows the set or its chain does not end.
 */
export function legacyMembers(db: Db, setHash: string): string[] | null {
  const chain: string[] = [];
  let current = setHash;
  for (let base = legacyDeltaBase(db, current); base !== undefined; base = legacyDeltaBase(db, current)) {
    chain.push(current);
    current = base;
    if (chain.length > MAX_CHAIN) return null;
  }
  const root = prepared(db, 'SELECT record_hash FROM set_members WHERE set_hash = ?').pluck().all(current) as string[];
  // A chain's base with no rows is missing too (the writer only stored changes to sets of 64 or more): its additions alone are not the set.
  if (root.length === 0 && !isKnownEmptySet(db, current)) return null;
  const members = new Set(root);
  const added = prepared(db, 'SELECT record_hash FROM set_additions WHERE set_hash = ?').pluck();
  const removed = prepared(db, 'SELECT record_hash FROM set_removals WHERE set_hash = ?').pluck();
  for (const link of chain.reverse()) {
    for (const hash of removed.all(link) as string[]) members.delete(hash);
    for (const hash of added.all(link) as string[]) members.add(hash);
  }
  return [...members].sort();
}
