/**
 * What a locker costs on disk, and where the bytes are: locker.db after its
 * WAL is checkpointed into it (SQLite's own page accounting, dbstat, splits
 * it by table and index) plus every file under objects/ (snapshot bodies,
 * gzip-compressed or as deltas against an earlier body; manifests; record
 * sets in lockers from before schema 4), each object attributed to the stream
 * that wrote it where one did.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ListCache, snapshotRows } from '@evidentia/locker';

export interface StreamBytes {
  recordJsonBytes: number;
  snapshotObjectBytes: number;
  setObjectBytes: number;
}

export interface StorageFigures {
  /** locker.db (WAL checkpointed and truncated) plus objects/. */
  totalBytes: number;
  dbBytes: number;
  objectBytes: number;
  /** Bytes of the records table and its indexes, and of record_controls (dbstat pages). */
  recordTableBytes: number;
  /** Bytes of the tables holding record-set membership: record_sets and its hash index (schema 4), and the schema-3 tables set_members, set_deltas, set_additions, set_removals. */
  setTableBytes: number;
  /** Bytes of the snapshots table and its indexes: one row per request (hashes and provenance). */
  snapshotTableBytes: number;
  /** Per stream (`instance/stream`): bytes of its records' JSON, of its snapshot body objects, of its record-set objects. */
  byStream: Map<string, StreamBytes>;
  /**
   * Per connector instance: its rows in the snapshots table, and the content bytes of its record-set rows (set hash
   * and encoded member lists; for schema-3 tables, the hash pairs), to share those tables' bytes out pro rata.
   */
  rowsByInstance: Map<string, { snapshotRows: number; membershipBytes: number }>;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function objectSizes(root: string): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const prefix of readdirSync(root)) {
    for (const rest of readdirSync(join(root, prefix))) sizes.set(prefix + rest, fileSize(join(root, prefix, rest)));
  }
  return sizes;
}

const RECORD_PAGES = ['records', 'sqlite_autoindex_records_1', 'records_by_kind', 'records_by_item', 'record_controls'];
const SET_PAGES = ['record_sets', 'sqlite_autoindex_record_sets_1', 'set_members', 'set_deltas', 'set_additions', 'set_removals'];
/** Each set row's content bytes, by set: what its table pages hold for it. */
const SET_ROW_BYTES = [
  'SELECT hash AS set_hash, length(hash) + length(members) + IFNULL(length(removed), 0) AS bytes FROM record_sets',
  ...['set_members', 'set_additions', 'set_removals'].map((table) => `SELECT set_hash, length(set_hash) + length(record_hash) AS bytes FROM ${table}`),
  'SELECT set_hash, length(set_hash) + length(base_hash) AS bytes FROM set_deltas',
];
const SNAPSHOT_PAGES = [
  'snapshots',
  'sqlite_autoindex_snapshots_1',
  'snapshots_by_entry',
  'snapshots_by_request',
  'snapshot_lists',
  'sqlite_autoindex_snapshot_lists_1',
  'snapshot_lists_whole',
  'conditional_bases',
  'conditional_bases_by_request',
];

/** Measure a locker directory; the locker may be open (a second connection checkpoints its WAL). */
export function measureLocker(dir: string): StorageFigures {
  const db = new Database(join(dir, 'locker.db'));
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pages = new Map((db.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name').all() as Array<{ name: string; bytes: number }>).map((row) => [row.name, row.bytes]));
    const sum = (names: string[]) => names.reduce((total, name) => total + (pages.get(name) ?? 0), 0);
    const objects = objectSizes(join(dir, 'objects'));
    const byStream = new Map<string, StreamBytes>();
    const entry = (stream: string) => byStream.get(stream) ?? byStream.set(stream, { recordJsonBytes: 0, snapshotObjectBytes: 0, setObjectBytes: 0 }).get(stream)!;
    for (const row of db.prepare('SELECT stream, SUM(length(json)) AS bytes FROM records GROUP BY stream').all() as Array<{ stream: string; bytes: number }>) entry(row.stream).recordJsonBytes += row.bytes;
    const counted = new Set<string>();
    const lists = new ListCache();
    for (const run of db.prepare('SELECT run_id, stream FROM stream_runs WHERE snapshot_count > 0 ORDER BY rowid').all() as Array<{ run_id: string; stream: string }>) {
      for (const snapshot of snapshotRows(db, run.run_id, run.stream, lists)) {
        if (counted.has(snapshot.bodyHash)) continue;
        counted.add(snapshot.bodyHash);
        entry(run.stream).snapshotObjectBytes += objects.get(snapshot.bodyHash) ?? 0;
      }
    }
    for (const row of db.prepare('SELECT DISTINCT stream, record_set AS hash FROM stream_runs').iterate() as Iterable<{ stream: string; hash: string }>) {
      if (counted.has(row.hash)) continue;
      counted.add(row.hash);
      entry(row.stream).setObjectBytes += objects.get(row.hash) ?? 0;
    }
    const rowsByInstance = new Map<string, { snapshotRows: number; membershipBytes: number }>();
    const rows = (instance: string) => rowsByInstance.get(instance) ?? rowsByInstance.set(instance, { snapshotRows: 0, membershipBytes: 0 }).get(instance)!;
    const entries = `SELECT stream, 1 AS n FROM snapshots UNION ALL SELECT stream, entry_count AS n FROM snapshot_lists`;
    for (const row of db.prepare(`SELECT substr(stream, 1, instr(stream, '/') - 1) AS instance, SUM(n) AS n FROM (${entries}) GROUP BY instance`).all() as Array<{ instance: string; n: number }>) rows(row.instance).snapshotRows += row.n;
    const membership = `SELECT s.instance, SUM(m.bytes) AS n FROM (${SET_ROW_BYTES.join(' UNION ALL ')}) m JOIN (SELECT DISTINCT instance, record_set FROM stream_runs) s ON s.record_set = m.set_hash GROUP BY s.instance`;
    for (const row of db.prepare(membership).all() as Array<{ instance: string; n: number }>) rows(row.instance).membershipBytes += row.n;
    const dbBytes = fileSize(join(dir, 'locker.db')) + fileSize(join(dir, 'locker.db-wal'));
    const objectBytes = [...objects.values()].reduce((a, b) => a + b, 0);
    return { totalBytes: dbBytes + objectBytes, dbBytes, objectBytes, recordTableBytes: sum(RECORD_PAGES), setTableBytes: sum(SET_PAGES), snapshotTableBytes: sum(SNAPSHOT_PAGES), byStream, rowsByInstance };
  } finally {
    db.close();
  }
}
