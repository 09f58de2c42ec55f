/**
 * Verification of the record rows: each row's stored JSON against its own
 * hash (the bytes as stored are the bytes that were hashed, so nothing is
 * re-canonicalized), its indexed columns against its JSON, and the control
 * index against the controls each record claims. One cursor over the table;
 * the claims are kept per group of rows claiming the same controls and
 * merged at the end with each control's index rows read in key order (a
 * B-tree seek per claim cost more than the rest of the pass), and the index is known to hold nothing more when its
 * size is the number of claims, so SQLite parses no record's JSON again (it
 * did per index row) unless something is wrong. Held claims cost a reference
 * to each claiming row's hash string until the merge: about what a record
 * set's sorted hashes already cost. A row's label is built only for a
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

/** Non-text claims sent to SQLite together (a statement per pair costs more than the pair). */
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
 * The claims of every row, to be matched against the index. Rows that claim
 * the same text controls (all a writer stores; one kind's records usually
 * claim the same ones) are kept together, so their hashes are sorted once
 * and merged at the end with each of those controls' index rows, read in
 * key order (no seek per claim). Any other JSON value keeps its exact SQLite
 * comparison through a [control, hash] pair, sent a batch at a time.
 */
class Claims {
  /** Per distinct list of claimed text controls (as JSON, unambiguous whatever a control holds): the controls and the hashes of the rows claiming them. */
  readonly groups = new Map<string, { controls: string[]; hashes: string[] }>();
  readonly pairs: unknown[] = [];
  size = 0;

  add(controls: unknown[], hash: string): void {
    if (controls.length === 0) return;
    let text: string[] | null = controls.every((control) => typeof control === 'string') ? (controls as string[]) : null;
    for (let index = 0; index < controls.length; index++) {
      const control = controls[index];
      // A control listed twice is one index row (the index holds distinct pairs).
      if (controls.indexOf(control) !== index) {
        text = null;
        continue;
      }
      this.size++;
      if (typeof control !== 'string') this.pairs.push([control, hash]);
    }
    if (text === null) text = [...new Set(controls.filter((control): control is string => typeof control === 'string'))];
    if (text.length === 0) return;
    const key = JSON.stringify(text);
    const group = this.groups.get(key);
    if (group) group.hashes.push(hash);
    else this.groups.set(key, { controls: text, hashes: [hash] });
  }
}

/**
 * The claimed hashes that a control's index rows do not list, both sorted
 * (JavaScript's default order, code unit by code unit, on both sides: SQLite's
 * order of an altered non-hex hash column need not be the same), then merged.
 */
export function unindexedClaims(sortedClaims: readonly string[], sortedIndexed: readonly string[]): string[] {
  const missing: string[] = [];
  let next = 0;
  for (const hash of sortedClaims) {
    while (next < sortedIndexed.length && sortedIndexed[next]! < hash) next++;
    // The pointer stays on a match, so a hash claimed by two rows (a dropped UNIQUE index) matches the one index row, as a lookup would.
    if (next >= sortedIndexed.length || sortedIndexed[next] !== hash) missing.push(hash);
  }
  return missing;
}

/** Sorted in place; the index rows come in key order, which a linear pass confirms instead of a sort. */
function sorted(values: string[]): string[] {
  for (let index = 1; index < values.length; index++) if (values[index - 1]! > values[index]!) return values.sort();
  return values;
}

/** Each claim group against the index rows of its controls, each control's rows read once. */
function matchClaimGroups(scope: VerifyScope, claims: Claims, unlisted: (hash: string, control: string) => void): void {
  const indexedOf = scope.db.prepare('SELECT record_hash FROM record_controls WHERE control = ? ORDER BY record_hash').pluck();
  const groupsOf = new Map<string, string[][]>();
  for (const group of claims.groups.values()) {
    const hashes = group.hashes.sort();
    for (const control of group.controls) {
      const list = groupsOf.get(control);
      if (list) list.push(hashes);
      else groupsOf.set(control, [hashes]);
    }
  }
  claims.groups.clear();
  for (const [control, groups] of groupsOf) {
    const indexed = sorted(indexedOf.all(control) as string[]);
    for (const hashes of groups) for (const hash of unindexedClaims(hashes, indexed)) unlisted(hash, control);
  }
}

/** Each record row against its own hash, its indexed columns and its control index entries. */
export function checkRecordRows(scope: VerifyScope): RecordTally {
  const { db } = scope;
  const unindexedPairs = db.prepare(
    `SELECT j.value ->> '$[1]' AS hash, j.value ->> '$[0]' AS control FROM json_each(?) j
     WHERE NOT EXISTS (SELECT 1 FROM record_controls c WHERE c.control = j.value ->> '$[0]' AND c.record_hash = j.value ->> '$[1]')`,
  );
  const claims = new Claims();
  let missing = 0;
  const unlisted = (hash: string, control: unknown) => {
    missing++;
    scope.problem('record-altered', `record ${hash} claims control ${control} but the control index does not list it`);
  };
  const flushPairs = () => {
    if (claims.pairs.length === 0) return;
    for (const row of unindexedPairs.all(JSON.stringify(claims.pairs)) as { hash: string; control: unknown }[]) unlisted(row.hash, row.control);
    claims.pairs.length = 0;
  };
  const tally: RecordTally = { records: 0, bytes: 0 };
  // One cursor over the table; non-text claims are looked up on the same connection while it stays open (reads may interleave).
  const rows = db.prepare('SELECT hash, kind, key, system, stream, occurred_at, json FROM records').raw().iterate() as IterableIterator<RecordRow>;
  for (const row of rows) {
    checkRow(scope, row, tally, claims);
    if (claims.pairs.length >= ROW_BATCH) flushPairs();
  }
  flushPairs();
  matchClaimGroups(scope, claims, unlisted);
  // Every claim is in the index and both hold distinct pairs: equal sizes mean equal sets, with no further read.
  if (missing > 0 || (db.prepare('SELECT COUNT(*) FROM record_controls').pluck().get() as number) !== claims.size) checkOverindexed(scope);
  return tally;
}

/** The indexed columns, in the order the statement reads them, and the record field each must equal. */
const COLUMNS = ['kind', 'key', 'system', 'stream', 'occurredAt'] as const;

/** One record row: its hash, its JSON and its columns; the controls it claims are added to `claims`. */
function checkRow(scope: VerifyScope, row: RecordRow, tally: RecordTally, claims: Claims): void {
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
