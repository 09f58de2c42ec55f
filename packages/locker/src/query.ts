/**
 * Reading the locker: runs, cursors, snapshots and record populations. Only
 * committed runs with a manifest count. A state stream's population at a time
 * is the record set of its last complete stream run at or before that time;
 * an event stream's population is every record it ever collected, with the
 * newest version of each item (kind, system, key) as the current one.
 */
import type { Provenance } from '@evidentia/evidence';
import type { EvidenceRecord } from '@evidentia/evidence';
import { parseManifest } from './manifest.js';
import type { ObjectStore } from './objects.js';
import { julianDay } from './instants.js';
import type { Db } from './schema.js';
import { materializeSets } from './set-members-view.js';
import { ListCache, snapshotRows } from './snapshot-lists.js';
import { liveWriter } from './writer-lock.js';
import type { RecordQuery, RunSummary, StoredRecord, StoredSnapshot } from './types.js';

interface RunRowView {
  id: string;
  trigger: string;
  started_at: string;
  sequence: number | null;
  hash: string | null;
}

const RUN_ROWS = `SELECT r.id, r.trigger, r.started_at, m.sequence, m.hash FROM runs r LEFT JOIN manifests m ON m.run_id = r.id`;

function summaryOf(row: RunRowView, objects: ObjectStore, writerRunId: string | undefined): RunSummary {
  const summary = { runId: row.id, trigger: row.trigger, startedAt: row.started_at, sequence: row.sequence, manifestHash: row.hash };
  if (row.hash === null) {
    return { ...summary, status: writerRunId === row.id ? 'running' : 'interrupted', finishedAt: null, streams: [] };
  }
  const manifest = parseManifest(objects.read(row.hash));
  return { ...summary, status: manifest.status, finishedAt: manifest.finishedAt, streams: manifest.streams };
}

export function listRuns(db: Db, objects: ObjectStore, dir: string): RunSummary[] {
  const rows = db.prepare(`${RUN_ROWS} ORDER BY r.rowid`).all() as RunRowView[];
  const writer = liveWriter(dir);
  return rows.map((row) => summaryOf(row, objects, writer?.runId));
}

/** The run started last, as `runs` lists it (running, interrupted, or its manifest's status), reading one manifest at most. */
export function latestRun(db: Db, objects: ObjectStore, dir: string): RunSummary | null {
  const row = db.prepare(`${RUN_ROWS} ORDER BY r.rowid DESC LIMIT 1`).get() as RunRowView | undefined;
  return row ? summaryOf(row, objects, liveWriter(dir)?.runId) : null;
}

export function cursorOf(db: Db, instance: string, stream: string): string | null {
  const row = db
    .prepare(
      `SELECT sr.cursor_after FROM stream_runs sr JOIN manifests m ON m.run_id = sr.run_id
       WHERE sr.stream = ? AND sr.status = 'complete' ORDER BY m.sequence DESC LIMIT 1`,
    )
    .get(`${instance}/${stream}`) as { cursor_after: string | null } | undefined;
  return row?.cursor_after ?? null;
}

/**
 * The first committed snapshot with this entry hash. Entry hashes are not
 * indexed (a list stores provenance, and its hashes are recomputed), so this
 * walks the committed stream runs in order: an occasional lookup, not a hot path.
 */
export function findSnapshot(db: Db, entryHash: string): StoredSnapshot | null {
  const streamRuns = db
    .prepare('SELECT sr.run_id, sr.stream FROM stream_runs sr JOIN manifests m ON m.run_id = sr.run_id WHERE sr.snapshot_count > 0 ORDER BY m.sequence, sr.position')
    .iterate() as IterableIterator<{ run_id: string; stream: string }>;
  const cache = new ListCache(8);
  for (const { run_id: runId, stream } of streamRuns) {
    for (const row of snapshotRows(db, runId, stream, cache)) {
      if (row.entryHash === entryHash) return { entryHash, bodyHash: row.bodyHash, provenance: JSON.parse(row.provenance) as Provenance, runId, stream };
    }
  }
  return null;
}

const CANDIDATE_SQL = `
candidate AS (
  SELECT sr.run_id, sr.stream, sr.type, sr.status, sr.record_set, sr.started_at, m.sequence
  FROM stream_runs sr JOIN manifests m ON m.run_id = sr.run_id
  WHERE (@at IS NULL OR julianday(sr.started_at) <= @at) AND (@stream IS NULL OR sr.stream = @stream)
),
latest_state AS (
  SELECT run_id, record_set, started_at FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.stream ORDER BY c.sequence DESC) AS rn
    FROM candidate c WHERE c.type = 'state' AND c.status = 'complete'
  ) WHERE rn = 1
)`;

const SETS_READ_SQL = `WITH ${CANDIDATE_SQL} SELECT record_set FROM latest_state UNION SELECT record_set FROM candidate WHERE type = 'event'`;

const RECORDS_SQL = `
WITH ${CANDIDATE_SQL},
state_records AS (
  SELECT sm.record_id AS id, s.run_id, s.started_at AS observed_at
  FROM latest_state s JOIN members sm ON sm.set_hash = s.record_set
),
event_versions AS (
  SELECT sm.record_id AS id, MAX(c.sequence) AS last_seen
  FROM candidate c JOIN members sm ON sm.set_hash = c.record_set
  WHERE c.type = 'event' GROUP BY sm.record_id
),
event_records AS (
  SELECT id, run_id, observed_at FROM (
    SELECT v.id, r.run_id, collected.started_at AS observed_at,
      ROW_NUMBER() OVER (PARTITION BY r.kind, r.system, r.key ORDER BY v.last_seen DESC, r.rowid DESC) AS rn
    FROM event_versions v
    JOIN records r ON r.rowid = v.id
    JOIN stream_runs collected ON collected.run_id = r.run_id AND collected.stream = r.stream
  ) WHERE rn = 1
),
chosen AS (SELECT * FROM state_records UNION ALL SELECT * FROM event_records)
SELECT r.hash, r.json, c.run_id, c.observed_at
FROM chosen c JOIN records r ON r.rowid = c.id
WHERE (@kind IS NULL OR r.kind = @kind)
  AND (@control IS NULL OR EXISTS (SELECT 1 FROM record_controls rc WHERE rc.control = @control AND rc.record_hash = r.hash))
ORDER BY r.stream, r.kind, r.system, r.key, r.hash
LIMIT @limit`;

/** Streams rows straight from SQLite; memory stays flat whatever the population size. */
export function* queryRecords(db: Db, query: RecordQuery): Generator<StoredRecord> {
  const at = query.at ? julianDay(query.at) : null;
  const stream = query.stream ?? null;
  materializeSets(db, db.prepare(SETS_READ_SQL).pluck().all({ at, stream }) as string[]);
  const rows = db.prepare(RECORDS_SQL).iterate({
    at,
    stream,
    kind: query.kind ?? null,
    control: query.control ?? null,
    limit: query.limit ?? -1,
  }) as IterableIterator<{ hash: string; json: string; run_id: string; observed_at: string }>;
  for (const row of rows) {
    yield { ...(JSON.parse(row.json) as EvidenceRecord), hash: row.hash, observedAt: row.observed_at, runId: row.run_id };
  }
}
