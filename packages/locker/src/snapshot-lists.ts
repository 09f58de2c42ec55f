/**
 * Snapshot entries in the database: one row per stream run holding its
 * entries as an encoded list (snapshot-list-codec.ts), patched against the
 * stream's latest whole list, so a run that asked the same questions as
 * yesterday stores what changed in the answers' provenance, not ~1 KB per
 * request again. Lockers written before schema 5 keep their per-entry rows in
 * `snapshots`; readers here serve both.
 *
 * A conditional request needs the newest full 200 of a URL: `conditional_bases`
 * points at it (run and position) and is written only when that response
 * changes, so unchanged re-runs add nothing there.
 */
import { hashCanonical } from '@evidentia/evidence';
import { decodeSnapshotList, encodeSnapshotList, type SnapshotLine } from './snapshot-list-codec.js';
import type { Db } from './schema.js';

export type { SnapshotLine } from './snapshot-list-codec.js';

/** A snapshot entry with its position and the hash its provenance and body hash give. */
export interface SnapshotRow extends SnapshotLine {
  seq: number;
  entryHash: string;
}

export interface ListRow {
  id: number;
  run_id: string;
  stream: string;
  entry_count: number;
  base: number | null;
  data: Buffer;
}

/** The entry hash of a snapshot, from its stored provenance text so writer and verifier hash the same value. */
export function snapshotEntryHash(provenanceJson: string, bodyHash: string): string {
  return hashCanonical({ provenance: JSON.parse(provenanceJson) as unknown, bodyHash }).hash;
}

/**
 * Decoded lists by row id, bounded: a run reads the few lists its streams'
 * conditional bases sit in, verify walks the lists in order, and a whole list
 * that many later lists patch is decoded once.
 */
export class ListCache {
  private readonly lists = new Map<number, SnapshotLine[]>();

  constructor(private readonly limit = 64) {}

  get(id: number): SnapshotLine[] | undefined {
    const lines = this.lists.get(id);
    if (lines) {
      this.lists.delete(id);
      this.lists.set(id, lines);
    }
    return lines;
  }

  set(id: number, lines: SnapshotLine[]): void {
    this.lists.set(id, lines);
    if (this.lists.size > this.limit) this.lists.delete(this.lists.keys().next().value!);
  }
}

export function listRowOf(db: Db, runId: string, stream: string): ListRow | undefined {
  return db.prepare('SELECT * FROM snapshot_lists WHERE run_id = ? AND stream = ?').get(runId, stream) as ListRow | undefined;
}

/** Decode a list row (and its base, when it is a patch); throws with what is wrong. */
export function decodeListRow(db: Db, row: ListRow, cache: ListCache): SnapshotLine[] {
  const cached = cache.get(row.id);
  if (cached) return cached;
  let base: SnapshotLine[] | null = null;
  if (row.base !== null) {
    const baseRow = db.prepare('SELECT * FROM snapshot_lists WHERE id = ?').get(row.base) as ListRow | undefined;
    if (!baseRow) throw new Error(`its base list #${row.base} is missing`);
    if (baseRow.base !== null) throw new Error(`its base list #${row.base} is itself a patch`);
    try {
      base = decodeListRow(db, baseRow, cache);
    } catch (error) {
      throw new Error(`its base list (run ${baseRow.run_id}) cannot be read: ${(error as Error).message}`);
    }
  }
  const lines = decodeSnapshotList(row.data, base);
  cache.set(row.id, lines);
  return lines;
}

/** The entries of one stream run in collection order, from its list or, in an older locker, its rows. */
export function* snapshotRows(db: Db, runId: string, stream: string, cache = new ListCache(4)): Generator<SnapshotRow> {
  const row = listRowOf(db, runId, stream);
  if (row) {
    let seq = 0;
    for (const line of decodeListRow(db, row, cache)) {
      seq += 1;
      yield { ...line, seq, entryHash: snapshotEntryHash(line.provenance, line.bodyHash) };
    }
    return;
  }
  const legacy = db
    .prepare('SELECT seq, entry_hash, body_hash, provenance FROM snapshots WHERE run_id = ? AND stream = ? ORDER BY seq')
    .iterate(runId, stream) as IterableIterator<{ seq: number; entry_hash: string; body_hash: string; provenance: string }>;
  for (const entry of legacy) yield { seq: entry.seq, entryHash: entry.entry_hash, bodyHash: entry.body_hash, provenance: entry.provenance };
}

/**
 * A whole list is written again once a patch to the current base would cost
 * more than a quarter of it: the requests' answers have moved on from the base
 * (the day ETags first turned 200s into 304s, say), and patches to the new whole
 * list will be small again.
 */
const PATCH_WORTH = 0.25;

/**
 * Store a stream run's entries (inside the run's transaction), patched
 * against the stream's latest whole list when that is clearly smaller, and
 * point conditional requests at each full 200 with an ETag that changed.
 */
export function writeSnapshotList(db: Db, runId: string, stream: string, lines: readonly SnapshotLine[], cache: ListCache): void {
  if (lines.length === 0) return;
  const whole = encodeSnapshotList(lines, null);
  let data = whole;
  let base: number | null = null;
  const baseRow = db.prepare('SELECT * FROM snapshot_lists WHERE stream = ? AND base IS NULL ORDER BY id DESC LIMIT 1').get(stream) as ListRow | undefined;
  if (baseRow) {
    const patched = encodeSnapshotList(lines, decodeListRow(db, baseRow, cache));
    if (patched.length < whole.length * PATCH_WORTH) {
      data = patched;
      base = baseRow.id;
    }
  }
  db.prepare('INSERT INTO snapshot_lists (run_id, stream, entry_count, base, data) VALUES (?, ?, ?, ?, ?)').run(runId, stream, lines.length, base, data);
  const latest = db.prepare('SELECT body_hash, etag FROM conditional_bases WHERE stream = ? AND url = ? AND method = ? ORDER BY rowid DESC LIMIT 1');
  const insert = db.prepare('INSERT INTO conditional_bases (stream, method, url, run_id, seq, body_hash, etag) VALUES (?, ?, ?, ?, ?, ?, ?)');
  lines.forEach((line, index) => {
    const provenance = JSON.parse(line.provenance) as { method: string; url: string; status: number; headers?: Record<string, string> };
    const etag = provenance.headers?.etag;
    if (provenance.status !== 200 || !etag) return;
    const previous = latest.get(stream, provenance.url, provenance.method) as { body_hash: string; etag: string } | undefined;
    if (previous && previous.body_hash === line.bodyHash && previous.etag === etag) return;
    insert.run(stream, provenance.method, provenance.url, runId, index + 1, line.bodyHash, etag);
  });
}

/** The newest full 200 with an ETag for a request, from committed runs: what a conditional request revalidates. */
export interface ConditionalBase {
  entryHash: string;
  bodyHash: string;
  etag: string;
  headers: Record<string, string>;
}

export function conditionalBase(db: Db, stream: string, method: string, url: string, cache: ListCache): ConditionalBase | null {
  const pointer = db
    .prepare(
      `SELECT cb.run_id, cb.seq FROM conditional_bases cb JOIN manifests m ON m.run_id = cb.run_id
       WHERE cb.stream = ? AND cb.url = ? AND cb.method = ? ORDER BY cb.rowid DESC LIMIT 1`,
    )
    .get(stream, url, method) as { run_id: string; seq: number } | undefined;
  if (!pointer) return null;
  const entry = entryAt(db, pointer.run_id, stream, pointer.seq, cache);
  if (!entry) return null;
  const provenance = JSON.parse(entry.provenance) as { method: string; url: string; status: number; headers?: Record<string, string> };
  // A pointer that no longer names a full response of this request is never followed (verify reports it).
  if (provenance.method !== method || provenance.url !== url || provenance.status !== 200 || !provenance.headers?.etag) return null;
  return { entryHash: entry.entryHash, bodyHash: entry.bodyHash, etag: provenance.headers.etag, headers: provenance.headers };
}

/** One entry of a stream run by position, or null when the run has no such entry. */
export function entryAt(db: Db, runId: string, stream: string, seq: number, cache: ListCache): SnapshotRow | null {
  const row = listRowOf(db, runId, stream);
  if (!row) {
    const legacy = db.prepare('SELECT entry_hash, body_hash, provenance FROM snapshots WHERE run_id = ? AND stream = ? AND seq = ?').get(runId, stream, seq) as
      | { entry_hash: string; body_hash: string; provenance: string }
      | undefined;
    return legacy ? { seq, entryHash: legacy.entry_hash, bodyHash: legacy.body_hash, provenance: legacy.provenance } : null;
  }
  const line = decodeListRow(db, row, cache)[seq - 1];
  return line ? { ...line, seq, entryHash: snapshotEntryHash(line.provenance, line.bodyHash) } : null;
}

/** A stream's entries in its latest committed run (empty when it has none, or its list cannot be read). */
export function latestCommittedList(db: Db, stream: string, cache: ListCache): SnapshotLine[] {
  const row = db
    .prepare('SELECT sl.* FROM snapshot_lists sl JOIN manifests m ON m.run_id = sl.run_id WHERE sl.stream = ? ORDER BY sl.id DESC LIMIT 1')
    .get(stream) as ListRow | undefined;
  if (!row) return [];
  try {
    return decodeListRow(db, row, cache);
  } catch {
    // An unreadable list only means no base to diff against; verify reports the list itself.
    return [];
  }
}
