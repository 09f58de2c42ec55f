/**
 * A run's write transaction, guarded against the rollback SQLite makes on its
 * own. When a write fails with a full disk, a file-size limit or an I/O error
 * (SQLITE_FULL, SQLITE_IOERR), SQLite may roll the whole transaction back and
 * leave the connection in autocommit: every later statement of the run would
 * then commit by itself, a stream run or snapshot list without its manifest
 * (which `verify` can only take for a removed manifest, for good) or a
 * manifest naming streams whose rows were rolled back. So a marker row is
 * written inside the transaction, in a temporary table, and temporary
 * triggers refuse every insert into the locker's tables while the marker is
 * missing: once the transaction is gone, nothing more of the run is written.
 */
import type { Db } from './schema.js';

const MARKER = 'temp.run_transaction_open';
const TRIGGER_PREFIX = 'run_transaction_guard_';
/**
 * The tables a run writes a row of per record: a trigger doubles an insert's cost (about 1.3 µs more per row,
 * measured), and the stream writer asks whether the transaction is still open before every record it writes
 * (SqliteRunWriter.assertOpen), so a record is never written once it is gone.
 */
const CHECKED_PER_RECORD = new Set(['records', 'record_controls']);

/** Begin the run's write transaction with the guard in place. */
export function beginRunTransaction(db: Db): void {
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${MARKER.slice('temp.'.length)} (open INTEGER NOT NULL)`);
  const tables = db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  for (const table of tables.filter((name) => !CHECKED_PER_RECORD.has(name))) {
    db.exec(
      `CREATE TEMP TRIGGER IF NOT EXISTS ${TRIGGER_PREFIX}${table} BEFORE INSERT ON main.${table}
       WHEN NOT EXISTS (SELECT 1 FROM ${MARKER})
       BEGIN SELECT RAISE(ABORT, 'the run''s write transaction was rolled back: nothing more of the run is written'); END`,
    );
  }
  db.exec('BEGIN IMMEDIATE');
  db.prepare(`INSERT INTO ${MARKER} (open) VALUES (1)`).run();
}

/** Lift the guard (the run is over): the connection may then write on its own, as sealing an aborted run does. */
export function endRunTransactionGuard(db: Db): void {
  const triggers = db.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE ?").pluck().all(`${TRIGGER_PREFIX}%`) as string[];
  for (const trigger of triggers) db.exec(`DROP TRIGGER temp.${trigger}`);
}
