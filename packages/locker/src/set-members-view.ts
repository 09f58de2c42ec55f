/**
 * The temporary view `members (set_hash, record_id)` that queries join to
 * read record-set membership: a set's members as rowids of `records`. Sets
 * are stored encoded (record-sets.ts), so a query first names the sets it
 * reads and they are decoded into temp tables of this connection once; sets
 * never change, so a set decoded stays valid for the connection's life.
 */
import { hashCanonical } from '@evidentia/evidence';
import { compactRowids, compactSetRow } from './compact-sets.js';
import { LockerError } from './errors.js';
import { isLegacyDeltaSet, legacyMembers } from './legacy-sets.js';
import { prepared } from './prepared-statements.js';
import type { Db } from './schema.js';

const TEMP_SCHEMA = `
CREATE TEMP TABLE IF NOT EXISTS member_sets (id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE);
CREATE TEMP TABLE IF NOT EXISTS member_rows (set_id INTEGER NOT NULL, record_id INTEGER NOT NULL, PRIMARY KEY (set_id, record_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS temp.member_rows_by_record ON member_rows (record_id);
CREATE TEMP VIEW IF NOT EXISTS members AS
  SELECT s.hash AS set_hash, m.record_id FROM temp.member_sets s JOIN temp.member_rows m ON m.set_id = s.id;`;

/** The empty set's name: it has no membership rows in any layout. */
const EMPTY_SET = hashCanonical([]).hash;

const viewReady = new WeakSet<Db>();

/** Decode one set into member_rows under `setId`. */
function load(db: Db, setId: number, setHash: string): void {
  const insert = prepared(db, 'INSERT OR IGNORE INTO temp.member_rows (set_id, record_id) VALUES (?, ?)');
  const row = compactSetRow(db, setHash);
  if (row) {
    let rowids: number[];
    try {
      rowids = compactRowids(db, row);
    } catch (error) {
      throw new LockerError(`${(error as Error).message}; run \`evidentia verify\``);
    }
    for (const rowid of rowids) insert.run(setId, rowid);
  } else if (isLegacyDeltaSet(db, setHash)) {
    const members = legacyMembers(db, setHash);
    if (!members) throw new LockerError(`record set ${setHash} is stored as a change whose base set is missing; run \`evidentia verify\``);
    const rowid = prepared(db, 'SELECT rowid FROM records WHERE hash = ?').pluck();
    for (const hash of members) {
      const id = rowid.get(hash) as number | undefined;
      if (id === undefined) throw new LockerError(`record set ${setHash} lists record ${hash}, which is missing from the records table; run \`evidentia verify\``);
      insert.run(setId, id);
    }
  } else {
    // A set written before schema 4 as set_members rows; a set with no rows at all is only the empty set.
    const listed = prepared(db, 'SELECT COUNT(*) FROM main.set_members WHERE set_hash = ?').pluck().get(setHash) as number;
    if (listed === 0 && setHash !== EMPTY_SET) throw new LockerError(`record set ${setHash} is named by a committed stream run but no rows hold its members; run \`evidentia verify\``);
    const found = prepared(db, 'INSERT OR IGNORE INTO temp.member_rows (set_id, record_id) SELECT ?, r.rowid FROM main.set_members sm JOIN main.records r ON r.hash = sm.record_hash WHERE sm.set_hash = ?').run(setId, setHash).changes;
    if (found < listed) throw new LockerError(`record set ${setHash} lists ${listed - found} of its ${listed} records that are missing from the records table; run \`evidentia verify\``);
  }
}

/** Make `members` answer for these sets on this connection. */
export function materializeSets(db: Db, setHashes: Iterable<string>): void {
  if (!viewReady.has(db)) {
    db.exec(TEMP_SCHEMA);
    viewReady.add(db);
  }
  const known = prepared(db, 'SELECT 1 FROM temp.member_sets WHERE hash = ?');
  // Only reads when every set is decoded already: a query started while another one's rows are being read can still run.
  const missing = [...new Set(setHashes)].filter((setHash) => known.get(setHash) === undefined);
  if (missing.length === 0) return;
  const add = prepared(db, 'INSERT INTO temp.member_sets (hash) VALUES (?)');
  db.transaction(() => {
    for (const setHash of missing) load(db, Number(add.run(setHash).lastInsertRowid), setHash);
  })();
}
