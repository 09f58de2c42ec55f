/**
 * Verification of the store as a whole, after the manifests: rows that no
 * manifest covers, conditional-request pointers, and every blob on disk
 * (record rows: verify-records.ts). Data committed without a manifest cannot come from the writer (a run
 * commits its data and its manifest together), so it means a removed manifest.
 */
import { checkAllObjects } from './object-hash-pool.js';
import { entryAt, type SnapshotRow } from './snapshot-lists.js';
import type { VerifyScope } from './verify-scope.js';

interface UnsealedRun {
  streamRuns: number;
  snapshots: number;
  records: number;
}

/** A run that exists in the runs table but has no manifest. */
const UNSEALED = (alias: string) =>
  `(NOT EXISTS (SELECT 1 FROM manifests m WHERE m.run_id = ${alias}.run_id) AND EXISTS (SELECT 1 FROM runs r WHERE r.id = ${alias}.run_id))`;

export function checkUnsealedData(scope: VerifyScope): void {
  const { db } = scope;
  const unsealed = new Map<string, UnsealedRun>();
  const tally = (runId: string, field: keyof UnsealedRun, count: number) => {
    const entry = unsealed.get(runId) ?? { streamRuns: 0, snapshots: 0, records: 0 };
    entry[field] += count;
    unsealed.set(runId, entry);
  };
  const streamRuns = db
    .prepare(
      `SELECT sr.run_id, sr.stream, ${UNSEALED('sr')} AS unsealed FROM stream_runs sr
       WHERE NOT EXISTS (SELECT 1 FROM temp.v_streams v WHERE v.run_id = sr.run_id AND v.stream = sr.stream)`,
    )
    .all() as { run_id: string; stream: string; unsealed: number }[];
  for (const row of streamRuns) {
    if (row.unsealed) tally(row.run_id, 'streamRuns', 1);
    else scope.problem('run-altered', `stream run ${row.stream} of run ${row.run_id} is in the stream_runs table but not in the run's manifest`);
  }
  const snapshots = db
    .prepare(
      `SELECT s.run_id, s.stream, COUNT(*) AS n, MIN(s.seq) AS first, MAX(s.seq) AS last, ${UNSEALED('s')} AS unsealed FROM snapshots s
       WHERE NOT EXISTS (SELECT 1 FROM temp.v_streams v WHERE v.run_id = s.run_id AND v.stream = s.stream)
       GROUP BY s.run_id, s.stream`,
    )
    .all() as { run_id: string; stream: string; n: number; first: number; last: number; unsealed: number }[];
  for (const row of snapshots) {
    if (row.unsealed) tally(row.run_id, 'snapshots', row.n);
    else scope.problem('snapshot-inserted', `${row.n} snapshot(s) #${row.first}–#${row.last} of run ${row.run_id} stream ${row.stream} belong to no manifest stream`);
  }
  const lists = db
    .prepare(
      `SELECT s.run_id, s.stream, s.entry_count, ${UNSEALED('s')} AS unsealed FROM snapshot_lists s
       WHERE NOT EXISTS (SELECT 1 FROM temp.v_streams v WHERE v.run_id = s.run_id AND v.stream = s.stream)`,
    )
    .all() as { run_id: string; stream: string; entry_count: number; unsealed: number }[];
  for (const row of lists) {
    if (row.unsealed) tally(row.run_id, 'snapshots', row.entry_count);
    else scope.problem('snapshot-inserted', `a snapshot list of ${row.entry_count} entries for run ${row.run_id} stream ${row.stream} belongs to no manifest stream`);
  }
  // Most rows are marked by rowid; only the others are read, and looked up among the members of sets not stored in rows.
  // The rowids come from the smallest index (no table pages are read), so problems follow that index's order.
  const unreferenced = db.prepare(
    `SELECT hash, kind, key, run_id, ${UNSEALED('records')} AS unsealed FROM records
     WHERE rowid = ? AND NOT EXISTS (SELECT 1 FROM temp.v_record_refs v WHERE v.hash = records.hash)`,
  );
  for (const rowid of db.prepare('SELECT rowid FROM records').pluck().iterate() as IterableIterator<number>) {
    if (scope.referenced.has(rowid)) continue;
    const row = unreferenced.get(rowid) as { hash: string; kind: string; key: string; run_id: string; unsealed: number } | undefined;
    if (!row) continue;
    if (row.unsealed) tally(row.run_id, 'records', 1);
    else scope.problem('record-inserted', `record ${row.hash} (${row.kind} ${JSON.stringify(row.key)}, run ${row.run_id}) is in no manifest's record set`);
  }
  const runs = db
    .prepare('SELECT id, started_at FROM runs WHERE NOT EXISTS (SELECT 1 FROM manifests m WHERE m.run_id = runs.id) ORDER BY rowid')
    .all() as { id: string; started_at: string }[];
  for (const run of runs) {
    const data = unsealed.get(run.id);
    if (data) {
      scope.problem(
        'manifest-missing',
        `run ${run.id} has ${data.streamRuns} stream run(s), ${data.snapshots} snapshot(s) and ${data.records} record(s) committed but no manifest: its manifest was removed`,
      );
    } else {
      scope.note(`run ${run.id} (started ${run.started_at}) has no manifest: it was interrupted (the next run seals it) or is still running`);
    }
  }
}

/**
 * Each pointer a conditional request follows must name a full 200 with that
 * ETag and body in a committed run of its stream: an altered pointer would
 * serve one URL's stored body as the answer for another.
 */
export function checkConditionalBases(scope: VerifyScope): void {
  const { db } = scope;
  const pointers = db
    .prepare(
      `SELECT cb.stream, cb.method, cb.url, cb.run_id, cb.seq, cb.body_hash, cb.etag,
         EXISTS (SELECT 1 FROM temp.v_streams v WHERE v.run_id = cb.run_id AND v.stream = cb.stream) AS sealed
       FROM conditional_bases cb ORDER BY cb.rowid`,
    )
    .iterate() as IterableIterator<{ stream: string; method: string; url: string; run_id: string; seq: number; body_hash: string; etag: string; sealed: number }>;
  for (const pointer of pointers) {
    const where = `the conditional-request pointer for ${pointer.method} ${pointer.url} (stream ${pointer.stream})`;
    if (!pointer.sealed) {
      // A run that committed without its manifest is reported by the unsealed-data check.
      if (!db.prepare('SELECT 1 FROM runs WHERE id = ?').get(pointer.run_id)) scope.problem('snapshot-altered', `${where} names run ${pointer.run_id}, which does not exist`);
      continue;
    }
    let entry: SnapshotRow | null = null;
    try {
      entry = entryAt(db, pointer.run_id, pointer.stream, pointer.seq, scope.lists);
    } catch {
      // An unreadable list is reported by the stream check.
      continue;
    }
    const provenance = entry ? (JSON.parse(entry.provenance) as { method?: string; url?: string; status?: number; headers?: Record<string, string> }) : null;
    const matches =
      entry !== null && provenance?.method === pointer.method && provenance.url === pointer.url && provenance.status === 200 && provenance.headers?.etag === pointer.etag && entry.bodyHash === pointer.body_hash;
    if (!matches) scope.problem('snapshot-altered', `${where} names snapshot #${pointer.seq} of run ${pointer.run_id}, which is not that full response`);
  }
}

/** Re-hash every blob (on all cores when there are many), find referenced blobs that are gone, and note the ones nothing references; returns the blob count and the bytes hashed. */
export async function checkObjects(scope: VerifyScope): Promise<{ count: number; bytes: number }> {
  const { db, objects } = scope;
  db.exec(`INSERT OR IGNORE INTO temp.v_object_refs (hash, what)
    SELECT hash, 'manifest ' || sequence || ' of run ' || run_id FROM manifests`);
  db.exec(`INSERT OR IGNORE INTO temp.v_object_refs (hash, what)
    SELECT body_hash, 'snapshot body #' || seq || ' of run ' || run_id || ' stream ' || stream FROM snapshots`);
  const describe = db.prepare('SELECT what FROM temp.v_object_refs WHERE hash = ?').pluck();
  const present = db.prepare('INSERT OR IGNORE INTO temp.v_objects (hash) VALUES (?)');
  const strays: string[] = [];
  let count = 0;
  let bytes = 0;
  /** The blobs, noted as present as they are listed; other files are strays. */
  function* blobs(): Generator<string> {
    for (const file of objects.files()) {
      if (file.hash === null) {
        strays.push(file.path);
        continue;
      }
      count++;
      present.run(file.hash);
      yield file.hash;
    }
  }
  for await (const checked of checkAllObjects(objects, blobs())) {
    bytes += checked.bytes;
    // A delta object whose file is here but whose base is not is missing as evidence: its bytes cannot be rebuilt.
    if (checked.state === 'ok' || (checked.state === 'missing' && !checked.detail)) continue;
    const what = describe.get(checked.hash) as string | undefined;
    // An unreadable object's bytes are not there to be checked: missing as evidence, named with the error.
    scope.problem(checked.state === 'altered' ? 'object-altered' : 'object-missing', `object ${checked.hash}${what ? ` (${what})` : ''} ${checked.detail}`);
  }
  if (strays.length > 0) scope.note(`${strays.length} file(s) in objects/ are not blobs, e.g. temporary files left by an interrupted write: ${strays.slice(0, 3).join(', ')}`);
  const missing = db
    .prepare('SELECT hash, what FROM temp.v_object_refs r WHERE NOT EXISTS (SELECT 1 FROM temp.v_objects o WHERE o.hash = r.hash)')
    .iterate() as IterableIterator<{ hash: string; what: string }>;
  for (const row of missing) scope.problem('object-missing', `object ${row.hash} (${row.what}) is missing`);
  const unreferenced = 'FROM temp.v_objects o WHERE NOT EXISTS (SELECT 1 FROM temp.v_object_refs r WHERE r.hash = o.hash)';
  const unreferencedCount = db.prepare(`SELECT COUNT(*) ${unreferenced}`).pluck().get() as number;
  if (unreferencedCount > 0) {
    const examples = db.prepare(`SELECT hash ${unreferenced} LIMIT 3`).pluck().all() as string[];
    scope.note(`${unreferencedCount} object(s) are referenced by no manifest or snapshot, left by an interrupted or aborted write, or stored by one still in progress (a run, a portal-log batch): ${examples.join(', ')}`);
  }
  return { count, bytes };
}

