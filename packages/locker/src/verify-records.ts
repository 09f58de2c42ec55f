/**
 * Verification of the record rows: each row's stored JSON against its own
 * hash (the bytes as stored are the bytes that were hashed, so nothing is
 * re-canonicalized), its indexed columns against its JSON, and the control
 * index against the controls each record claims. One pass over the table,
 * in batches of rows: each batch's claims are looked up in the index by one
 * statement, and the index is known to hold nothing more when its size is
 * the number of claims, so SQLite parses no record's JSON again (it did per
 * index row) unless something is wrong.
 */
import { hash as digest } from 'node:crypto';
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
  // A batch's claims go to SQLite as one JSON text, each looked up in the index there (a statement per claim costs more than the claim).
  const unindexed = db.prepare(
    `SELECT j.value ->> '$[1]' AS hash, j.value ->> '$[0]' AS control FROM json_each(?) j
     WHERE NOT EXISTS (SELECT 1 FROM record_controls c WHERE c.control = j.value ->> '$[0]' AND c.record_hash = j.value ->> '$[1]')`,
  );
  const pending: unknown[] = [];
  let claims = 0;
  let missing = 0;
  const flush = () => {
    if (pending.length === 0) return;
    claims += pending.length;
    for (const row of unindexed.all(JSON.stringify(pending)) as { hash: string; control: string }[]) {
      missing++;
      scope.problem('record-altered', `record ${row.hash} claims control ${row.control} but the control index does not list it`);
    }
    pending.length = 0;
  };
  const tally: RecordTally = { records: 0, bytes: 0 };
  // Rows are read in batches by rowid, not through one open cursor, so each batch's claims can be looked up on this connection before the next.
  const batch = db.prepare('SELECT rowid, hash, kind, key, system, stream, occurred_at, json FROM records WHERE rowid > ? ORDER BY rowid LIMIT ?').raw();
  for (let rows = batch.all(0, ROW_BATCH) as RecordRow[]; rows.length > 0; rows = batch.all(rows.at(-1)![0], ROW_BATCH) as RecordRow[]) {
    for (const row of rows) checkRow(scope, row, tally, pending);
    flush();
  }
  // Every claim is in the index and both hold distinct pairs: equal sizes mean equal sets, with no further read.
  if (missing > 0 || (db.prepare('SELECT COUNT(*) FROM record_controls').pluck().get() as number) !== claims) checkOverindexed(scope);
  return tally;
}

/** One record row: its hash, its JSON and its columns; the controls it claims are added to `claims`. */
function checkRow(scope: VerifyScope, [, hash, kind, key, system, stream, occurredAt, json]: RecordRow, tally: RecordTally, claims: unknown[]): void {
  tally.records++;
  tally.bytes += Buffer.byteLength(json);
  const record = parsed(json);
  // The index was built from the JSON as stored, so an altered record's claims are still compared with it.
  for (const control of new Set(record ? claimedControls(record) : [])) claims.push([control, hash]);
  const label = `record ${hash} (${kind} ${JSON.stringify(key)})`;
  const actual = digest('sha256', json);
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

/** Index rows that link an existing record to a control it does not claim (run only when the counts say there are some). */
function checkOverindexed(scope: VerifyScope): void {
  const overindexed = scope.db
    .prepare(
      `SELECT c.record_hash AS hash, c.control FROM record_controls c
       WHERE EXISTS (SELECT 1 FROM records r WHERE r.hash = c.record_hash)
         AND NOT EXISTS (SELECT 1 FROM records r, json_each(CASE WHEN json_valid(r.json) THEN r.json ELSE '{}' END, '$.controls') j
                         WHERE r.hash = c.record_hash AND j.value = c.control)`,
    )
    .iterate() as IterableIterator<{ hash: string; control: string }>;
  for (const row of overindexed) scope.problem('record-altered', `the control index links record ${row.hash} to control ${row.control}, which the record does not claim`);
}
