/**
 * Verification of the record rows: each row's stored JSON against its own
 * hash (the bytes as stored are the bytes that were hashed, so nothing is
 * re-canonicalized), its indexed columns against its JSON, and the control
 * index against the controls each record claims. One pass over the table;
 * the controls each record claims go into a scratch table so the index is
 * compared with them by two anti-joins inside SQLite, instead of SQLite
 * parsing every record's JSON again per index row.
 */
import { createHash } from 'node:crypto';
import type { VerifyScope } from './verify-scope.js';

/** What the record pass hashed: the table's rows and the bytes of their stored JSON. */
export interface RecordTally {
  records: number;
  bytes: number;
}

/** Rows read per statement; their claims go to SQLite in one statement (a statement per pair costs more than the pair). */
const ROW_BATCH = 2048;

type RecordRow = [rowid: number, hash: string, kind: string, key: string, system: string, stream: string, occurredAt: string | null, json: string];

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

/** Each record row against its own hash, its indexed columns and its control index entries. */
export function checkRecordRows(scope: VerifyScope): RecordTally {
  const { db } = scope;
  const claim = db.prepare("INSERT OR IGNORE INTO temp.v_claims (control, record_hash) SELECT j.value ->> '$[0]', j.value ->> '$[1]' FROM json_each(?) j");
  const pending: unknown[] = [];
  const flush = () => {
    if (pending.length > 0) claim.run(JSON.stringify(pending));
    pending.length = 0;
  };
  const tally: RecordTally = { records: 0, bytes: 0 };
  // Rows are read in batches by rowid, not through one open cursor: the claims are written between batches on this connection.
  const batch = db.prepare('SELECT rowid, hash, kind, key, system, stream, occurred_at, json FROM records WHERE rowid > ? ORDER BY rowid LIMIT ?').raw();
  for (let rows = batch.all(0, ROW_BATCH) as RecordRow[]; rows.length > 0; rows = batch.all(rows.at(-1)![0], ROW_BATCH) as RecordRow[]) {
    for (const row of rows) checkRow(scope, row, tally, pending);
    flush();
  }
  checkControlIndex(scope);
  return tally;
}

/** One record row: its hash, its JSON and its columns; the controls it claims are added to `claims`. */
function checkRow(scope: VerifyScope, [, hash, kind, key, system, stream, occurredAt, json]: RecordRow, tally: RecordTally, claims: unknown[]): void {
  tally.records++;
  tally.bytes += Buffer.byteLength(json);
  const record = parsed(json);
  // The index was built from the JSON as stored, so an altered record's claims are still compared with it.
  for (const control of record ? claimedControls(record) : []) claims.push([control, hash]);
  const label = `record ${hash} (${kind} ${JSON.stringify(key)})`;
  const actual = createHash('sha256').update(json).digest('hex');
  if (actual !== hash) {
    scope.problem('record-altered', `${label}: its stored JSON now hashes to ${actual}`);
    return;
  }
  if (!record) {
    scope.problem('record-altered', `${label}: its stored JSON does not parse`);
    return;
  }
  const columns = { kind, key, system, stream, occurredAt };
  const differing = (Object.keys(columns) as (keyof typeof columns)[]).filter((field) => record[field] !== columns[field]);
  if (differing.length > 0) scope.problem('record-altered', `${label}: indexed column(s) ${differing.join(', ')} differ from its JSON`);
}

/** The control index must list exactly the controls the records claim: none missing, none added for a record that exists. */
function checkControlIndex(scope: VerifyScope): void {
  const { db } = scope;
  const unindexed = db
    .prepare('SELECT record_hash AS hash, control FROM temp.v_claims v WHERE NOT EXISTS (SELECT 1 FROM record_controls c WHERE c.control = v.control AND c.record_hash = v.record_hash)')
    .iterate() as IterableIterator<{ hash: string; control: string }>;
  let missing = 0;
  for (const row of unindexed) {
    missing++;
    scope.problem('record-altered', `record ${row.hash} claims control ${row.control} but the control index does not list it`);
  }
  // Every claim is in the index and both hold distinct pairs: equal sizes mean equal sets, with no further read.
  const claims = db.prepare('SELECT COUNT(*) FROM temp.v_claims').pluck().get() as number;
  if (missing === 0 && (db.prepare('SELECT COUNT(*) FROM record_controls').pluck().get() as number) === claims) return;
  const overindexed = db
    .prepare(
      `SELECT c.record_hash AS hash, c.control FROM record_controls c
       WHERE EXISTS (SELECT 1 FROM records r WHERE r.hash = c.record_hash)
         AND NOT EXISTS (SELECT 1 FROM temp.v_claims v WHERE v.control = c.control AND v.record_hash = c.record_hash)`,
    )
    .iterate() as IterableIterator<{ hash: string; control: string }>;
  for (const row of overindexed) scope.problem('record-altered', `the control index links record ${row.hash} to control ${row.control}, which the record does not claim`);
}
