/**
 * The evidence locker's public interface. It is asynchronous even though the
 * embedded SQLite backend is synchronous, so that a PostgreSQL metadata store
 * and S3-compatible object storage can replace it without changing callers.
 */
import type { EvidenceRecord } from '@evidentia/evidence';
import type { DeclaredGap, Provenance, StreamSink, StreamType } from '@evidentia/sdk';

export type RunStatus = 'complete' | 'partial' | 'failed' | 'interrupted';
export type StreamStatus = 'complete' | 'failed';

export interface RunOptions {
  /** `manual`, `schedule`, `demo`, `backfill`… */
  trigger: string;
  collectorVersion: string;
  /** Command-line parameters worth keeping (since/until, stream filter). No secrets. */
  parameters: Record<string, unknown>;
}

export interface StreamStart {
  /** Connector instance id from the config. */
  instance: string;
  connector: string;
  connectorVersion: string;
  stream: string;
  type: StreamType;
  cursorBefore: string | null;
  /** Event streams: the range collected, ISO times. */
  rangeSince: string | null;
  rangeUntil: string | null;
}

export interface StreamResult {
  status: StreamStatus;
  error: string | null;
  requests: number;
  /** API-reported population size, when the API reports one. */
  apiTotal: number | null;
  /** Saved only when status is complete. */
  cursorAfter: string | null;
  /** Parts of the requested range that cannot be collected (source retention). */
  gaps?: DeclaredGap[];
}

/** Writes one stream's snapshots and records inside a run. */
export interface StreamWriter extends StreamSink {
  finish(result: StreamResult): Promise<void>;
}

/** One run in progress. Nothing it writes is visible or counted until `commit`. */
export interface RunWriter {
  readonly runId: string;
  beginStream(start: StreamStart): Promise<StreamWriter>;
  /** Seal the run: write and sign its manifest, then commit everything atomically. */
  commit(): Promise<Manifest>;
  /** Throw away everything the run wrote (the run itself stays recorded as interrupted). */
  abort(): Promise<void>;
}

export interface ManifestStream {
  instance: string;
  connector: string;
  connectorVersion: string;
  stream: string;
  type: StreamType;
  status: StreamStatus;
  error: string | null;
  requests: number;
  apiTotal: number | null;
  snapshotCount: number;
  /** Merkle root over the hashes of the stream's snapshot entries (provenance + body hash), in collection order. */
  snapshotRoot: string;
  recordCount: number;
  /** Merkle root over the sorted hashes of the records the stream observed. */
  recordRoot: string;
  /** Blob holding the sorted list of record hashes the stream observed. */
  recordSet: string;
  cursorBefore: string | null;
  cursorAfter: string | null;
  rangeSince: string | null;
  rangeUntil: string | null;
  /** Declared gaps inside the range: history that can no longer be collected, stated, never a silent hole. */
  gaps: DeclaredGap[];
  /** When the stream began and finished collecting (IPE: when the population was produced). */
  startedAt: string;
  finishedAt: string;
}

export interface Manifest {
  format: 'evidentia.manifest/1';
  runId: string;
  /** Position in the locker's chain, from 1. */
  sequence: number;
  previous: string | null;
  status: RunStatus;
  trigger: string;
  parameters: Record<string, unknown>;
  collectorVersion: string;
  startedAt: string;
  finishedAt: string;
  streams: ManifestStream[];
  /** Public key fingerprint (SHA-256 of the raw public key) the manifest is signed with. */
  keyId: string;
}

export interface RunSummary {
  runId: string;
  sequence: number | null;
  status: RunStatus | 'running';
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  manifestHash: string | null;
  streams: ManifestStream[];
}

export interface RecordQuery {
  kind?: string;
  control?: string;
  /** `<instance>/<stream>` */
  stream?: string;
  /**
   * State streams: the set observed by the last complete stream run that started at or before this time.
   * Event streams: what runs started by then had collected (newest version of each item). Default: latest.
   */
  at?: Date;
  limit?: number;
}

export interface StoredRecord extends EvidenceRecord {
  hash: string;
  /**
   * State records: when the stream run whose set answered the query started.
   * Event records: when the stream run that first collected this version started.
   */
  observedAt: string;
  runId: string;
}

export interface StoredSnapshot {
  entryHash: string;
  bodyHash: string;
  provenance: Provenance;
  runId: string;
  stream: string;
}

export type ProblemCode =
  | 'object-missing'
  | 'object-altered'
  | 'record-missing'
  | 'record-altered'
  | 'record-inserted'
  | 'snapshot-missing'
  | 'snapshot-altered'
  | 'snapshot-inserted'
  | 'manifest-missing'
  | 'manifest-altered'
  | 'chain-broken'
  | 'signature-invalid'
  | 'run-altered';

export interface VerifyProblem {
  code: ProblemCode;
  /** One sentence naming the item precisely (hash, run, stream, sequence). */
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  problems: VerifyProblem[];
  /** Non-fatal observations, e.g. objects left by an interrupted run. */
  notes: string[];
  counts: { manifests: number; snapshots: number; records: number; objects: number };
}

export interface VerifyOptions {
  /** Trusted public key (PEM) to check signatures with, instead of the one in the locker's keys/ folder. */
  publicKey?: string;
}

export interface Locker {
  readonly dir: string;
  /** Start a run. Takes the locker's single-writer lock; declares earlier runs that never finished as interrupted. */
  beginRun(options: RunOptions): Promise<RunWriter>;
  runs(): Promise<RunSummary[]>;
  /** Cursor left by the last complete stream run of `<instance>/<stream>`. */
  cursor(instance: string, stream: string): Promise<string | null>;
  records(query: RecordQuery): AsyncIterable<StoredRecord>;
  snapshot(entryHash: string): Promise<StoredSnapshot | null>;
  readObject(hash: string): Promise<Buffer>;
  publicKey(): Promise<string>;
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  close(): Promise<void>;
}
