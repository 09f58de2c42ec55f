/**
 * Verification of the record rows: each row's stored JSON against its own
 * hash (the bytes as stored are the bytes that were hashed, so nothing is
 * re-canonicalized), its indexed columns against its JSON, and the control
 * index against the controls each record claims. One cursor over the table;
 * each batch's claims are looked up in the index by one statement per
 * control, and the index is known to hold nothing more when its size is the
 * number of claims, so SQLite parses no record's JSON again (it did per
 * index row) unless something is wrong. A row's label is built only for a
 * problem: at a million rows, per-row strings and objects cost more than
 * the hashing.
 */
import { hash as digest } from 'node:crypto';
import type { VerifyScope } from './verify-scope.js';

/** What the record pass hashed: the table's rows and the bytes of their stored JSON. */
export interface RecordTally {
  records: number;
  bytes: number;
}

/** Rows whose claims go to SQLite together (a statement per pair costs more than the pair). */
const ROW_BATCH = 2048;

type RecordRow = [hash: string, kind: string, key: string, system: string, stream: string, occurredAt: string | null, json: string];

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

/**
 * The claims of a batch of rows, to be looked up in the index. Text controls
 * (all a writer stores) are grouped per control, so SQLite gets one list of
 * plain hashes per control to walk; any other JSON value keeps its exact
 * SQLite comparison through a [control, hash] pair.
 */
class PendingClaims {
  readonly byControl = new Map<string, string[]>();
  readonly pairs: unknown[] = [];
  size = 0;

  add(controls: unknown[], hash: string): void {
    for (let index = 0; index < controls.length; index++) {
      const control = controls[index];
      // A control listed twice is one index row (the index holds distinct pairs).
      if (controls.indexOf(control) !== index) continue;
      this.size++;
      if (typeof control !== 'string') {
        this.pairs.push([control, hash]);
        continue;
      }
      const hashes = this.byControl.get(control);
      if (hashes) hashes.push(hash);
      else this.byControl.set(control, [hash]);
    }
  }

  clear(): void {
    this.byControl.clear();
    this.pairs.length = 0;
    this.size = 0;
  }
}

/** Each record row against its own hash, its indexed columns and its control index entries. */
export function checkRecordRows(scope: VerifyScope): RecordTally {
  const { db } = scope;
  // A batch's claims go to SQLite as JSON text, each looked up in the index there (a statement per claim costs more than the claim).
  const unindexedOf = db
    .prepare('SELECT j.value FROM json_each(?) j WHERE NOT EXISTS (SELECT 1 FROM record_controls c WHERE c.control = ? AND c.record_hash = j.value)')
    .pluck();
  const unindexedPairs = db.prepare(
    `SELECT j.value ->> '$[1]' AS hash, j.value ->> '$[0]' AS control FROM json_each(?) j
     WHERE NOT EXISTS (SELECT 1 FROM record_controls c WHERE c.control = j.value ->> '$[0]' AND c.record_hash = j.value ->> '$[1]')`,
  );
  const pending = new PendingClaims();
  let claims = 0;
  let missing = 0;
  const unlisted = (hash: string, control: unknown) => {
    missing++;
    scope.problem('record-altered', `record ${hash} claims control ${control} but the control index does not list it`);
  };
  const flush = () => {
    claims += pending.size;
    for (const [control, hashes] of pending.byControl) {
      for (const hash of unindexedOf.all(JSON.stringify(hashes), control) as string[]) unlisted(hash, control);
    }
    if (pending.pairs.length > 0) {
      for (const row of unindexedPairs.all(JSON.stringify(pending.pairs)) as { hash: string; control: unknown }[]) unlisted(row.hash, row.control);
    }
    pending.clear();
  };
  const tally: RecordTally = { records: 0, bytes: 0 };
  // One cursor over the table; each batch's claims are looked up on the same connection while it stays open (reads may interleave).
  const rows = db.prepare('SELECT hash, kind, key, system, stream, occurred_at, json FROM records').raw().iterate() as IterableIterator<RecordRow>;
  for (const row of rows) {
    checkRow(scope, row, tally, pending);
    if (tally.records % ROW_BATCH === 0) flush();
  }
  flush();
  // Every claim is in the index and both hold distinct pairs: equal sizes mean equal sets, with no further read.
  if (missing > 0 || (db.prepare('SELECT COUNT(*) FROM record_controls').pluck().get() as number) !== claims) checkOverindexed(scope);
  return tally;
}

/** The indexed columns, in the order the statement reads them, and the record field each must equal. */
const COLUMNS = ['kind', 'key', 'system', 'stream', 'occurredAt'] as const;

/** One record row: its hash, its JSON and its columns; the controls it claims are added to `claims`. */
function checkRow(scope: VerifyScope, row: RecordRow, tally: RecordTally, claims: PendingClaims): void {
  const hash = row[0];
  const json = row[6];
  tally.records++;
  tally.bytes += Buffer.byteLength(json);
  const record = parsed(json);
  // The index was built from the JSON as stored, so an altered record's claims are still compared with it.
  if (record) claims.add(claimedControls(record), hash);
  const actual = digest('sha256', json);
  if (actual !== hash) {
    scope.problem('record-altered', `${label(row)}: its stored JSON now hashes to ${actual}`);
    return;
  }
  if (!record) {
    scope.problem('record-altered', `${label(row)}: its stored JSON does not parse`);
    return;
  }
  let differing: string[] | null = null;
  for (let index = 0; index < COLUMNS.length; index++) {
    if (record[COLUMNS[index]!] !== row[index + 1]) (differing ??= []).push(COLUMNS[index]!);
  }
  if (differing) scope.problem('record-altered', `${label(row)}: indexed column(s) ${differing.join(', ')} differ from its JSON`);
}

function label([hash, kind, key]: RecordRow): string {
  return `record ${hash} (${kind} ${JSON.stringify(key)})`;
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
