/**
 * Record sets stored as changes. A state stream observed daily sees nearly
 * the same set every day; writing each changed day's whole membership (a
 * row per member and a blob listing them) made a 5,000-item stream with three
 * changes a day grow 5.5 times in 30 runs. So a large set that differs
 * little from the stream's previous set is stored as that base plus the
 * records added and removed; every 30th link, or after a large change, the
 * whole set is written again so no lookup walks a long chain.
 *
 * The set's identity does not change: its hash is still the SHA-256 of the
 * canonical sorted list of record hashes, which the signed manifest commits
 * to. `verify` resolves a stored change back into that list and re-hashes it,
 * so an added, removed or altered membership row is caught like before.
 */
import { hashCanonical, canonicalJson } from '@evidentia/evidence';
import type { ObjectStore } from './objects.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './schema.js';

/** Sets smaller than this are always stored whole (they cost little). */
const DELTA_MIN_SIZE = 64;
/** A chain of changes is cut (the set stored whole) at this depth. */
const MAX_DEPTH = 30;

const statements = new WeakMap<Db, Map<string, Statement>>();

/** A prepared statement, once per connection: these lookups run per stream and per verified set. */
function prepared(db: Db, sql: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let statement = cache.get(sql);
  if (!statement) cache.set(sql, (statement = db.prepare(sql)));
  return statement;
}

interface DeltaRow {
  base_hash: string;
  depth: number;
}

function deltaOf(db: Db, setHash: string): DeltaRow | undefined {
  return prepared(db, 'SELECT base_hash, depth FROM set_deltas WHERE set_hash = ?').get(setHash) as DeltaRow | undefined;
}

/** Whether the locker holds this record set (whole or as a change). */
export function hasRecordSet(db: Db, setHash: string): boolean {
  return prepared(db, 'SELECT 1 FROM set_members WHERE set_hash = ? LIMIT 1').get(setHash) !== undefined || deltaOf(db, setHash) !== undefined;
}

/** Whether a set is stored as a change to another set. */
export function isDeltaSet(db: Db, setHash: string): boolean {
  return deltaOf(db, setHash) !== undefined;
}

/**
 * The members of a record set as its rows say, sorted: the whole set, or its
 * base with the recorded changes applied. Null when no row knows the set.
 */
export function resolveMembers(db: Db, setHash: string): string[] | null {
  const chain: string[] = [];
  let current = setHash;
  for (let delta = deltaOf(db, current); delta; delta = deltaOf(db, current)) {
    chain.push(current);
    current = delta.base_hash;
    if (chain.length > MAX_DEPTH * 4) return null;
  }
  const root = prepared(db, 'SELECT record_hash FROM set_members WHERE set_hash = ?').pluck().all(current) as string[];
  if (root.length === 0 && chain.length === 0 && !hasEmptySet(db, current)) return null;
  const members = new Set(root);
  const added = prepared(db, 'SELECT record_hash FROM set_additions WHERE set_hash = ?').pluck();
  const removed = prepared(db, 'SELECT record_hash FROM set_removals WHERE set_hash = ?').pluck();
  for (const link of chain.reverse()) {
    for (const hash of removed.all(link) as string[]) members.delete(hash);
    for (const hash of added.all(link) as string[]) members.add(hash);
  }
  return [...members].sort();
}

/** The empty set has no membership rows; it is known when a stream run names it. */
function hasEmptySet(db: Db, setHash: string): boolean {
  return setHash === hashCanonical([]).hash && prepared(db, 'SELECT 1 FROM stream_runs WHERE record_set = ? LIMIT 1').get(setHash) !== undefined;
}

/** The canonical bytes of a record set stored as a change (what its hash covers), or null for any other hash. */
export function deltaSetBytes(db: Db, setHash: string): Buffer | null {
  if (!isDeltaSet(db, setHash)) return null;
  const members = resolveMembers(db, setHash);
  return members ? Buffer.from(canonicalJson(members), 'utf8') : null;
}

/** The stream's most recent record set, the base a new one is compared with. */
function previousSetOf(db: Db, instance: string, name: string): string | undefined {
  return prepared(db, 'SELECT record_set FROM stream_runs WHERE instance = ? AND name = ? ORDER BY rowid DESC LIMIT 1').pluck().get(instance, name) as string | undefined;
}

/**
 * Store a state stream's record set (sorted hashes) and return its hash:
 * nothing when the locker already holds it, a change to the stream's
 * previous set when that is small, else the whole set (blob and rows).
 */
export function storeStateSet(db: Db, objects: ObjectStore, stream: { instance: string; name: string }, sorted: string[]): string {
  const setHash = hashCanonical(sorted).hash;
  if (hasRecordSet(db, setHash)) return setHash;
  const base = sorted.length >= DELTA_MIN_SIZE ? previousSetOf(db, stream.instance, stream.name) : undefined;
  const baseMembers = base ? resolveMembers(db, base) : null;
  if (base && baseMembers) {
    const depth = (deltaOf(db, base)?.depth ?? 0) + 1;
    const wanted = new Set(sorted);
    const had = new Set(baseMembers);
    const added = sorted.filter((hash) => !had.has(hash));
    const removed = baseMembers.filter((hash) => !wanted.has(hash));
    if (depth <= MAX_DEPTH && added.length + removed.length <= sorted.length / 4) {
      prepared(db, 'INSERT INTO set_deltas (set_hash, base_hash, depth) VALUES (?, ?, ?)').run(setHash, base, depth);
      const insertAdded = prepared(db, 'INSERT INTO set_additions (set_hash, record_hash) VALUES (?, ?)');
      for (const hash of added) insertAdded.run(setHash, hash);
      const insertRemoved = prepared(db, 'INSERT INTO set_removals (set_hash, record_hash) VALUES (?, ?)');
      for (const hash of removed) insertRemoved.run(setHash, hash);
      return setHash;
    }
  }
  return storeWholeSet(db, objects, sorted);
}

/** Store a record set whole: the blob listing it and a membership row per record. */
export function storeWholeSet(db: Db, objects: ObjectStore, sorted: string[]): string {
  const setHash = objects.putValue(sorted);
  if (!hasRecordSet(db, setHash)) {
    const insert = prepared(db, 'INSERT INTO set_members (set_hash, record_hash) VALUES (?, ?)');
    for (const hash of sorted) insert.run(setHash, hash);
  }
  return setHash;
}

const materialized = new WeakMap<Db, Set<string>>();

/**
 * Make `members` (a temporary view over whole sets and resolved changes)
 * answer for these sets on this connection. Queries join `members` where they
 * read state record sets.
 */
export function materializeSets(db: Db, setHashes: Iterable<string>): void {
  let done = materialized.get(db);
  if (!done) {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS resolved_members (set_hash TEXT NOT NULL, record_hash TEXT NOT NULL, PRIMARY KEY (set_hash, record_hash)) WITHOUT ROWID;
CREATE TEMP VIEW IF NOT EXISTS members AS
  SELECT set_hash, record_hash FROM main.set_members UNION ALL SELECT set_hash, record_hash FROM temp.resolved_members;`);
    done = new Set();
    materialized.set(db, done);
  }
  const insert = db.prepare('INSERT OR IGNORE INTO temp.resolved_members (set_hash, record_hash) VALUES (?, ?)');
  for (const setHash of setHashes) {
    if (done.has(setHash)) continue;
    done.add(setHash);
    if (!isDeltaSet(db, setHash)) continue;
    for (const hash of resolveMembers(db, setHash) ?? []) insert.run(setHash, hash);
  }
}
