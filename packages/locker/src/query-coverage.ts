/**
 * Reading the locker for coverage, status and the daemon: every stream run of
 * committed runs as a flat, time-ordered list (ranges, declared gaps, status,
 * error), the newest attempt and success of each stream, and the runs of a
 * trigger with their parameters (the daemon records missed schedules there).
 * Rows stream straight from SQLite, so a year of hourly runs is read in
 * bounded memory, and no manifest object is opened: the stream_runs rows are
 * the ones `verify` checks against the signed manifests.
 */
import type { DeclaredGap, ItemGap, StreamType } from '@evidentia/evidence';
import { julianDay } from './instants.js';
import type { Db } from './schema.js';
import type { RunEntry, StreamHead, StreamRunEntry, StreamRunQuery } from './types.js';

interface EntryRow {
  run_id: string;
  sequence: number;
  trigger: string;
  stream: string;
  type: string;
  status: string;
  error: string | null;
  range_since: string | null;
  range_until: string | null;
  gaps: string;
  item_gaps: string;
  started_at: string;
  finished_at: string;
}

const COLUMNS = `sr.run_id, m.sequence, r.trigger, sr.stream, sr.type, sr.status, sr.error, sr.range_since, sr.range_until, sr.gaps, sr.item_gaps, sr.started_at, sr.finished_at`;
const FROM = `FROM stream_runs sr JOIN manifests m ON m.run_id = sr.run_id JOIN runs r ON r.id = sr.run_id`;

const NO_GAPS: DeclaredGap[] = [];
const NO_ITEM_GAPS: ItemGap[] = [];

function entryOf(row: EntryRow): StreamRunEntry {
  return {
    runId: row.run_id,
    sequence: row.sequence,
    trigger: row.trigger,
    stream: row.stream,
    type: row.type as StreamType,
    status: row.status as StreamRunEntry['status'],
    error: row.error,
    rangeSince: row.range_since,
    rangeUntil: row.range_until,
    // Almost every row declares none: skip the parse.
    gaps: row.gaps === '[]' ? NO_GAPS : (JSON.parse(row.gaps) as DeclaredGap[]),
    itemGaps: row.item_gaps === '[]' ? NO_ITEM_GAPS : (JSON.parse(row.item_gaps) as ItemGap[]),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

// Every stream: walk the manifests in sequence order (CROSS JOIN fixes the loop order) and sort only within a
// run, so memory stays flat. One stream: its index, then a sort of that stream's rows.
const ALL_STREAMS = `SELECT ${COLUMNS} FROM manifests m CROSS JOIN runs r ON r.id = m.run_id CROSS JOIN stream_runs sr ON sr.run_id = m.run_id
  WHERE julianday(r.started_at) >= @since AND julianday(sr.started_at) <= @by ORDER BY m.sequence, sr.position`;
const ONE_STREAM = `SELECT ${COLUMNS} ${FROM} WHERE sr.stream = @stream AND julianday(r.started_at) >= @since AND julianday(sr.started_at) <= @by ORDER BY m.sequence, sr.position`;

/** Stream runs of committed runs in commit order (manifest sequence, then position in the run). */
export function* queryStreamRuns(db: Db, query: StreamRunQuery): Generator<StreamRunEntry> {
  const bounds = { by: query.startedBy ? julianDay(query.startedBy) : Number.MAX_VALUE, since: query.since ? julianDay(query.since) : -Number.MAX_VALUE };
  const statement = query.stream === undefined ? db.prepare(ALL_STREAMS).bind(bounds) : db.prepare(ONE_STREAM).bind({ ...bounds, stream: query.stream });
  for (const row of statement.iterate() as IterableIterator<EntryRow>) yield entryOf(row);
}

/** Per stream: its newest stream run, its newest complete one and when it was first attempted. */
export function queryStreamHeads(db: Db): StreamHead[] {
  const rows = db
    .prepare(
      `SELECT * FROM (
         SELECT ${COLUMNS},
           ROW_NUMBER() OVER (PARTITION BY sr.stream ORDER BY m.sequence DESC) AS newest,
           ROW_NUMBER() OVER (PARTITION BY sr.stream, sr.status ORDER BY m.sequence DESC) AS newest_of_status,
           MIN(sr.started_at) OVER (PARTITION BY sr.stream) AS first_started_at
         ${FROM}
       ) WHERE newest = 1 OR (newest_of_status = 1 AND status = 'complete')
       ORDER BY stream, sequence DESC`,
    )
    .all() as Array<EntryRow & { newest: number; first_started_at: string }>;
  const heads = new Map<string, StreamHead>();
  for (const row of rows) {
    const entry = entryOf(row);
    const head = heads.get(row.stream) ?? { stream: row.stream, last: entry, lastComplete: null, firstStartedAt: row.first_started_at };
    if (row.newest === 1) head.last = entry;
    if (entry.status === 'complete' && head.lastComplete === null) head.lastComplete = entry;
    heads.set(row.stream, head);
  }
  return [...heads.values()];
}

/** Runs started with `trigger`, committed or not, oldest first, with their parameters. */
export function queryRunsByTrigger(db: Db, trigger: string): RunEntry[] {
  const rows = db
    .prepare(
      `SELECT r.id, m.sequence, r.trigger, r.parameters, r.started_at
       FROM runs r LEFT JOIN manifests m ON m.run_id = r.id WHERE r.trigger = ? ORDER BY r.rowid`,
    )
    .all(trigger) as Array<{ id: string; sequence: number | null; trigger: string; parameters: string; started_at: string }>;
  return rows.map((row) => ({ runId: row.id, sequence: row.sequence, trigger: row.trigger, parameters: JSON.parse(row.parameters) as Record<string, unknown>, startedAt: row.started_at }));
}
