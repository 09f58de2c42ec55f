/**
 * `verify`: re-derives the locker from its content and names every
 * discrepancy. It trusts nothing it can recompute: not the triggers (an
 * attacker can drop them), not the indexed columns, not the membership rows.
 * The trust anchor is a public key, followed through the locker's key
 * rotations (key-rotation.ts); from each signed manifest it checks the
 * chain, the run and stream rows, the snapshots and the record sets, then
 * accounts for every row and blob not covered by a manifest, and checks
 * imported catalog text, document evidence and accepted exceptions against their objects. It reads in one
 * transaction on a read-only connection and works through SQLite temp tables
 * and row iterators, so memory stays bounded whatever the locker size.
 */
import { keyInEffect, sealedAfterRetirement, type KeyChain, type KeyEpoch } from './key-rotation.js';
import { signatureValid } from './keys.js';
import { parseManifest, runFields, runStatusOf, streamFromRow, type ManifestRow, type RunRow, type StreamRunRow } from './manifest.js';
import type { ObjectStore } from './objects.js';
import { openDatabase, type OpenDatabaseOptions, tableDefinitions, TABLES } from './schema.js';
import { MerklePool } from './merkle-pool.js';
import { FirstHolders } from './first-holders.js';
import { RowidMarks } from './rowid-marks.js';
import { ListCache } from './snapshot-lists.js';
import { checkCatalogTextImports } from './verify-catalog-text.js';
import { checkAccessReviewEntries } from './verify-access-reviews.js';
import { checkPortalLogEntries } from './verify-portal-log.js';
import { checkDocumentEntries } from './verify-documents.js';
import { checkAcceptanceEntries } from './verify-acceptances.js';
import { checkStream, type RecordSetSummary } from './verify-streams.js';
import { checkRecordRows } from './verify-records.js';
import { checkConditionalBases, checkObjects, checkUnsealedData } from './verify-store.js';
import { checkUnlistedManifests } from './verify-unlisted-manifests.js';
import type { Manifest, ManifestStream, VerifyProblem, VerifyReport } from './types.js';
import { differingFields, type VerifyScope } from './verify-scope.js';


const SCRATCH_TABLES = `
CREATE TEMP TABLE v_streams (run_id TEXT NOT NULL, stream TEXT NOT NULL, PRIMARY KEY (run_id, stream)) WITHOUT ROWID;
CREATE TEMP TABLE v_set (hash TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE v_record_refs (hash TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE v_objects (hash TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TEMP TABLE v_object_refs (hash TEXT PRIMARY KEY, what TEXT NOT NULL) WITHOUT ROWID;`;

/** Read, hash-check, parse and signature-check one manifest; null when its content cannot be trusted. */
function loadManifest(scope: VerifyScope, row: ManifestRow, keys: KeyChain): Manifest | null {
  const label = `manifest ${row.sequence} (run ${row.run_id})`;
  const loaded = scope.objects.load(row.hash);
  // A missing or unreadable manifest blob is named by the object check.
  if (loaded.state === 'missing' || loaded.state === 'unreadable') return null;
  if (loaded.state === 'altered') {
    scope.problem('manifest-altered', `${label}: its object ${row.hash} ${loaded.detail}`);
    return null;
  }
  let manifest: Manifest;
  try {
    manifest = parseManifest(loaded.bytes);
  } catch {
    scope.problem('manifest-altered', `${label}: object ${row.hash} is not an evidentia manifest`);
    return null;
  }
  const claims = { sequence: row.sequence, runId: row.run_id, previous: row.previous };
  const differing = differingFields(claims, manifest, ['sequence', 'runId', 'previous']);
  const derivedStatus = manifest.status === 'interrupted' && manifest.streams.length === 0 ? 'interrupted' : runStatusOf(manifest.streams);
  if (manifest.status !== derivedStatus) differing.push(`status (${manifest.status}, its streams make it ${derivedStatus})`);
  if (differing.length > 0) scope.problem('manifest-altered', `${label}, hash ${row.hash}: ${differing.join(', ')} disagree with its manifests row`);
  const expected = keyInEffect(keys, row.sequence);
  const signed = signatureValid(loaded.bytes, row.signature, expected.key);
  checkSignature(scope, `${label}, hash ${row.hash}`, keys, expected, manifest.keyId, signed);
  const retired = signed && manifest.keyId === expected.key.keyId ? sealedAfterRetirement(keys, expected, manifest.finishedAt) : null;
  if (retired) scope.problem('signature-invalid', `${label}, hash ${row.hash}: ${retired}`);
  return manifest;
}

/** The manifest must be signed by the key in effect at its sequence: the trusted key, or one a valid rotation from it handed over to. */
function checkSignature(scope: VerifyScope, label: string, keys: KeyChain, expected: KeyEpoch, keyId: string, signed: boolean): void {
  if (keyId === expected.key.keyId) {
    if (!signed) scope.problem('signature-invalid', `${label}: the signature does not verify with key ${expected.key.keyId}`);
    return;
  }
  const known = keys.epochs.some((epoch) => epoch.key.keyId === keyId);
  scope.problem(
    'signature-invalid',
    known
      ? `${label}: signed with key ${keyId}, but key ${expected.key.keyId} signs from manifest ${expected.from} on`
      : `${label}: signed with key ${keyId}, which no valid rotation from the trusted key ${keys.root.keyId} reaches`,
  );
}

/** Fields a manifest stream leaves out when they are empty (manifest.ts writes item gaps only when there are any). */
const OMITTED_WHEN_EMPTY: Partial<ManifestStream> = { itemGaps: [] };

/** The stream with each field left out because it is empty filled in, so a manifest and a row compare field by field. */
function withOmittedFields(stream: ManifestStream): ManifestStream {
  return { ...OMITTED_WHEN_EMPTY, ...stream };
}

/** Compare the run row and stream run rows with the signed manifest; returns the streams to check content against. */
function checkRunRows(scope: VerifyScope, row: ManifestRow, manifest: Manifest): ManifestStream[] {
  const label = `manifest ${row.sequence}`;
  const run = scope.db.prepare('SELECT * FROM runs WHERE id = ?').get(row.run_id) as RunRow | undefined;
  if (!run) {
    scope.problem('run-altered', `run ${row.run_id} of ${label} has no row in the runs table`);
  } else {
    let fields: ReturnType<typeof runFields> | null = null;
    try {
      fields = runFields(run);
    } catch {
      scope.problem('run-altered', `run ${row.run_id}: its parameters column is not JSON (${label})`);
    }
    const differing = fields ? differingFields(manifest, { ...manifest, ...fields }, ['trigger', 'parameters', 'collectorVersion', 'startedAt']) : [];
    if (differing.length > 0) scope.problem('run-altered', `run ${row.run_id}: ${differing.join(', ')} in the runs table differ from ${label}`);
  }
  const rows = scope.db.prepare('SELECT * FROM stream_runs WHERE run_id = ?').all(row.run_id) as StreamRunRow[];
  const byKey = new Map(rows.map((streamRow) => [`${streamRow.instance}/${streamRow.name}`, streamRow]));
  manifest.streams.forEach((stream, position) => {
    const key = `${stream.instance}/${stream.stream}`;
    const found = byKey.get(key);
    if (!found) {
      scope.problem('run-altered', `stream run ${key} of run ${row.run_id} (${label}) is missing from the stream_runs table`);
      return;
    }
    const signed = withOmittedFields(stream);
    const stored = withOmittedFields(streamFromRow(found));
    // Every field either side holds: a row that gained a field its manifest leaves out (item gaps injected) differs.
    const fields = [...new Set([...Object.keys(signed), ...Object.keys(stored)])] as (keyof ManifestStream)[];
    const differing = differingFields(signed, stored, fields);
    if (found.position !== position) differing.push('position');
    if (differing.length > 0) scope.problem('run-altered', `stream run ${key} of run ${row.run_id}: ${differing.join(', ')} differ from ${label}`);
  });
  return manifest.streams;
}

/** The chain, manifest by manifest, and everything each manifest commits to. */
function checkManifests(scope: VerifyScope, keys: KeyChain): number {
  const rows = scope.db.prepare('SELECT sequence, run_id, hash, previous, signature FROM manifests ORDER BY sequence').all() as ManifestRow[];
  const recordSets = new Map<string, RecordSetSummary>();
  let prior: ManifestRow | null = null;
  for (const row of rows) {
    const expected = (prior?.sequence ?? 0) + 1;
    if (row.sequence > expected) {
      const gap = row.sequence - 1 > expected ? `sequences ${expected}–${row.sequence - 1} are` : `sequence ${expected} is`;
      scope.problem('manifest-missing', `manifest ${gap} missing: the chain goes from ${prior ? `manifest ${prior.sequence}` : 'its start'} to manifest ${row.sequence} (run ${row.run_id})`);
    }
    if (row.previous !== (prior?.hash ?? null)) {
      const should = prior ? `manifest ${prior.sequence} has hash ${prior.hash}` : 'it is the first manifest';
      scope.problem('chain-broken', `manifest ${row.sequence} (run ${row.run_id}) links to previous ${row.previous ?? 'none'}, but ${should}`);
    }
    try {
      const manifest = loadManifest(scope, row, keys);
      // Without a trustworthy manifest, the stream run rows stand in so the run's data is still checked and accounted for.
      const streams = manifest
        ? checkRunRows(scope, row, manifest)
        : (scope.db.prepare('SELECT * FROM stream_runs WHERE run_id = ? ORDER BY position').all(row.run_id) as StreamRunRow[]).map(streamFromRow);
      for (const stream of streams) checkStream(scope, row, stream, recordSets);
    } catch (error) {
      scope.problem('manifest-altered', `manifest ${row.sequence} (run ${row.run_id}, hash ${row.hash}) cannot be checked: ${(error as Error).message}`);
    }
    prior = row;
  }
  return rows.length;
}

/**
 * A table gone from the database (dropped outside evidentia) is named, and an
 * empty one of the same definition stands in for it in the temp schema (which
 * SQLite searches first), so every other check still runs and names what the
 * missing rows leave unaccounted for.
 */
function standInForMissingTables(scope: VerifyScope): void {
  const present = new Set(scope.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  const missing = TABLES.filter((table) => !present.has(table));
  if (missing.length === 0) return;
  const definitions = tableDefinitions();
  for (const table of missing) {
    scope.problem('table-missing', `table ${table} is missing from locker.db: the locker is damaged (the table was dropped outside evidentia), and the checks below read it as empty`);
    scope.db.exec(definitions.get(table)!.replace(/^CREATE TABLE/, 'CREATE TEMP TABLE'));
  }
}

function checkTriggers(scope: VerifyScope): void {
  const present = new Set((scope.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]).map((row) => row.name));
  const unguarded = TABLES.filter((table) => !present.has(`${table}_no_update`) || !present.has(`${table}_no_delete`));
  if (unguarded.length > 0) scope.note(`append-only triggers are missing on ${unguarded.join(', ')}: the database was modified outside evidentia`);
}

/**
 * Verify against `keys`, the key chain followed from the trusted key; its broken rotations are problems, `notes` go into the report.
 * `access` is how the locker reads its database (immutable for a copy this process may not write).
 */
export async function verifyLocker(dbPath: string, objects: ObjectStore, keys: KeyChain, notes: string[] = [], access: OpenDatabaseOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const db = openDatabase(dbPath, { ...access, readonly: true });
  const problems: VerifyProblem[] = keys.problems.map((message) => ({ code: 'signature-invalid', message }));
  const scope: VerifyScope = {
    db,
    objects,
    lists: new ListCache(),
    referenced: new RowidMarks(),
    holders: new FirstHolders(),
    merkle: new MerklePool(),
    pending: [],
    problem: (code, message) => problems.push({ code, message }),
    note: (message) => notes.push(message),
  };
  try {
    db.exec('BEGIN');
    db.exec(SCRATCH_TABLES);
    standInForMissingTables(scope);
    const manifests = checkManifests(scope, keys);
    checkUnsealedData(scope);
    checkConditionalBases(scope);
    const records = await checkRecordRows(scope, { path: dbPath, access });
    await Promise.all(scope.pending);
    const catalogTextImports = checkCatalogTextImports(scope, keys);
    const documents = checkDocumentEntries(scope, keys);
    const acceptances = checkAcceptanceEntries(scope, keys);
    const accessReviews = checkAccessReviewEntries(scope, keys);
    const portalLog = checkPortalLogEntries(scope, keys);
    const objects = await checkObjects(scope);
    checkUnlistedManifests(scope, manifests);
    checkTriggers(scope);
    const snapshots = (db.prepare('SELECT (SELECT COUNT(*) FROM snapshots) + (SELECT COALESCE(SUM(entry_count), 0) FROM snapshot_lists) AS n').get() as { n: number }).n;
    const seconds = (performance.now() - started) / 1000;
    const bytes = records.bytes + objects.bytes;
    const throughput = { seconds, bytes, bytesPerSecond: Math.round(bytes / seconds), recordsPerSecond: Math.round(records.records / seconds) };
    return { ok: problems.length === 0, problems, notes, counts: { manifests, snapshots, records: records.records, objects: objects.count, catalogTextImports, documents, acceptances, accessReviews, portalLog }, throughput };
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    await scope.merkle.close();
  }
}
