/**
 * Verification of what one manifest stream commits to: its snapshot entries
 * (re-hashed from provenance and body hash, in collection order, against the
 * snapshot root) and its record set (its members rebuilt from its row and
 * re-hashed, or, for a set written before schema 4, the blob's Merkle root
 * and its membership rows; and a record row for every member).
 */
import { MerkleBuilder } from './merkle.js';
import { compactRowids, compactSetRow, hashesOfRowids, type CompactSetRow } from './compact-sets.js';
import { isLegacyDeltaSet, legacyMembers } from './legacy-sets.js';
import { isObjectSet, setHashOf } from './record-sets.js';
import type { ManifestRow } from './manifest.js';
import { decodeListRow, listRowOf, snapshotEntryHash, type ListRow, type SnapshotLine } from './snapshot-lists.js';
import type { ManifestStream } from './types.js';
import type { VerifyScope } from './verify-scope.js';

/** What a record set blob holds; null fields when the blob could not be read (the object check names it). */
export interface RecordSetSummary {
  count: number | null;
  /** A promise while the second thread computes it (merkle-pool.ts). */
  root: string | Promise<string> | null;
}

function numbered(first: number, last: number): string {
  return first === last ? `snapshot #${first}` : `snapshots #${first}–#${last}`;
}

function checkSnapshots(scope: VerifyScope, runId: string, key: string, stream: ManifestStream, where: string): void {
  const list = listRowOf(scope.db, runId, key);
  if (list) checkSnapshotList(scope, list, stream, where);
  else checkSnapshotRows(scope, runId, key, stream, where);
}

/** A stream run stored as one list: it must decode, and its entries must hash to the manifest's root. */
function checkSnapshotList(scope: VerifyScope, list: ListRow, stream: ManifestStream, where: string): void {
  let lines: SnapshotLine[];
  try {
    lines = decodeListRow(scope.db, list, scope.lists);
  } catch (error) {
    scope.problem('snapshot-altered', `the snapshot list of ${where} cannot be read: ${(error as Error).message}`);
    return;
  }
  const refer = scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)');
  lines.forEach((line, index) => refer.run(line.bodyHash, `snapshot body #${index + 1} of ${where}`));
  const expected = stream.snapshotCount;
  if (list.entry_count !== lines.length) {
    scope.problem('snapshot-altered', `the snapshot list of ${where} says it holds ${list.entry_count} entries but holds ${lines.length}`);
  }
  if (lines.length < expected) {
    scope.problem('snapshot-missing', `${numbered(lines.length + 1, expected)} of ${where} missing (the manifest counts ${expected})`);
    return;
  }
  if (lines.length > expected) {
    scope.problem('snapshot-inserted', `${lines.length - expected} snapshot entr${lines.length - expected === 1 ? 'y' : 'ies'} of ${where} are not in the manifest, which counts ${expected}`);
    return;
  }
  const tree = new MerkleBuilder();
  for (const line of lines) {
    try {
      tree.push(snapshotEntryHash(line.provenance, line.bodyHash));
    } catch {
      scope.problem('snapshot-altered', `a snapshot entry of ${where} has provenance that is not JSON`);
      return;
    }
  }
  const root = tree.root();
  if (root !== stream.snapshotRoot) {
    const patched = list.base === null ? '' : `; it is stored as a patch to list #${list.base}, so an altered base shows here too`;
    scope.problem('snapshot-altered', `snapshot entries of ${where} hash to root ${root}, but the manifest says ${stream.snapshotRoot} (its stored list was altered${patched})`);
  }
}

/** A stream run stored before schema 5: one row per entry, each with its entry hash. */
function checkSnapshotRows(scope: VerifyScope, runId: string, key: string, stream: ManifestStream, where: string): void {
  const tree = new MerkleBuilder();
  const expectedCount = stream.snapshotCount;
  let next = 1;
  let problems = 0;
  const inserted: number[] = [];
  const rows = scope.db
    .prepare('SELECT seq, entry_hash, body_hash, provenance FROM snapshots WHERE run_id = ? AND stream = ? ORDER BY seq')
    .iterate(runId, key) as IterableIterator<{ seq: number; entry_hash: string; body_hash: string; provenance: string }>;
  for (const row of rows) {
    if (row.seq > expectedCount || row.seq < 1) {
      inserted.push(row.seq);
      continue;
    }
    if (row.seq > next) {
      scope.problem('snapshot-missing', `${numbered(next, row.seq - 1)} of ${where} missing`);
      problems++;
    }
    next = row.seq + 1;
    let entry: string | null = null;
    try {
      entry = snapshotEntryHash(row.provenance, row.body_hash);
    } catch {
      // Provenance that is no longer JSON: reported just below.
    }
    if (entry !== row.entry_hash) {
      scope.problem('snapshot-altered', `snapshot #${row.seq} of ${where}: entry ${row.entry_hash} ${entry ? `now hashes to ${entry}` : 'has provenance that is not JSON'}`);
      problems++;
    }
    tree.push(entry ?? row.entry_hash);
  }
  if (next <= expectedCount) {
    scope.problem('snapshot-missing', `${numbered(next, expectedCount)} of ${where} missing (the manifest counts ${expectedCount})`);
    problems++;
  }
  if (inserted.length > 0) {
    scope.problem('snapshot-inserted', `${inserted.length} snapshot row(s) (#${inserted.join(', #')}) of ${where} are not in the manifest, which counts ${expectedCount}`);
    problems++;
  }
  const root = tree.root();
  if (problems === 0 && root !== stream.snapshotRoot) {
    scope.problem('snapshot-altered', `snapshot entries of ${where} hash to root ${root}, but the manifest says ${stream.snapshotRoot} (altered or reordered)`);
  }
}

/**
 * A record set held in a `record_sets` row: the rowids it resolves to (its
 * base chain included) must all be record rows whose hashes, sorted, hash to
 * the set's own hash (which the signed manifest names), and match the row's
 * member count.
 */
/** When a set cannot be read, the stream's records stand in for it, so they are not each reported as in no set (the set's problem is named). */
function standInStreamRecords(scope: VerifyScope, key: string): void {
  scope.db.prepare('INSERT OR IGNORE INTO temp.v_record_refs (hash) SELECT hash FROM records WHERE stream = ?').run(key);
}

/** Hashes written per statement into a scratch table (a statement per member costs more than the member). */
const REFER_BATCH = 4096;

/** Add hashes to a scratch table: the set being checked, or the records some manifest's set holds. */
function insertHashes(scope: VerifyScope, table: 'v_set' | 'v_record_refs', hashes: readonly string[]): void {
  const insert = scope.db.prepare(`INSERT OR IGNORE INTO temp.${table} (hash) SELECT value FROM json_each(?)`);
  for (let index = 0; index < hashes.length; index += REFER_BATCH) insert.run(JSON.stringify(hashes.slice(index, index + REFER_BATCH)));
}

/**
 * Mark the record rows (ascending rowids) a set holds, those no earlier set held as the run's own (first-holders.ts);
 * `unmarked` runs when a rowid is beyond what the marks keep.
 */
function holdRows(scope: VerifyScope, rowids: readonly number[], runId: string, unmarked?: () => void): void {
  const unheld = scope.holders.unheld(rowids, scope.referenced, runId);
  if (scope.referenced.mark(rowids)) scope.holders.add(unheld);
  else unmarked?.();
}

function loadCompactSet(scope: VerifyScope, row: CompactSetRow, key: string, where: string, runId: string): RecordSetSummary {
  const { db } = scope;
  let rowids: number[];
  try {
    rowids = compactRowids(db, row);
  } catch (error) {
    scope.problem('record-set-altered', `record set ${row.hash} of ${where} cannot be rebuilt from its rows: ${(error as Error).message}`);
    standInStreamRecords(scope, key);
    return { count: null, root: null };
  }
  const { hashes, missing } = hashesOfRowids(db, rowids);
  for (const rowid of missing) scope.problem('record-missing', `record set ${row.hash} of ${where} lists record row ${rowid}, which is missing from the records table`);
  // A missing rowid has no row to mark, so marking it too changes nothing.
  holdRows(scope, rowids, runId, () => insertHashes(scope, 'v_record_refs', hashes));
  if (missing.length > 0) return { count: null, root: null };
  const resolved = setHashOf(hashes);
  if (resolved !== row.hash) {
    scope.problem(
      'record-set-altered',
      `record set ${row.hash} of ${where} resolves from its rows to ${hashes.length} records hashing to ${resolved} (a member was added, removed or changed, or the set row was altered)`,
    );
  } else if (row.size !== hashes.length) {
    scope.problem('record-set-altered', `record set ${row.hash} of ${where}: its row counts ${row.size} members, but its members are ${hashes.length}`);
  }
  return { count: hashes.length, root: scope.merkle.root(hashes) };
}

/**
 * A record set written before schema 4 as a change to an earlier set: its
 * rows, resolved, must hash to the set's own hash.
 */
function loadDeltaSet(scope: VerifyScope, setHash: string, where: string, runId: string): RecordSetSummary {
  const { db } = scope;
  const members = legacyMembers(db, setHash);
  if (!members) {
    scope.problem('record-missing', `record set ${setHash} of ${where} is stored as a change, but its base set is missing`);
    return { count: null, root: null };
  }
  const resolved = setHashOf(members);
  if (resolved !== setHash) {
    scope.problem('record-set-altered', `record set ${setHash} of ${where} is stored as a change whose membership rows resolve to ${members.length} records hashing to ${resolved} (a membership row was added, removed or altered)`);
  }
  insertHashes(scope, 'v_set', members);
  reportMissingRecords(scope, setHash, where, runId);
  return { count: members.length, root: scope.merkle.root(members) };
}

function reportMissingRecords(scope: VerifyScope, setHash: string, where: string, runId: string): void {
  const { db } = scope;
  const missing = db
    .prepare('SELECT hash FROM temp.v_set v WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.hash = v.hash)')
    .pluck()
    .iterate() as IterableIterator<string>;
  for (const hash of missing) scope.problem('record-missing', `record ${hash} of ${where} (record set ${setHash}) is missing from the records table`);
  db.exec('INSERT OR IGNORE INTO temp.v_record_refs SELECT hash FROM temp.v_set');
  // Rows of a set stored before schema 4 are named by hash; their rowids say which run they belong to.
  holdRows(scope, db.prepare('SELECT r.rowid FROM temp.v_set v JOIN records r ON r.hash = v.hash ORDER BY r.rowid').pluck().all() as number[], runId);
}

/** Check a record set's members; for a set stored as an object (before schema 4), the blob's content is what counts and its membership rows are compared with it. */
function loadRecordSet(scope: VerifyScope, setHash: string, key: string, where: string, runId: string): RecordSetSummary {
  const { db } = scope;
  const row = compactSetRow(db, setHash);
  if (row) return loadCompactSet(scope, row, key, where, runId);
  db.exec('DELETE FROM temp.v_set');
  if (isLegacyDeltaSet(db, setHash)) return loadDeltaSet(scope, setHash, where, runId);
  const loaded = scope.objects.load(setHash);
  let hashes: unknown = null;
  if (loaded.state === 'ok') {
    try {
      hashes = JSON.parse(loaded.bytes.toString('utf8'));
    } catch {
      // Not JSON although it matches its hash: cannot come from the writer; counted as unreadable below.
    }
  }
  if (!Array.isArray(hashes) || !hashes.every((hash) => typeof hash === 'string')) {
    // The object check names a missing or altered blob (or a set whose row is gone); its membership rows, or else the
    // stream's records, stand in so its records are not each reported as in no set.
    db.prepare('INSERT OR IGNORE INTO temp.v_set SELECT record_hash FROM set_members WHERE set_hash = ?').run(setHash);
    db.exec('INSERT OR IGNORE INTO temp.v_record_refs SELECT hash FROM temp.v_set');
    if ((db.prepare('SELECT COUNT(*) FROM temp.v_set').pluck().get() as number) === 0) standInStreamRecords(scope, key);
    return { count: null, root: null };
  }
  insertHashes(scope, 'v_set', hashes as string[]);
  const unlisted = db
    .prepare('SELECT hash FROM temp.v_set v WHERE NOT EXISTS (SELECT 1 FROM set_members m WHERE m.set_hash = ? AND m.record_hash = v.hash)')
    .pluck()
    .iterate(setHash) as IterableIterator<string>;
  for (const hash of unlisted) scope.problem('record-missing', `record ${hash} of record set ${setHash} (${where}) has no membership row, so queries omit it`);
  const extra = db
    .prepare('SELECT record_hash FROM set_members WHERE set_hash = ? AND record_hash NOT IN (SELECT hash FROM temp.v_set)')
    .pluck()
    .iterate(setHash) as IterableIterator<string>;
  for (const hash of extra) scope.problem('record-inserted', `a membership row adds record ${hash} to record set ${setHash} (${where}), which does not list it`);
  reportMissingRecords(scope, setHash, where, runId);
  return { count: hashes.length, root: scope.merkle.root(hashes as string[]) };
}

/** Check one stream of a manifest; record sets shared by many runs are read once. */
export function checkStream(scope: VerifyScope, manifest: ManifestRow, stream: ManifestStream, recordSets: Map<string, RecordSetSummary>): void {
  const key = `${stream.instance}/${stream.stream}`;
  const where = `run ${manifest.run_id} stream ${key} (manifest ${manifest.sequence})`;
  scope.db.prepare('INSERT OR IGNORE INTO temp.v_streams (run_id, stream) VALUES (?, ?)').run(manifest.run_id, key);
  // A set held in rows has no blob; its rows are checked against its hash instead.
  if (isObjectSet(scope.db, stream.recordSet)) scope.db.prepare('INSERT OR IGNORE INTO temp.v_object_refs (hash, what) VALUES (?, ?)').run(stream.recordSet, `record set of ${where}`);
  checkSnapshots(scope, manifest.run_id, key, stream, where);
  let summary = recordSets.get(stream.recordSet);
  if (!summary) {
    summary = loadRecordSet(scope, stream.recordSet, key, where, manifest.run_id);
    recordSets.set(stream.recordSet, summary);
  }
  const { count, root } = summary;
  if (count === null || root === null) return;
  const compare = (resolved: string) => {
    if (count !== stream.recordCount || resolved !== stream.recordRoot) {
      scope.problem(
        'manifest-altered',
        `record set ${stream.recordSet} of ${where} lists ${count} records with root ${resolved}, but the manifest says ${stream.recordCount} with root ${stream.recordRoot}`,
      );
    }
  };
  // A root still being computed is compared when it arrives (before the report is made: verify.ts awaits scope.pending).
  if (typeof root === 'string') compare(root);
  else scope.pending.push(root.then(compare));
}
