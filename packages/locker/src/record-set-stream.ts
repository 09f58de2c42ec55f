/**
 * Record sets read as streams, for the audit bundle: a set's canonical bytes
 * (the sorted list of its record hashes) and the records of some sets, both
 * in hash order, with memory bounded by one bit per record row. The members
 * are marked by rowid (rowid-marks.ts) and the `records` hash index is walked
 * in order, keeping the marked rows, so neither a million hex strings nor a
 * temp table of rowids is held. Sets stored before schema 4, or whose rowids
 * are beyond what bits are kept for, are read the old way by the caller.
 */
import { createHash } from 'node:crypto';
import { HASH_PATTERN } from '@evidentia/evidence';
import { compactSetRow, markCompactRowids } from './compact-sets.js';
import { LockerError } from './errors.js';
import { prepared } from './prepared-statements.js';
import { recordSetBytes } from './record-sets.js';
import { RowidMarks } from './rowid-marks.js';
import type { Db } from './schema.js';
import type { RecordText } from './types.js';

/** Bytes gathered before a chunk of a set's canonical list is handed on. */
const CHUNK_CHARS = 64 * 1024;

interface Marked {
  marks: RowidMarks;
  /** Members of each set (a row is counted once per set naming it). */
  sizes: Map<string, number>;
}

/** The members of these sets marked in one bitmap; null when one is not a compact row or cannot be marked. */
function markSets(db: Db, setHashes: readonly string[]): Marked | null {
  const marks = new RowidMarks();
  const sizes = new Map<string, number>();
  for (const setHash of new Set(setHashes)) {
    const row = compactSetRow(db, setHash);
    if (!row) return null;
    // Each set in bits of its own, so its size counts its members alone.
    const own = new RowidMarks();
    const size = markCompactRowids(db, row, own);
    if (size === null) return null;
    marks.add(own);
    sizes.set(setHash, size);
  }
  return { marks, sizes };
}

/** Every record row as rowid and hash, in hash order (the unique index on hash is a covering scan). */
function rowsByHash(db: Db): IterableIterator<[number, string]> {
  // Not the shared prepared statement: two of these walks may be open at once.
  return db.prepare('SELECT rowid, hash FROM records ORDER BY hash').raw().iterate() as IterableIterator<[number, string]>;
}

/**
 * A record set's canonical bytes in chunks, hashed as they go; throws after
 * the last chunk when they do not hash to the set's name or a member row is
 * missing (the message is recordSetBytes's). Null for a set this module does
 * not stream (an object set, a legacy set): read it whole.
 */
export function recordSetChunks(db: Db, setHash: string): Iterable<Buffer> | null {
  const marked = markSets(db, [setHash]);
  if (!marked) return null;
  return chunksOf(db, setHash, marked);
}

function* chunksOf(db: Db, setHash: string, { marks, sizes }: Marked): Generator<Buffer> {
  const digest = createHash('sha256');
  let text = '[';
  let found = 0;
  const flush = (): Buffer => {
    const bytes = Buffer.from(text, 'utf8');
    digest.update(bytes);
    text = '';
    return bytes;
  };
  for (const [rowid, hash] of rowsByHash(db)) {
    if (!marks.has(rowid)) continue;
    // Canonical JSON of a hex hash is the hash in quotes; anything else (a tampered column) as JSON writes it.
    text += `${found > 0 ? ',' : ''}${HASH_PATTERN.test(hash) ? `"${hash}"` : JSON.stringify(hash)}`;
    found++;
    if (text.length >= CHUNK_CHARS) yield flush();
  }
  text += ']';
  yield flush();
  // A shortfall or a wrong hash: the whole-set read names the missing rows or the altered membership.
  if (found !== sizes.get(setHash) || digest.digest('hex') !== setHash) {
    recordSetBytes(db, setHash);
    throw new LockerError(`record set ${setHash} is altered: its stored membership (${found} records) does not hash to its name`);
  }
}

/** The distinct records of some sets in hash order, each as its stored canonical JSON; null when a set is not streamed here. */
export function setRecordTexts(db: Db, setHashes: readonly string[]): Iterable<RecordText> | null {
  let marked: Marked | null;
  try {
    marked = markSets(db, setHashes);
  } catch (error) {
    throw new LockerError(`${(error as Error).message}; run \`evidentia verify\``);
  }
  if (!marked) return null;
  return recordsOf(db, marked.marks);
}

function* recordsOf(db: Db, marks: RowidMarks): Generator<RecordText> {
  const json = prepared(db, 'SELECT json FROM records WHERE rowid = ?').pluck();
  for (const [rowid, hash] of rowsByHash(db)) {
    if (marks.has(rowid)) yield { hash, json: json.get(rowid) as string };
  }
}
