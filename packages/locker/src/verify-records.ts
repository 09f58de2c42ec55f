/**
 * Verification of the record rows: each row's stored JSON against its own
 * hash (the bytes as stored are the bytes that were hashed, so nothing is
 * re-canonicalized), its indexed columns against its JSON, its run_id against
 * the run whose record set first holds it, and the control
 * index against the controls each record claims. The rows are scanned in
 * rowid ranges (record-scan.ts): a large table's upper half by a worker
 * thread on its own read connection while this thread scans the lower half,
 * and what each range found is merged here in row order, so the report reads
 * as one scan's would. The claims are kept per group of rows claiming the
 * same controls, as sorted packed hashes, and merged at the end with each
 * control's index rows read in key order (a B-tree seek per claim cost more
 * than the rest of the pass), and the index is known to hold nothing more
 * when its size is the number of claims, so SQLite parses no record's JSON
 * again (it did per index row) unless something is wrong. A row's label is
 * built only for a problem: at a million rows, per-row strings and objects
 * cost more than the hashing.
 */
import { Worker } from 'node:worker_threads';
import type { HolderRanges } from './first-holders.js';
import { scanRecordRange, type ClaimGroup, type RangeScan } from './record-scan.js';
import type { OpenDatabaseOptions } from './schema.js';
import type { VerifyScope } from './verify-scope.js';

/** What the record pass hashed: the table's rows and the bytes of their stored JSON. */
export interface RecordTally {
  records: number;
  bytes: number;
}

/** Non-text claims sent to SQLite together (a statement per pair costs more than the pair). */
const ROW_BATCH = 2048;

/** Where the worker opens the database: the path and the access verify itself uses. */
export interface RecordPassOptions {
  path: string;
  access: OpenDatabaseOptions;
  /** Rows from which the upper half goes to a worker (default 20,000: below, starting it costs more than it saves); Infinity keeps every row on this thread. */
  from?: number;
  /** How the worker is started (tests start one that fails). */
  startWorker?: (workerData: WorkerInput) => Worker;
}

export interface WorkerInput {
  path: string;
  access: OpenDatabaseOptions;
  from: number;
  to: number;
  holders: HolderRanges;
}

/** The worker module beside this one: from source, through an entry that registers tsx in the worker; compiled, the worker itself. */
export function startRecordWorker(workerData: WorkerInput): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const url = new URL(fromSource ? './record-scan-worker-source.mjs' : './record-scan-worker.js', import.meta.url);
  return new Worker(url, { workerData, execArgv: fromSource ? ['--conditions=source'] : [] });
}

/** The worker's scan of its range, or null when it failed (the range is then scanned here). */
function workerScan(start: (workerData: WorkerInput) => Worker, input: WorkerInput): Promise<RangeScan | null> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = start(input);
    } catch {
      resolve(null);
      return;
    }
    // Whichever comes first settles it: a message is the answer, an error or an exit before one is a failure.
    worker.once('message', (scan: RangeScan) => resolve(scan));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
}

/** The packed hashes and the odd ones of a claim group, merged in string order. */
function* groupHashes(group: ClaimGroup): Generator<string> {
  const count = group.packed.length / 32;
  const packed = Buffer.from(group.packed.buffer, group.packed.byteOffset, group.packed.byteLength);
  let odd = 0;
  for (let entry = 0; entry < count; entry++) {
    const hash = packed.toString('hex', entry * 32, entry * 32 + 32);
    while (odd < group.odd.length && group.odd[odd]! < hash) yield group.odd[odd++]!;
    yield hash;
  }
  while (odd < group.odd.length) yield group.odd[odd++]!;
}

/** Sorted sequences merged into one sorted sequence. */
function* mergedSorted(sources: Iterator<string>[]): Generator<string> {
  const heads = sources.map((source) => source.next());
  for (;;) {
    let least = -1;
    for (let index = 0; index < heads.length; index++) {
      const head = heads[index]!;
      if (!head.done && (least < 0 || head.value < (heads[least]!.value as string))) least = index;
    }
    if (least < 0) return;
    yield heads[least]!.value as string;
    heads[least] = sources[least]!.next();
  }
}

/**
 * The claimed hashes that a control's index rows do not list, both sorted
 * (JavaScript's default order, code unit by code unit, on both sides: SQLite's
 * order of an altered non-hex hash column need not be the same), then merged.
 */
export function unindexedClaims(sortedClaims: Iterable<string>, sortedIndexed: readonly string[]): string[] {
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

/** Each claim group (its ranges' parts merged) against the index rows of its controls, each control's rows read once, in the order the groups were first met. */
function matchClaimGroups(scope: VerifyScope, scans: RangeScan[], unlisted: (hash: string, control: string) => void): void {
  const indexedOf = scope.db.prepare('SELECT record_hash FROM record_controls WHERE control = ? ORDER BY record_hash').pluck();
  const parts = new Map<string, ClaimGroup[]>();
  for (const scan of scans) {
    for (const group of scan.groups) {
      const list = parts.get(group.key);
      if (list) list.push(group);
      else parts.set(group.key, [group]);
    }
  }
  const groupsOf = new Map<string, ClaimGroup[][]>();
  for (const groupParts of parts.values()) {
    for (const control of groupParts[0]!.controls) {
      const list = groupsOf.get(control);
      if (list) list.push(groupParts);
      else groupsOf.set(control, [groupParts]);
    }
  }
  for (const [control, groups] of groupsOf) {
    const indexed = sorted(indexedOf.all(control) as string[]);
    for (const groupParts of groups) {
      for (const hash of unindexedClaims(mergedSorted(groupParts.map(groupHashes)), indexed)) unlisted(hash, control);
    }
  }
}

/** Each record row against its own hash, its indexed columns and its control index entries. */
export async function checkRecordRows(scope: VerifyScope, options: RecordPassOptions): Promise<RecordTally> {
  const { db } = scope;
  // Read in verify's transaction: rows a writer adds meanwhile are beyond `last`, so the worker's connection sees the same rows.
  const { first, last } = db.prepare('SELECT MIN(rowid) AS first, MAX(rowid) AS last FROM records').get() as { first: number | null; last: number | null };
  const scans: RangeScan[] = [];
  const holders = scope.holders.ranges();
  if (first !== null && last !== null) {
    const from = options.from ?? 20_000;
    if (last - first + 1 < from) scans.push(scanRecordRange(db, first, last, holders));
    else {
      const middle = first + Math.floor((last - first) / 2);
      const input: WorkerInput = { path: options.path, access: options.access, from: middle + 1, to: last, holders };
      const upper = workerScan(options.startWorker ?? startRecordWorker, input);
      scans.push(scanRecordRange(db, first, middle, holders));
      // Should the worker fail, its range is scanned here: nothing goes unchecked for a thread's failure.
      scans.push((await upper) ?? scanRecordRange(db, input.from, input.to, holders));
    }
  }
  return mergeScans(scope, scans);
}

/** The ranges' findings, reported as one scan of the table would have: row problems and non-text claim lookups in row order, then the index merge. */
function mergeScans(scope: VerifyScope, scans: RangeScan[]): RecordTally {
  const { db } = scope;
  const unindexedPairs = db.prepare(
    `SELECT j.value ->> '$[1]' AS hash, j.value ->> '$[0]' AS control FROM json_each(?) j
     WHERE NOT EXISTS (SELECT 1 FROM record_controls c WHERE c.control = j.value ->> '$[0]' AND c.record_hash = j.value ->> '$[1]')`,
  );
  let missing = 0;
  const unlisted = (hash: string, control: unknown) => {
    missing++;
    scope.problem('record-altered', `record ${hash} claims control ${control} but the control index does not list it`);
  };
  const pairs: [unknown, string][] = [];
  const flushPairs = () => {
    if (pairs.length === 0) return;
    for (const row of unindexedPairs.all(JSON.stringify(pairs)) as { hash: string; control: unknown }[]) unlisted(row.hash, row.control);
    pairs.length = 0;
  };
  const tally: RecordTally = { records: 0, bytes: 0 };
  let claims = 0;
  for (const scan of scans) {
    tally.records += scan.records;
    tally.bytes += scan.bytes;
    claims += scan.claims;
    for (const event of scan.events) {
      if (event.pairs) pairs.push(...event.pairs);
      if (event.problem !== undefined) scope.problem('record-altered', event.problem);
      if (pairs.length >= ROW_BATCH) flushPairs();
    }
  }
  flushPairs();
  matchClaimGroups(scope, scans, unlisted);
  // Every claim is in the index and both hold distinct pairs: equal sizes mean equal sets, with no further read.
  if (missing > 0 || (db.prepare('SELECT COUNT(*) FROM record_controls').pluck().get() as number) !== claims) checkOverindexed(scope);
  return tally;
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
