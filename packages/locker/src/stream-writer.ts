/**
 * Writes one stream's snapshots and records inside a run's transaction, and
 * at `finish` turns what the stream saw into its manifest entry: the sorted
 * set of record hashes becomes a content-addressed blob, so a state stream
 * that saw exactly the same records as yesterday adds no blob and no rows
 * beyond its stream run, and its snapshot entries become one list patched
 * against the stream's earlier list (snapshot-lists.ts).
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
import { conditionalBase, latestCommittedList, ListCache, snapshotEntryHash, writeSnapshotList, type SnapshotLine } from './snapshot-lists.js';
import { requestKeyOf } from './snapshot-list-codec.js';
import type { ManifestStream, StreamResult, StreamStart, StreamWriter } from './types.js';

export interface RunStatements {
  insertRecord: Statement;
  insertControl: Statement;
  insertStreamRun: Statement;
  previousRecord: Statement;
}

export function prepareRunStatements(db: Db): RunStatements {
  return {
    insertRecord: db.prepare(
      'INSERT INTO records (hash, kind, key, system, stream, occurred_at, run_id, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING',
    ),
    insertControl: db.prepare('INSERT INTO record_controls (control, record_hash) VALUES (?, ?)'),
    insertStreamRun: db.prepare(INSERT_STREAM_RUN),
    // The latest version of an item in this stream (rowid order is insertion order; an aborted run's rows are gone).
    previousRecord: db.prepare('SELECT json FROM records WHERE stream = ? AND kind = ? AND key = ? ORDER BY rowid DESC LIMIT 1'),
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

export class SqliteStreamWriter implements StreamWriter {
  readonly key: string;
  // What the stream saw is held only until it is sealed (released there): a run's writer lives until the run
  // commits, and keeping every finished stream's entries, hashes and decoded lists made memory grow across streams.
  private snapshots: SnapshotLine[] = [];
  private readonly snapshotTree = new MerkleBuilder();
  private recordHashes = new Set<string>();
  /** Body hashes known to be stored objects: this stream's snapshots and the sources already checked. */
  private readonly storedSources = new Set<string>();
  private result: ManifestStream | null = null;
  /** The latest committed run that has snapshots of this stream, looked up on first need (undefined: not yet). */
  private previous: PreviousEntries | undefined;
  /** This stream's snapshot lists decoded while it runs (conditional bases, list bases); lists are per stream. */
  private lists = new ListCache();

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
    // An unchanged response is stored already; only a new body (or one whose file does not read back) is worth the base lookup.
    if (!this.isStored(bodyHash)) {
      const base = baseBodyFor(this.previousLines(), this.snapshots.length + 1, provenance);
      this.run.objects.put(bodyHash, bytes, { base });
    }
    this.storedSources.add(bodyHash);
    const provenanceJson = canonicalJson(provenance);
    // Entries are written as one list when the stream is sealed, inside the same run transaction as before.
    this.snapshots.push({ bodyHash, provenance: provenanceJson });
    this.snapshotTree.push(snapshotEntryHash(provenanceJson, bodyHash));
    return bodyHash;
  }

  /**
   * Whether a body is stored intact. One the stream's latest committed run named was made durable before that run
   * committed (a file damaged since is verify's to find), so its file being there is enough; any other file may be
   * one a killed run never flushed, which a power cut can empty, and is read back first.
   */
  private isStored(bodyHash: string): boolean {
    return this.previousLines().bodyHashes.has(bodyHash) ? this.run.objects.has(bodyHash) : this.run.objects.holds(bodyHash);
  }

  /** The stream's entries in its latest committed run, read once: where a new body looks for its delta base. */
  private previousLines(): PreviousEntries {
    if (!this.previous) {
      const lines = latestCommittedList(this.run.db, this.key, this.lists);
      this.previous = { lines, bodies: new Map(lines.map((line) => [requestKeyOf(line.provenance), line.bodyHash])), bodyHashes: new Set(lines.map((line) => line.bodyHash)) };
    }
    return this.previous;
  }

  async previousSnapshot(method: string, url: string): Promise<PreviousSnapshot | null> {
    this.assertWritable();
    // Only full 200 responses of committed runs: a manifest vouches for them, an error body (a 404 "Branch not
    // protected") must never come back as if it were data, and a 304 carries only its own headers — serving
    // those again would drop the Link and total headers that paging and completeness depend on.
    const base = conditionalBase(this.run.db, this.key, method, url, this.lists);
    if (!base) return null;
    const loaded = this.run.objects.load(base.bodyHash);
    // An unreadable or altered object is never served as a response; the request simply goes unconditional.
    if (loaded.state !== 'ok') return null;
    return { etag: base.etag, entryHash: base.entryHash, body: JSON.parse(loaded.bytes.toString('utf8')) as unknown, headers: base.headers };
  }

  async storedBody(hash: string): Promise<unknown> {
    this.assertWritable();
    // objects.load checks the bytes against their hash: an altered or missing object is never served.
    const loaded = this.run.objects.load(hash);
    return loaded.state === 'ok' ? (JSON.parse(loaded.bytes.toString('utf8')) as unknown) : undefined;
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
    // A record rests on stored responses (this run's, or an earlier run's it was handed back): a source the locker
    // never stored would be evidence no one can check, so it is refused here as the memory sink refuses it.
    const missing = record.sources.filter((source) => !this.storedSources.has(source) && !this.run.objects.has(source));
    if (missing.length > 0) throw new LockerError(`record ${record.kind} ${JSON.stringify(record.key)} names sources that were never stored: ${missing.join(', ')}`);
    for (const source of record.sources) this.storedSources.add(source);
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
    writeSnapshotList(db, this.run.runId, this.key, this.snapshots, this.lists);
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
      snapshotCount: this.snapshots.length,
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
    this.release();
    return stream;
  }

  /** Drop what only the open stream needed; a sealed stream takes no more writes (assertWritable). */
  private release(): void {
    this.snapshots = [];
    this.recordHashes = new Set();
    this.previous = undefined;
    this.lists = new ListCache();
  }

  private assertWritable(): void {
    this.run.assertOpen();
    if (this.result) throw new LockerError(`stream ${this.key} of run ${this.run.runId} is already finished`);
  }
}

// --- The delta base of a snapshot body -------------------------------------------------------------
// Kept apart on purpose: the snapshots table is being replaced, and these lookups move with it.

/** The latest body of the same request (stream, method, URL, request body) in a committed run, whatever its status. */
const endpoint = (url: string) => url.split('?')[0];

/**
 * The body a new snapshot body is stored as a delta against (objects.put keeps it whole when that is not
 * clearly smaller, or when the base no longer loads). First choice: the latest body of the same request, one
 * lookup in the stream's latest committed list. When the request is new because a page token or a time parameter in
 * it moved (keyset cursors change whenever an item is added ahead), the body at the same position (`seq`) of
 * the stream's previous run, if that was the same method and endpoint: usually the same page, shifted.
 */
/** A stream's entries in its latest committed run, and the last body each request got there. */
export interface PreviousEntries {
  lines: readonly SnapshotLine[];
  bodies: ReadonlyMap<string, string>;
  /** Every body those entries name. */
  bodyHashes: ReadonlySet<string>;
}

export function baseBodyFor(previous: PreviousEntries, seq: number, provenance: Provenance): string | null {
  const same = previous.bodies.get(requestKeyOf(canonicalJson(provenance)));
  if (same) return same;
  const at = previous.lines[seq - 1];
  if (!at) return null;
  const earlier = JSON.parse(at.provenance) as { method?: string; url?: string };
  return earlier.method === provenance.method && typeof earlier.url === 'string' && endpoint(earlier.url) === endpoint(provenance.url) ? at.bodyHash : null;
}
