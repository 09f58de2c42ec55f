/**
 * One rowid range of `verify`'s record pass (verify-records.ts), the same
 * code on the main thread and in the worker (record-scan-worker.ts) that
 * scans the other half of a large table on its own read connection: each
 * row's stored JSON against its own hash (hashed as stored), its indexed
 * columns against its JSON, its run_id against the run whose record set
 * first holds it (first-holders.ts), and the controls it claims. What a range found
 * is plain data the main thread merges: the rows' problems and non-text
 * claims in row order, and per list of claimed text controls the claiming
 * rows' hashes, packed 32 bytes each and sorted (no string per claim is
 * held: at a million rows those strings were ~100 MB).
 */
import { hash as digest } from 'node:crypto';
import type { HolderRanges } from './first-holders.js';
import type { Db } from './schema.js';

/** What one row produced for the merge, in row order: non-text claims as [control, hash] pairs, then its problem. */
export interface RowEvent {
  pairs?: [unknown, string][];
  problem?: string;
}

/** The rows of a range claiming one list of text controls: their hashes sorted, 32-byte lowercase hex ones packed, any other as a string. */
export interface ClaimGroup {
  key: string;
  controls: string[];
  packed: Uint8Array;
  odd: string[];
}

export interface RangeScan {
  records: number;
  bytes: number;
  /** Claims counted as index rows (a control listed twice by one record is one). */
  claims: number;
  events: RowEvent[];
  groups: ClaimGroup[];
}

/** `sameRun`: 1 when run_id names the run whose record set first holds the row, or no set holds it (compared by SQLite: no string per row). */
type RecordRow = [hash: string, kind: string, key: string, system: string, stream: string, occurredAt: string | null, json: string, sameRun: number];

/** The indexed columns, in the order the statement reads them, and the record field each must equal. */
const COLUMNS = ['kind', 'key', 'system', 'stream', 'occurredAt'] as const;

/** The values SQLite's json_each yields for `$.controls` (what the index was built from): an array's items, an object's values, a scalar itself. */
function claimedControls(record: Record<string, unknown>): unknown[] {
  const controls = record.controls;
  if (controls === undefined || controls === null) return [];
  if (Array.isArray(controls)) return controls;
  if (typeof controls === 'object') return Object.values(controls);
  return [controls];
}

function parsed(json: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return null;
  }
}

function label([hash, kind, key]: RecordRow): string {
  return `record ${hash} (${kind} ${JSON.stringify(key)})`;
}

/** A growing list of 32-byte hashes. */
class PackedHashes {
  bytes = Buffer.alloc(32 * 1024);
  count = 0;
  push(hex: string): void {
    if ((this.count + 1) * 32 > this.bytes.length) {
      const grown = Buffer.alloc(this.bytes.length * 2);
      this.bytes.copy(grown);
      this.bytes = grown;
    }
    this.bytes.write(hex, this.count * 32, 32, 'hex');
    this.count++;
  }
}

/**
 * The entries sorted in byte order (which is the string order of their
 * lowercase hex): a counting sort on the first two bytes, then insertion
 * sort inside each bucket (hashes spread evenly: a handful per bucket).
 */
export function sortPacked(bytes: Uint8Array, count: number): Uint8Array {
  const starts = new Uint32Array(65_537);
  for (let entry = 0; entry < count; entry++) starts[((bytes[entry * 32]! << 8) | bytes[entry * 32 + 1]!) + 1]!++;
  for (let bucket = 1; bucket < starts.length; bucket++) starts[bucket]! += starts[bucket - 1]!;
  const next = starts.slice(0, 65_536);
  const out = new Uint8Array(count * 32);
  for (let entry = 0; entry < count; entry++) {
    const bucket = (bytes[entry * 32]! << 8) | bytes[entry * 32 + 1]!;
    out.set(bytes.subarray(entry * 32, entry * 32 + 32), next[bucket]! * 32);
    next[bucket]!++;
  }
  const held = new Uint8Array(32);
  for (let bucket = 0; bucket < 65_536; bucket++) {
    for (let entry = starts[bucket]! + 1; entry < starts[bucket + 1]!; entry++) {
      held.set(out.subarray(entry * 32, entry * 32 + 32));
      let place = entry;
      while (place > starts[bucket]! && compareBytes(out, (place - 1) * 32, held) > 0) {
        out.copyWithin(place * 32, (place - 1) * 32, place * 32);
        place--;
      }
      out.set(held, place * 32);
    }
  }
  return out;
}

function compareBytes(bytes: Uint8Array, at: number, other: Uint8Array): number {
  for (let index = 0; index < 32; index++) {
    const difference = bytes[at + index]! - other[index]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** Groups of rows claiming the same text controls (one kind's records usually claim the same ones). */
class RangeClaims {
  readonly groups = new Map<string, { controls: string[]; packed: PackedHashes; odd: string[] }>();
  size = 0;

  /** The row's claims; its non-text ones are returned as pairs for an exact SQLite comparison. `verified`: the hash is the JSON's own digest (lowercase hex). */
  add(controls: unknown[], hash: string, verified: boolean): [unknown, string][] | undefined {
    if (controls.length === 0) return undefined;
    let pairs: [unknown, string][] | undefined;
    let text: string[] | null = controls.every((control) => typeof control === 'string') ? (controls as string[]) : null;
    for (let index = 0; index < controls.length; index++) {
      const control = controls[index];
      // A control listed twice is one index row (the index holds distinct pairs).
      if (controls.indexOf(control) !== index) {
        text = null;
        continue;
      }
      this.size++;
      if (typeof control !== 'string') (pairs ??= []).push([control, hash]);
    }
    if (text === null) text = [...new Set(controls.filter((control): control is string => typeof control === 'string'))];
    if (text.length === 0) return pairs;
    const key = JSON.stringify(text);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { controls: text, packed: new PackedHashes(), odd: [] }));
    if (verified || /^[0-9a-f]{64}$/.test(hash)) group.packed.push(hash);
    else group.odd.push(hash);
    return pairs;
  }
}

/** [from, to] cut at the holder ranges, in order: each piece with the run whose record set first holds its rows (undefined: none does). */
function pieces(from: number, to: number, { firsts, lasts, runs }: HolderRanges): Array<{ from: number; to: number; run: string | undefined }> {
  const out: Array<{ from: number; to: number; run: string | undefined }> = [];
  let at = from;
  for (let index = 0; index < firsts.length && at <= to; index++) {
    if (lasts[index]! < at) continue;
    if (firsts[index]! > to) break;
    if (firsts[index]! > at) out.push({ from: at, to: firsts[index]! - 1, run: undefined });
    const end = Math.min(lasts[index]!, to);
    out.push({ from: Math.max(at, firsts[index]!), to: end, run: runs[index] });
    at = end + 1;
  }
  if (at <= to) out.push({ from: at, to, run: undefined });
  return out;
}

/** The rows with rowid in [from, to], in rowid order (the order of a plain scan of the table); `holders`: the run each row held by a record set belongs to. */
export function scanRecordRange(db: Db, from: number, to: number, holders: HolderRanges): RangeScan {
  const claims = new RangeClaims();
  const scan: RangeScan = { records: 0, bytes: 0, claims: 0, events: [], groups: [] };
  const held = db.prepare('SELECT hash, kind, key, system, stream, occurred_at, json, run_id IS ? FROM records WHERE rowid BETWEEN ? AND ?').raw();
  // A row no set holds has no run to compare with: the unsealed-data check names it.
  const unheld = db.prepare('SELECT hash, kind, key, system, stream, occurred_at, json, 1 FROM records WHERE rowid BETWEEN ? AND ?').raw();
  const runOf = db.prepare('SELECT run_id FROM records WHERE hash = ?').pluck();
  for (const piece of pieces(from, to, holders)) {
    const rows = (piece.run === undefined ? unheld.iterate(piece.from, piece.to) : held.iterate(piece.run, piece.from, piece.to)) as IterableIterator<RecordRow>;
    for (const row of rows) {
      const hash = row[0];
      const json = row[6];
      scan.records++;
      scan.bytes += Buffer.byteLength(json);
      const record = parsed(json);
      const actual = digest('sha256', json);
      // The index was built from the JSON as stored, so an altered record's claims are still compared with it.
      const pairs = record ? claims.add(claimedControls(record), hash, actual === hash) : undefined;
      const misplaced = row[7] === 1 ? null : `its run_id names run ${JSON.stringify(runOf.get(hash))}, but run ${piece.run!}'s record set is the first to hold it`;
      const problem = rowProblem(row, record, actual, misplaced);
      if (pairs || problem !== undefined) scan.events.push(problem === undefined ? { pairs } : pairs ? { pairs, problem } : { problem });
    }
  }
  scan.claims = claims.size;
  for (const [key, { controls, packed, odd }] of claims.groups) scan.groups.push({ key, controls, packed: sortPacked(packed.bytes, packed.count), odd: odd.sort() });
  return scan;
}

/** `misplaced`: what is wrong with the row's run_id, if anything (queries join it to the stream run that collected the record: another run changes when it was observed, a run with no such stream drops it). */
function rowProblem(row: RecordRow, record: Record<string, unknown> | null, actual: string, misplaced: string | null): string | undefined {
  if (actual !== row[0]) return `${label(row)}: its stored JSON now hashes to ${actual}`;
  if (!record) return `${label(row)}: its stored JSON does not parse`;
  let differing: string[] | null = null;
  for (let index = 0; index < COLUMNS.length; index++) {
    if (record[COLUMNS[index]!] !== row[index + 1]) (differing ??= []).push(COLUMNS[index]!);
  }
  if (!differing) return misplaced ? `${label(row)}: ${misplaced}` : undefined;
  return `${label(row)}: indexed column(s) ${differing.join(', ')} differ from its JSON${misplaced ? `; ${misplaced}` : ''}`;
}
