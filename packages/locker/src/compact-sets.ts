/**
 * Record sets as rows of `record_sets` (schema 4): one row per set, its
 * members named by record rowid and encoded by rowid-list.ts. A whole set
 * lists every member; a change (`delta`) lists the rowids added to and
 * removed from its `base`, an earlier row, `depth` links from a whole set.
 * The set's name is unchanged: the SHA-256 of the canonical sorted list of
 * its record hashes, which record-sets.ts rebuilds from these rows.
 */
import { LockerError } from './errors.js';
import { prepared } from './prepared-statements.js';
import { decodeRowids, encodeRowids } from './rowid-list.js';
import type { RowidMarks } from './rowid-marks.js';
import type { Db } from './schema.js';

export interface CompactSetRow {
  id: number;
  hash: string;
  kind: string;
  base: number | null;
  depth: number;
  size: number;
  members: Buffer;
  removed: Buffer | null;
}

/** A chain longer than this cannot come from the writer (it cuts chains at 30). */
const MAX_CHAIN = 120;

const COLUMNS = 'id, hash, kind, base, depth, size, members, removed';

export function compactSetRow(db: Db, setHash: string): CompactSetRow | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM record_sets WHERE hash = ?`).get(setHash) as CompactSetRow | undefined;
}

function compactSetRowById(db: Db, id: number): CompactSetRow | undefined {
  return prepared(db, `SELECT ${COLUMNS} FROM record_sets WHERE id = ?`).get(id) as CompactSetRow | undefined;
}

function lastRecordRowid(db: Db): number {
  return (prepared(db, 'SELECT MAX(rowid) FROM records').pluck().get() as number | null) ?? 0;
}

/** Decode one blob of a set row; the error names the set and the column. */
function decode(row: CompactSetRow, column: 'members' | 'removed', maxRowid: number): number[] {
  const bytes = row[column];
  if (bytes === null) return [];
  if (!Buffer.isBuffer(bytes)) throw new LockerError(`record set ${row.hash}: its ${column} column is not a blob`);
  try {
    return decodeRowids(bytes, maxRowid);
  } catch (error) {
    throw new LockerError(`record set ${row.hash}: its ${column} column does not decode (${(error as Error).message})`);
  }
}

/**
 * The rowids (ascending) of a set's members as its rows say: a whole set's
 * list, or its base resolved and its change applied. Throws a LockerError
 * naming the set when a row is inconsistent (a kind, base or depth that the
 * writer cannot have written, a blob that does not decode).
 */
export function compactRowids(db: Db, row: CompactSetRow): number[] {
  const { whole, links, maxRowid } = chainOf(db, row);
  // A decoded list is strictly ascending already: a whole set needs no set or sort (a million members cost a second in them).
  if (links.length === 0) return decode(whole, 'members', maxRowid);
  const members = new Set(decode(whole, 'members', maxRowid));
  for (const link of links) {
    for (const rowid of decode(link, 'removed', maxRowid)) members.delete(rowid);
    for (const rowid of decode(link, 'members', maxRowid)) members.add(rowid);
  }
  return [...members].sort((a, b) => a - b);
}

/**
 * Mark a set's members in `marks` (empty), its changes applied bit by bit
 * rather than in a Set of every member; returns how many members, or null
 * when a rowid is beyond the bits kept. Throws as compactRowids does.
 */
export function markCompactRowids(db: Db, row: CompactSetRow, marks: RowidMarks): number | null {
  const { whole, links, maxRowid } = chainOf(db, row);
  const base = decode(whole, 'members', maxRowid);
  if (!marks.mark(base)) return null;
  let size = base.length;
  for (const link of links) {
    for (const rowid of decode(link, 'removed', maxRowid)) if (marks.unmark(rowid)) size--;
    const added = decode(link, 'members', maxRowid).filter((rowid) => !marks.has(rowid));
    if (!marks.mark(added)) return null;
    size += added.length;
  }
  return size;
}

/** The whole set a row rests on and its changes, oldest first; throws a LockerError naming the set when the chain is inconsistent. */
function chainOf(db: Db, row: CompactSetRow): { whole: CompactSetRow; links: CompactSetRow[]; maxRowid: number } {
  const chain: CompactSetRow[] = [];
  let current = row;
  while (current.kind === 'delta') {
    chain.push(current);
    if (chain.length > MAX_CHAIN) throw new LockerError(`record set ${row.hash}: its chain of changes does not end within ${MAX_CHAIN} links`);
    const base = current.base === null ? undefined : compactSetRowById(db, current.base);
    if (!base || base.id >= current.id) throw new LockerError(`record set ${current.hash} is stored as a change to set row ${current.base}, which ${base ? 'is not an earlier set' : 'does not exist'}`);
    if (current.depth !== base.depth + 1) throw new LockerError(`record set ${current.hash}: its depth ${current.depth} does not follow its base's ${base.depth}`);
    current = base;
  }
  if (current.kind !== 'whole' || current.base !== null || current.depth !== 0) {
    throw new LockerError(`record set ${current.hash}: kind ${JSON.stringify(current.kind)}, base ${current.base}, depth ${current.depth} is neither a whole set nor a change`);
  }
  return { whole: current, links: chain.reverse(), maxRowid: lastRecordRowid(db) };
}

/** Rowids read per range scan: one statement returns a stretch of rows instead of one statement per member. */
const RANGE = 4096;

/** Match the rows of one range scan (ascending rowids) with rowids[start..end]: a merge when those ascend too, else a lookup table. */
function hashesInRange(found: [number, string][], rowids: readonly number[], start: number, end: number, hashes: string[], missing: number[]): void {
  let ascending = true;
  for (let index = start + 1; index <= end && ascending; index++) ascending = rowids[index]! > rowids[index - 1]!;
  if (!ascending) {
    const byRowid = new Map(found);
    for (let index = start; index <= end; index++) {
      const hash = byRowid.get(rowids[index]!);
      if (hash === undefined) missing.push(rowids[index]!);
      else hashes.push(hash);
    }
    return;
  }
  let next = 0;
  for (let index = start; index <= end; index++) {
    const rowid = rowids[index]!;
    while (next < found.length && found[next]![0] < rowid) next++;
    if (next < found.length && found[next]![0] === rowid) hashes.push(found[next]![1]);
    else missing.push(rowid);
  }
}

/**
 * The hashes of a set that holds a good part of the table, already sorted:
 * one walk of the records' hash index (it holds each rowid), keeping the
 * set's rowids, costs less than reading them by rowid and sorting 100,000
 * hex strings. Null when the set is small against the table, or lists a
 * rowid twice or one with no row: the general path names those.
 */
function denseSortedHashes(db: Db, rowids: readonly number[]): string[] | null {
  if (rowids.length < 1024) return null;
  const last = (prepared(db, 'SELECT MAX(rowid) FROM records').pluck().get() as number | null) ?? 0;
  if (rowids.length * 4 < last) return null;
  const wanted = new Uint8Array(last + 1);
  for (const rowid of rowids) {
    if (!Number.isInteger(rowid) || rowid < 1 || rowid > last || wanted[rowid] === 1) return null;
    wanted[rowid] = 1;
  }
  const hashes: string[] = [];
  let ordered = true;
  for (const [rowid, hash] of prepared(db, 'SELECT rowid, hash FROM records ORDER BY hash').raw().iterate() as IterableIterator<[number, string]>) {
    if (wanted[rowid] !== 1) continue;
    // SQLite orders by UTF-8 bytes, JavaScript by UTF-16 units: the same for hex, but an altered hash column may be anything.
    if (hashes.length > 0 && hashes[hashes.length - 1]! > hash) ordered = false;
    hashes.push(hash);
  }
  if (hashes.length !== rowids.length) return null;
  return ordered ? hashes : hashes.sort();
}

/**
 * The record hashes of some rowids, sorted; rowids with no record
 * row are returned apart. A set's members are mostly runs of neighbouring
 * rows, so each stretch of up to RANGE rowids is read with one range scan
 * when the set holds at least half of it, else row by row.
 */
export function hashesOfRowids(db: Db, rowids: readonly number[]): { hashes: string[]; missing: number[] } {
  const dense = denseSortedHashes(db, rowids);
  if (dense) return { hashes: dense, missing: [] };
  const lookup = prepared(db, 'SELECT hash FROM records WHERE rowid = ?').pluck();
  const range = prepared(db, 'SELECT rowid, hash FROM records WHERE rowid BETWEEN ? AND ? ORDER BY rowid').raw();
  const hashes: string[] = [];
  const missing: number[] = [];
  for (let start = 0; start < rowids.length; ) {
    let [first, last, end] = [rowids[start]!, rowids[start]!, start];
    for (let next = rowids[end + 1]; next !== undefined && Math.max(last, next) - Math.min(first, next) < RANGE; next = rowids[end + 1]) {
      [first, last, end] = [Math.min(first, next), Math.max(last, next), end + 1];
    }
    if ((end - start + 1) * 2 >= last - first + 1) {
      hashesInRange(range.all(first, last) as [number, string][], rowids, start, end, hashes, missing);
    } else {
      for (let index = start; index <= end; index++) {
        const hash = lookup.get(rowids[index]!) as string | undefined;
        if (hash === undefined) missing.push(rowids[index]!);
        else hashes.push(hash);
      }
    }
    start = end + 1;
  }
  return { hashes: hashes.sort(), missing };
}

/** The rowids (ascending) of records the writer has just stored; a hash with no row is a writer bug. */
export function rowidsOfHashes(db: Db, hashes: readonly string[]): number[] {
  const lookup = prepared(db, 'SELECT rowid FROM records WHERE hash = ?').pluck();
  return hashes
    .map((hash) => {
      const rowid = lookup.get(hash) as number | undefined;
      if (rowid === undefined) throw new LockerError(`record ${hash} of a record set being written has no record row`);
      return rowid;
    })
    .sort((a, b) => a - b);
}

/** What was added to `base` and removed from it to give `wanted` (both ascending). */
export function rowidChange(base: readonly number[], wanted: readonly number[]): { added: number[]; removed: number[] } {
  const had = new Set(base);
  const keep = new Set(wanted);
  return { added: wanted.filter((rowid) => !had.has(rowid)), removed: base.filter((rowid) => !keep.has(rowid)) };
}

export function insertWholeSet(db: Db, setHash: string, rowids: readonly number[]): void {
  prepared(db, "INSERT INTO record_sets (hash, kind, base, depth, size, members, removed) VALUES (?, 'whole', NULL, 0, ?, ?, NULL)").run(setHash, rowids.length, encodeRowids(rowids));
}

export function insertDeltaSet(db: Db, setHash: string, base: CompactSetRow, size: number, change: { added: number[]; removed: number[] }): void {
  prepared(db, "INSERT INTO record_sets (hash, kind, base, depth, size, members, removed) VALUES (?, 'delta', ?, ?, ?, ?, ?)").run(
    setHash,
    base.id,
    base.depth + 1,
    size,
    encodeRowids(change.added),
    encodeRowids(change.removed),
  );
}
