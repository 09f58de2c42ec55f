/**
 * Record sets: which records a stream run holds. A set is named by the
 * SHA-256 of the canonical sorted list of its record hashes, which the signed
 * manifest commits to; how the list sits on disk is this module's business.
 *
 * Since schema 4 a set is one `record_sets` row naming its members by record
 * rowid (compact-sets.ts), a few bytes a set instead of a 64-hex pair per
 * member plus a gzip object of the list; its canonical bytes are rebuilt from
 * the row when read (`readObject`, a bundle) and `verify` re-hashes them.
 * A state stream observed daily sees nearly the same set every day, so a set
 * of 64 or more members that differs little from the stream's previous set
 * is stored as that base plus the rowids added and removed; every 30th link,
 * or after a large change, the whole set is written again so no lookup walks
 * a long chain. Sets written before schema 4 are read where they are
 * (legacy-sets.ts).
 */
import { createHash } from 'node:crypto';
import { canonicalJson, hashCanonical, HASH_PATTERN, sha256Hex } from '@evidentia/evidence';
import { compactRowids, compactSetRow, hashesOfRowids, insertDeltaSet, insertWholeSet, rowidChange, rowidsOfHashes } from './compact-sets.js';
import { LockerError } from './errors.js';
import { hasLegacySet, isLegacyDeltaSet, legacyMembers } from './legacy-sets.js';
import { prepared } from './prepared-statements.js';
import type { Db } from './schema.js';

/** Sets smaller than this are always stored whole (they cost little). */
const DELTA_MIN_SIZE = 64;
/** A chain of changes is cut (the set stored whole) at this depth. */
const MAX_DEPTH = 30;

/** Members hashed per update when a set's hash is computed. */
const HASH_CHUNK = 1024;

/**
 * A set's name from its sorted member hashes: the SHA-256 of their canonical
 * JSON. For hex hashes that text is only brackets, quotes and commas, so it
 * is fed to the hash in chunks as it is written, without canonicalizing a
 * list of a million strings (nor holding its text: a writer names every
 * stream's set this way); anything else (a tampered hash column) is
 * canonicalized as ever.
 */
export function setHashOf(sorted: readonly string[]): string {
  if (!sorted.every((member) => HASH_PATTERN.test(member))) return hashCanonical(sorted).hash;
  const hash = createHash('sha256').update('[');
  for (let index = 0; index < sorted.length; index += HASH_CHUNK) {
    hash.update(`${index > 0 ? ',' : ''}"${sorted.slice(index, index + HASH_CHUNK).join('","')}"`);
  }
  return hash.update(']').digest('hex');
}

/** Whether the locker holds this record set's membership (in either layout). */
export function hasRecordSet(db: Db, setHash: string): boolean {
  return compactSetRow(db, setHash) !== undefined || hasLegacySet(db, setHash);
}

/** Whether a set's bytes live in an object file (a whole set written before schema 4) rather than in rows. */
export function isObjectSet(db: Db, setHash: string): boolean {
  return compactSetRow(db, setHash) === undefined && !isLegacyDeltaSet(db, setHash);
}

/**
 * The canonical bytes of a record set held in rows (what its hash covers),
 * or null for a set stored as an object. Throws when the rows no longer give
 * the set (`verify` names what changed).
 */
export function recordSetBytes(db: Db, setHash: string): Buffer | null {
  let members: string[] | null;
  const row = compactSetRow(db, setHash);
  if (row) {
    const { hashes, missing } = hashesOfRowids(db, compactRowids(db, row));
    if (missing.length > 0) throw new LockerError(`record set ${setHash} lists record row(s) ${missing.slice(0, 3).join(', ')} that are missing from the records table`);
    members = hashes;
  } else if (isLegacyDeltaSet(db, setHash)) {
    members = legacyMembers(db, setHash);
    if (!members) throw new LockerError(`record set ${setHash} is stored as a change whose base set is missing`);
  } else {
    return null;
  }
  const bytes = Buffer.from(canonicalJson(members), 'utf8');
  const actual = sha256Hex(bytes);
  if (actual !== setHash) throw new LockerError(`record set ${setHash} is altered: its stored membership (${members.length} records) hashes to ${actual}`);
  return bytes;
}

/** The stream's most recent record set, the base a new one is compared with. */
function previousSetOf(db: Db, instance: string, name: string): string | undefined {
  return prepared(db, 'SELECT record_set FROM stream_runs WHERE instance = ? AND name = ? ORDER BY rowid DESC LIMIT 1').pluck().get(instance, name) as string | undefined;
}

/** Store a change to the stream's previous set when it is small and that set is a row; false when the set must be stored whole. */
function storeAsChange(db: Db, setHash: string, previous: string | undefined, rowids: number[]): boolean {
  const base = previous === undefined ? undefined : compactSetRow(db, previous);
  if (!base || base.depth + 1 > MAX_DEPTH) return false;
  let baseRowids: number[];
  try {
    baseRowids = compactRowids(db, base);
  } catch {
    // A base whose rows no longer resolve is verify's to report; this set does not build on it.
    return false;
  }
  const change = rowidChange(baseRowids, rowids);
  if (change.added.length + change.removed.length > rowids.length / 4) return false;
  insertDeltaSet(db, setHash, base, rowids.length, change);
  return true;
}

/**
 * Store a state stream's record set (sorted record hashes, each already a
 * record row) and return its hash: nothing when the locker already holds it,
 * a change to the stream's previous set when that is small, else the whole set.
 */
export function storeStateSet(db: Db, stream: { instance: string; name: string }, sorted: string[]): string {
  // setHashOf, not hashCanonical: the same name without the canonical text of the whole list and its bytes, which a large stream's seal held at once.
  const setHash = setHashOf(sorted);
  if (hasRecordSet(db, setHash)) return setHash;
  const rowids = rowidsOfHashes(db, sorted);
  const previous = sorted.length >= DELTA_MIN_SIZE ? previousSetOf(db, stream.instance, stream.name) : undefined;
  if (!storeAsChange(db, setHash, previous, rowids)) insertWholeSet(db, setHash, rowids);
  return setHash;
}

/** Store a record set whole (an event stream's: a day's events are mostly new) and return its hash. */
export function storeWholeSet(db: Db, sorted: string[]): string {
  const setHash = setHashOf(sorted);
  if (!hasRecordSet(db, setHash)) insertWholeSet(db, setHash, rowidsOfHashes(db, sorted));
  return setHash;
}
