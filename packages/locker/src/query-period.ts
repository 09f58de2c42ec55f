/**
 * Period queries, for judging evidence over an audit period rather than at
 * one moment: the inventories (state record sets) in effect during a period,
 * every version of their items, the event records that happened in it, the
 * stream runs a period's evidence rests on, and the raw material an audit
 * bundle copies out (manifest rows with their signatures, snapshot entries in
 * collection order, record rows as stored). Like query.ts, only committed
 * runs count, rows are streamed straight from SQLite, and times are compared
 * as instants (instants.ts).
 */
import type { Provenance } from '@evidentia/evidence';
import type { EvidenceRecord } from '@evidentia/evidence';
import { julianDay } from './instants.js';
import type { Db } from './schema.js';
import { setRecordTexts } from './record-set-stream.js';
import { materializeSets } from './set-members-view.js';
import { prepared } from './prepared-statements.js';
import { snapshotRows } from './snapshot-lists.js';
import type { HashedRecord, Inventory, InventoryVersion, ManifestEntry, PeriodPage, PeriodQuery, PeriodStreamRun, RecordText, SnapshotEntry, StoredRecord } from './types.js';

/**
 * The inventories in effect. With `filtered`, only streams holding records of
 * the kind / for the control (a scan of those records); without, every state
 * stream, for queries that filter the records themselves anyway.
 */
export const IN_EFFECT = (filtered: boolean) => `
candidate AS (
  SELECT sr.run_id, sr.stream, sr.record_set, sr.record_count, sr.started_at, m.sequence
  FROM stream_runs sr JOIN manifests m ON m.run_id = sr.run_id
  WHERE sr.type = 'state' AND sr.status = 'complete' AND julianday(sr.started_at) < @until
    AND (@stream IS NULL OR sr.stream = @stream)
    ${
      filtered
        ? `AND (@kind IS NULL OR sr.stream IN (SELECT DISTINCT stream FROM records WHERE kind = @kind))
    AND (@control IS NULL OR sr.stream IN (SELECT DISTINCT r.stream FROM record_controls rc JOIN records r ON r.hash = rc.record_hash WHERE rc.control = @control))`
        : ''
    }
),
inventory AS (
  SELECT * FROM (
    SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.stream ORDER BY c.sequence DESC) AS rn
    FROM candidate c WHERE julianday(c.started_at) <= @since
  ) WHERE rn = 1
  UNION ALL
  SELECT c.*, 0 AS rn FROM candidate c WHERE julianday(c.started_at) > @since
)`;

export function parameters(query: PeriodQuery, page: PeriodPage = {}) {
  return {
    since: julianDay(query.since),
    until: julianDay(query.until),
    kind: query.kind ?? null,
    stream: query.stream ?? null,
    control: query.control ?? null,
    system: page.system ?? null,
    key: page.key ?? null,
    offset: page.offset ?? 0,
    limit: page.limit ?? -1,
  };
}

/** A page's item filter on records `r` (a system, a key). */
const ITEM_FILTER = '(@system IS NULL OR r.system = @system) AND (@key IS NULL OR r.key = @key)';

export const CONTROL_FILTER = '(@control IS NULL OR EXISTS (SELECT 1 FROM record_controls rc WHERE rc.control = @control AND rc.record_hash = r.hash))';

/** The complete state stream runs in effect during the period: per stream, the last one at or before its start, then every one inside it. */
export function queryInventories(db: Db, query: PeriodQuery): Inventory[] {
  const rows = db
    .prepare(`WITH ${IN_EFFECT(true)} SELECT stream, run_id, sequence, started_at, record_set, record_count FROM inventory ORDER BY stream, sequence`)
    .all(parameters(query)) as { stream: string; run_id: string; sequence: number; started_at: string; record_set: string; record_count: number }[];
  return rows.map((row) => ({ stream: row.stream, runId: row.run_id, sequence: row.sequence, observedAt: row.started_at, recordSet: row.record_set, recordCount: row.record_count }));
}

/** The record sets of the inventories in effect, decoded for `members`, and their versions of the query's kind / control and the page's system / key (`versions`, one row per version and set). */
export function inventoryVersions(db: Db, query: PeriodQuery, materialized = false): string {
  materializeSets(db, db.prepare(`WITH ${IN_EFFECT(false)} SELECT DISTINCT record_set FROM inventory`).pluck().all(parameters(query)) as string[]);
  // Materialized for a page, which reads it twice (its items, then their versions): never recomputed per item.
  return `${IN_EFFECT(false)}, sets AS (SELECT DISTINCT record_set FROM inventory),
    versions AS ${materialized ? 'MATERIALIZED' : ''} (
      SELECT r.rowid AS id, r.hash, r.system, r.key, r.kind, s.record_set
      FROM sets s JOIN members sm ON sm.set_hash = s.record_set JOIN records r ON r.rowid = sm.record_id
      WHERE (@kind IS NULL OR r.kind = @kind) AND ${CONTROL_FILTER} AND ${ITEM_FILTER}
    )`;
}

/**
 * Every record version in those inventories, with the record sets that hold
 * it, ordered by item (system, key, kind); with a page, only the versions of
 * the page's items (distinct system, key, kind in that order).
 */
export function* queryInventoryHistory(db: Db, query: PeriodQuery, page: PeriodPage = {}): Generator<InventoryVersion> {
  // Unpaged (a whole population), the versions are read straight in item order, with no list of items first.
  const paged = page.system !== undefined || page.key !== undefined || (page.offset ?? 0) > 0 || page.limit !== undefined;
  const items = paged ? `, items AS MATERIALIZED (SELECT DISTINCT r.system, r.key, r.kind FROM versions r ORDER BY r.system, r.key, r.kind LIMIT @limit OFFSET @offset)` : '';
  // One row per (version, set), already in item order: consecutive rows of one version are merged here rather than by a GROUP BY sort.
  // SQLite sorts the rowids, not the rows: each version's JSON is read once, by rowid, as it comes (with the JSON in
  // the sorter, a million-record window sorted ~700 MB through temporary files and the sorter's memory; issue 15).
  const rows = db
    .prepare(
      `WITH ${inventoryVersions(db, query, paged)}${items}
       SELECT v.id, v.hash, v.record_set AS record_set
       FROM versions v
       ${paged ? 'WHERE (v.system, v.key, v.kind) IN (SELECT system, key, kind FROM items)' : ''}
       ORDER BY v.system, v.key, v.kind, v.hash`,
    )
    .iterate(parameters(query, page)) as IterableIterator<{ id: number; hash: string; record_set: string }>;
  const json = prepared(db, 'SELECT json FROM records WHERE rowid = ?').pluck();
  let pending = null as InventoryVersion | null;
  for (const row of rows) {
    if (pending?.record.hash === row.hash) {
      pending.sets.push(row.record_set);
      continue;
    }
    if (pending) yield pending;
    const record = JSON.parse(json.get(row.id) as string) as HashedRecord;
    record.hash = row.hash;
    pending = { record, sets: [row.record_set] };
  }
  if (pending) yield pending;
}

const EVENT_CANDIDATES = `candidate AS (
  SELECT sr.run_id, sr.stream, sr.record_set, m.sequence FROM stream_runs sr JOIN manifests m ON m.run_id = sr.run_id
  WHERE sr.type = 'event' AND (@stream IS NULL OR sr.stream = @stream)
    AND (@kind IS NULL OR sr.stream IN (SELECT DISTINCT stream FROM records WHERE kind = @kind))
)`;

/**
 * The event sets decoded for `members`, and the newest version of each event
 * item (`newest`, of the page's system / key) with the stream run that
 * collected it (`from`), to be kept when it happened in the period. Of two
 * versions last seen by the same run (an item read twice while it changed),
 * the one stored last, as the writer's previous record is.
 */
export function newestEvents(db: Db, query: PeriodQuery): { cte: string; from: string } {
  materializeSets(db, db.prepare(`WITH ${EVENT_CANDIDATES} SELECT DISTINCT record_set FROM candidate`).pluck().all(parameters(query)) as string[]);
  return {
    cte: `${EVENT_CANDIDATES},
       versions AS (
         SELECT sm.record_id AS id, MAX(c.sequence) AS last_seen FROM candidate c JOIN members sm ON sm.set_hash = c.record_set GROUP BY sm.record_id
       ),
       newest AS (
         SELECT * FROM (
           SELECT r.hash, r.json, r.kind, r.system, r.key, r.occurred_at, r.run_id, r.stream,
             ROW_NUMBER() OVER (PARTITION BY r.kind, r.system, r.key ORDER BY v.last_seen DESC, r.rowid DESC) AS rn
           FROM versions v JOIN records r ON r.rowid = v.id WHERE (@kind IS NULL OR r.kind = @kind) AND ${ITEM_FILTER}
         ) WHERE rn = 1
       )`,
    from: `newest r JOIN stream_runs collected ON collected.run_id = r.run_id AND collected.stream = r.stream
       WHERE julianday(r.occurred_at) >= @since AND julianday(r.occurred_at) < @until AND ${CONTROL_FILTER}`,
  };
}

/** Event records whose newest version happened inside the period, ordered by item; with a page, the page's items only. */
export function* queryPeriodEvents(db: Db, query: PeriodQuery, page: PeriodPage = {}): Generator<StoredRecord> {
  const { cte, from } = newestEvents(db, query);
  const rows = db
    .prepare(`WITH ${cte} SELECT r.hash, r.json, r.run_id, collected.started_at AS observed_at FROM ${from} ORDER BY r.kind, r.system, r.key LIMIT @limit OFFSET @offset`)
    .iterate(parameters(query, page)) as IterableIterator<{ hash: string; json: string; run_id: string; observed_at: string }>;
  for (const row of rows) yield { ...(JSON.parse(row.json) as EvidenceRecord), hash: row.hash, observedAt: row.observed_at, runId: row.run_id };
}

/**
 * The stream runs a period's evidence rests on: the inventories in effect,
 * every event stream run that started inside the period, and every event
 * stream run that collected a record which happened inside it (often a run
 * just after the period ends).
 */
export function queryPeriodStreamRuns(db: Db, query: Pick<PeriodQuery, 'since' | 'until'>): PeriodStreamRun[] {
  materializeSets(db, db.prepare("SELECT DISTINCT sr.record_set FROM stream_runs sr JOIN manifests m ON m.run_id = sr.run_id WHERE sr.type = 'event'").pluck().all() as string[]);
  const rows = db
    .prepare(
      `WITH ${IN_EFFECT(false)},
       events AS (
         SELECT sr.run_id, sr.stream FROM stream_runs sr JOIN manifests m ON m.run_id = sr.run_id
         WHERE sr.type = 'event' AND julianday(sr.started_at) >= @since AND julianday(sr.started_at) < @until
         UNION
         SELECT DISTINCT sr.run_id, sr.stream FROM records r
         JOIN members sm ON sm.record_id = r.rowid
         JOIN stream_runs sr ON sr.record_set = sm.set_hash AND sr.type = 'event'
         JOIN manifests m ON m.run_id = sr.run_id
         WHERE julianday(r.occurred_at) >= @since AND julianday(r.occurred_at) < @until
       ),
       chosen AS (SELECT run_id, stream FROM inventory UNION SELECT run_id, stream FROM events)
       SELECT m.sequence, sr.run_id, sr.instance, sr.name, sr.type, sr.record_set, sr.started_at
       FROM chosen c JOIN stream_runs sr ON sr.run_id = c.run_id AND sr.stream = c.stream JOIN manifests m ON m.run_id = sr.run_id
       ORDER BY m.sequence, sr.position`,
    )
    .all(parameters({ ...query })) as { sequence: number; run_id: string; instance: string; name: string; type: string; record_set: string; started_at: string }[];
  return rows.map((row) => ({
    sequence: row.sequence,
    runId: row.run_id,
    instance: row.instance,
    stream: row.name,
    type: row.type as PeriodStreamRun['type'],
    recordSet: row.record_set,
    startedAt: row.started_at,
  }));
}

export function listManifests(db: Db): ManifestEntry[] {
  return db.prepare('SELECT sequence, run_id AS runId, hash, previous, signature FROM manifests ORDER BY sequence').all() as ManifestEntry[];
}

/** A stream run's snapshot entries in collection order; the provenance is parsed from the stored canonical JSON. */
export function* querySnapshotEntries(db: Db, runId: string, stream: string): Generator<SnapshotEntry> {
  for (const row of snapshotRows(db, runId, stream)) {
    yield { seq: row.seq, entryHash: row.entryHash, bodyHash: row.bodyHash, provenance: JSON.parse(row.provenance) as Provenance, runId, stream };
  }
}

/** The distinct records of some record sets, ordered by hash, each as its stored canonical JSON text (which is what its hash covers). */
export function* querySetRecords(db: Db, setHashes: string[]): Generator<RecordText> {
  const streamed = setRecordTexts(db, setHashes);
  if (streamed) {
    yield* streamed;
    return;
  }
  materializeSets(db, setHashes);
  const rows = db
    .prepare(
      `SELECT r.hash, r.json FROM records r WHERE r.rowid IN (
         SELECT sm.record_id FROM members sm WHERE sm.set_hash IN (SELECT value FROM json_each(?))
       ) ORDER BY r.hash`,
    )
    .iterate(JSON.stringify(setHashes)) as IterableIterator<{ hash: string; json: string }>;
  for (const row of rows) yield { hash: row.hash, json: row.json };
}
