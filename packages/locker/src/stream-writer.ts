/**
 * Writes one stream's snapshots and records inside a run's transaction, and
 * at `finish` turns what the stream saw into its manifest entry: the sorted
 * set of record hashes becomes a content-addressed blob, so a state stream
 * that saw exactly the same records as yesterday adds no blob and no rows
 * beyond its stream run.
 */
import type { Statement } from 'better-sqlite3';
import { canonicalJson, hashCanonical, validateRecord, type EvidenceRecord } from '@evidentia/evidence';
import type { PreviousSnapshot, Provenance } from '@evidentia/evidence';
import { LockerError } from './errors.js';
import { MerkleBuilder, merkleRoot } from './merkle.js';
import { INSERT_STREAM_RUN, streamRunRow } from './manifest.js';
import type { ObjectStore } from './objects.js';
import type { Db } from './schema.js';
import { storeStateSet, storeWholeSet } from './record-sets.js';
import type { ManifestStream, StreamResult, StreamStart, StreamWriter } from './types.js';

export interface RunStatements {
  insertSnapshot: Statement;
  insertRecord: Statement;
  insertControl: Statement;
  insertStreamRun: Statement;
  previousSnapshot: Statement;
  previousRecord: Statement;
  baseBody: Statement;
  baseBodyAtPosition: Statement;
  previousStreamRun: Statement;
}

export function prepareRunStatements(db: Db): RunStatements {
  return {
    insertSnapshot: db.prepare('INSERT INTO snapshots (run_id, stream, seq, entry_hash, body_hash, provenance) VALUES (?, ?, ?, ?, ?, ?)'),
    insertRecord: db.prepare(
      'INSERT INTO records (hash, kind, key, system, stream, occurred_at, run_id, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING',
    ),
    insertControl: db.prepare('INSERT INTO record_controls (control, record_hash) VALUES (?, ?)'),
    insertStreamRun: db.prepare(INSERT_STREAM_RUN),
    // Only full 200 responses of committed runs: a manifest vouches for them, an error body (a 404 "Branch not
    // protected") must never come back as if it were data, and a 304 carries only its own headers — serving
    // those again would drop the Link and total headers that paging and completeness depend on.
    // The latest version of an item in this stream (rowid order is insertion order; an aborted run's rows are gone).
    previousRecord: db.prepare('SELECT json FROM records WHERE stream = ? AND kind = ? AND key = ? ORDER BY rowid DESC LIMIT 1'),
    previousSnapshot: db.prepare(
      `SELECT s.body_hash AS bodyHash, s.entry_hash AS entryHash, json_extract(s.provenance, '$.headers.etag') AS etag,
         json_extract(s.provenance, '$.headers') AS headers
       FROM snapshots s JOIN manifests m ON m.run_id = s.run_id
       WHERE s.stream = ? AND json_extract(s.provenance, '$.url') = ? AND json_extract(s.provenance, '$.method') = ?
         AND json_extract(s.provenance, '$.headers.etag') IS NOT NULL
         AND json_extract(s.provenance, '$.status') = 200
       ORDER BY m.sequence DESC, s.seq DESC LIMIT 1`,
    ),
    baseBody: db.prepare(BASE_BODY_SQL).pluck(),
    baseBodyAtPosition: db.prepare(BASE_BODY_AT_POSITION_SQL),
    previousStreamRun: db.prepare(PREVIOUS_STREAM_RUN_SQL).pluck(),
  };
}

/** What a stream writer needs from its run. */
export interface RunScope {
  readonly runId: string;
  readonly db: Db;
  readonly statements: RunStatements;
  readonly objects: ObjectStore;
  /** ISO time from the locker's clock. */
  now(): string;
  assertOpen(): void;
}

/** The entry hash of a snapshot, from its stored provenance text so writer and verifier hash the same value. */
export function snapshotEntryHash(provenanceJson: string, bodyHash: string): string {
  return hashCanonical({ provenance: JSON.parse(provenanceJson) as unknown, bodyHash }).hash;
}

export class SqliteStreamWriter implements StreamWriter {
  readonly key: string;
  private snapshotCount = 0;
  private readonly snapshotTree = new MerkleBuilder();
  private readonly recordHashes = new Set<string>();
  private result: ManifestStream | null = null;
  /** The latest committed run that has snapshots of this stream, looked up on first need (undefined: not yet). */
  private previousRunId: string | null | undefined;

  constructor(
    private readonly run: RunScope,
    private readonly start: StreamStart,
    private readonly position: number,
    private readonly startedAt: string,
  ) {
    this.key = `${start.instance}/${start.stream}`;
  }

  /** The manifest entry, once finished. */
  get outcome(): ManifestStream | null {
    return this.result;
  }

  async putSnapshot(provenance: Provenance, body: unknown): Promise<string> {
    this.assertWritable();
    const { hash: bodyHash, bytes } = hashCanonical(body);
    // An unchanged response is stored already; only a new body is worth the base lookup.
    if (!this.run.objects.has(bodyHash)) {
      const base = baseBodyFor(this.run.statements, this.key, this.snapshotCount + 1, provenance, () => this.previousRun());
      this.run.objects.put(bodyHash, bytes, { base });
    }
    const provenanceJson = canonicalJson(provenance);
    const entryHash = snapshotEntryHash(provenanceJson, bodyHash);
    this.snapshotCount += 1;
    this.run.statements.insertSnapshot.run(this.run.runId, this.key, this.snapshotCount, entryHash, bodyHash, provenanceJson);
    this.snapshotTree.push(entryHash);
    return bodyHash;
  }

  private previousRun(): string | null {
    if (this.previousRunId === undefined) this.previousRunId = (this.run.statements.previousStreamRun.get(this.key) as string | undefined) ?? null;
    return this.previousRunId;
  }

  async previousSnapshot(method: string, url: string): Promise<PreviousSnapshot | null> {
    this.assertWritable();
    const row = this.run.statements.previousSnapshot.get(this.key, url, method) as { bodyHash: string; entryHash: string; etag: string; headers: string } | undefined;
    if (!row) return null;
    const loaded = this.run.objects.load(row.bodyHash);
    // An unreadable or altered object is never served as a response; the request simply goes unconditional.
    if (loaded.state !== 'ok') return null;
    return { etag: row.etag, entryHash: row.entryHash, body: JSON.parse(loaded.bytes.toString('utf8')) as unknown, headers: JSON.parse(row.headers) as Record<string, string> };
  }

  async previousRecord(kind: string, key: string): Promise<EvidenceRecord | null> {
    this.assertWritable();
    const row = this.run.statements.previousRecord.get(this.key, kind, key) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as EvidenceRecord) : null;
  }

  async putRecord(input: EvidenceRecord): Promise<string> {
    this.assertWritable();
    const record = validateRecord(input);
    if (record.stream !== this.key) {
      throw new LockerError(`record ${record.kind} ${JSON.stringify(record.key)} names stream ${record.stream} but was written to ${this.key}`);
    }
    // hashCanonical is what hashRecord computes; taking the bytes too stores exactly the text that was hashed.
    const { hash, bytes } = hashCanonical(record);
    const { statements, runId } = this.run;
    const inserted = statements.insertRecord.run(hash, record.kind, record.key, record.system, record.stream, record.occurredAt, runId, bytes.toString('utf8'));
    if (inserted.changes > 0) for (const control of record.controls) statements.insertControl.run(control, hash);
    this.recordHashes.add(hash);
    return hash;
  }

  async finish(result: StreamResult): Promise<void> {
    this.assertWritable();
    this.seal(result);
  }

  /** Write the record set and the stream run row; returns the manifest entry. */
  seal(result: StreamResult): ManifestStream {
    const recordHashes = [...this.recordHashes].sort();
    const { statements, db } = this.run;
    // A state stream's set is usually yesterday's with a few changes: stored as that change (record-sets.ts).
    const recordSet = this.start.type === 'state' ? storeStateSet(db, { instance: this.start.instance, name: this.start.stream }, recordHashes) : storeWholeSet(db, recordHashes);
    const stream: ManifestStream = {
      instance: this.start.instance,
      connector: this.start.connector,
      connectorVersion: this.start.connectorVersion,
      stream: this.start.stream,
      type: this.start.type,
      status: result.status,
      error: result.error,
      requests: result.requests,
      apiTotal: result.apiTotal,
      snapshotCount: this.snapshotCount,
      snapshotRoot: this.snapshotTree.root(),
      recordCount: recordHashes.length,
      recordRoot: merkleRoot(recordHashes),
      recordSet,
      cursorBefore: this.start.cursorBefore,
      // A failed stream never moves the cursor.
      cursorAfter: result.status === 'complete' ? result.cursorAfter : null,
      rangeSince: this.start.rangeSince,
      rangeUntil: this.start.rangeUntil,
      gaps: result.gaps ?? [],
      ...(result.itemGaps && result.itemGaps.length > 0 ? { itemGaps: result.itemGaps } : {}),
      startedAt: this.startedAt,
      finishedAt: this.run.now(),
    };
    statements.insertStreamRun.run(streamRunRow(this.run.runId, this.position, stream));
    this.result = stream;
    return stream;
  }

  private assertWritable(): void {
    this.run.assertOpen();
    if (this.result) throw new LockerError(`stream ${this.key} of run ${this.run.runId} is already finished`);
  }
}

// --- The delta base of a snapshot body -------------------------------------------------------------
// Kept apart on purpose: the snapshots table is being replaced, and these lookups move with it.

/** The latest body of the same request (stream, method, URL, request body) in a committed run, whatever its status. */
const BASE_BODY_SQL = `SELECT s.body_hash FROM snapshots s JOIN manifests m ON m.run_id = s.run_id
  WHERE s.stream = ? AND json_extract(s.provenance, '$.url') = ? AND json_extract(s.provenance, '$.method') = ?
    AND (s.provenance -> '$.requestBody') IS ?
  ORDER BY m.sequence DESC, s.seq DESC LIMIT 1`;
/** The newest committed run with snapshots of a stream: manifests newest first, each probed by primary key. */
const PREVIOUS_STREAM_RUN_SQL = `SELECT m.run_id FROM manifests m
  WHERE EXISTS (SELECT 1 FROM snapshots s WHERE s.run_id = m.run_id AND s.stream = ?) ORDER BY m.sequence DESC LIMIT 1`;
const BASE_BODY_AT_POSITION_SQL = `SELECT body_hash AS bodyHash, json_extract(provenance, '$.method') AS method, json_extract(provenance, '$.url') AS url
  FROM snapshots WHERE run_id = ? AND stream = ? AND seq = ?`;

const endpoint = (url: string) => url.split('?')[0];

/**
 * The body a new snapshot body is stored as a delta against (objects.put keeps it whole when that is not
 * clearly smaller, or when the base no longer loads). First choice: the latest body of the same request, one
 * indexed lookup (snapshots_by_request). When the request is new because a page token or a time parameter in
 * it moved (keyset cursors change whenever an item is added ahead), the body at the same position (`seq`) of
 * the stream's previous run, if that was the same method and endpoint: usually the same page, shifted.
 */
export function baseBodyFor(statements: RunStatements, stream: string, seq: number, provenance: Provenance, previousRun: () => string | null): string | null {
  // Stored provenance is canonical JSON, so `->` gives the request body's canonical text (NULL when absent).
  const requestBody = provenance.requestBody === undefined ? null : canonicalJson(provenance.requestBody);
  const same = statements.baseBody.get(stream, provenance.url, provenance.method, requestBody) as string | undefined;
  if (same) return same;
  const runId = previousRun();
  if (!runId) return null;
  const row = statements.baseBodyAtPosition.get(runId, stream, seq) as { bodyHash: string; method: string; url: string } | undefined;
  return row && row.method === provenance.method && endpoint(row.url) === endpoint(provenance.url) ? row.bodyHash : null;
}
