/**
 * The evidence locker's public interface. It is asynchronous even though the
 * embedded SQLite backend is synchronous, so that a PostgreSQL metadata store
 * and S3-compatible object storage can replace it without changing callers.
 */
import type { AccessReviewEntry, AccessReviewGuard, AccessReviewInput } from './access-review-types.js';
import type { PortalLogEntry, PortalLogInput } from './portal-log-types.js';
import type { DocumentType } from './document-type.js';
import type { ChainLink, EntryChain, WitnessedChain } from './entry-formats.js';
import type { KeyCustody } from './keys.js';
import type { EvidenceRecord } from '@evidentia/evidence';
import type { DeclaredGap, ItemGap, Provenance, StreamSink, StreamType } from '@evidentia/evidence';

export type RunStatus = 'complete' | 'partial' | 'failed' | 'interrupted';
/** complete: all the source holds; partial: stored, but a reported total disagrees or an in-scope item was denied. */
export type StreamStatus = 'complete' | 'partial' | 'failed';

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
  /** Items that could not be read (denied, not found). */
  itemGaps?: ItemGap[];
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
  /** Items that could not be read, named; present only when there are any (older manifests have none). */
  itemGaps?: ItemGap[];
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
  /** Public key fingerprint (SHA-256 of the raw Ed25519 key, or of a P-256 key's DER form) the manifest is signed with. */
  keyId: string;
  /** The signature algorithm when it is not Ed25519 (a KMS key signs ECDSA P-256 with SHA-256). */
  keyAlgorithm?: 'ecdsa-p256-sha256';
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
  | 'record-set-altered'
  | 'snapshot-missing'
  | 'snapshot-altered'
  | 'snapshot-inserted'
  | 'manifest-missing'
  | 'manifest-altered'
  | 'chain-broken'
  | 'signature-invalid'
  | 'run-altered'
  | 'catalog-text-altered'
  | 'document-altered'
  | 'acceptance-altered'
  | 'access-review-altered'
  | 'portal-log-altered'
  | 'table-missing';

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
  counts: { manifests: number; snapshots: number; records: number; objects: number; catalogTextImports: number; documents: number; acceptances: number; accessReviews: number; portalLog: number };
  /** How fast the check ran: the bytes it hashed (record JSON as stored and every object's content) and the records it read, over its wall-clock time. */
  throughput: VerifyThroughput;
}

export interface VerifyThroughput {
  seconds: number;
  bytes: number;
  bytesPerSecond: number;
  recordsPerSecond: number;
}

export interface VerifyOptions {
  /** Trusted public key (PEM) to check signatures with, instead of the locker's keys/signing.pub; rotations are followed from it. */
  publicKey?: string;
}

/** A period for judging evidence: from `since` (inclusive) to `until` (exclusive), optionally narrowed. */
export interface PeriodQuery {
  since: Date;
  until: Date;
  kind?: string;
  control?: string;
  /** `<instance>/<stream>` */
  stream?: string;
}

/** A slice of a period's items (inventory items or event items, each in its own order): those of a system (and key), from an offset. */
export interface PeriodPage {
  system?: string;
  key?: string;
  /** Items skipped first (0 when absent). */
  offset?: number;
  /** Items at most (all when absent). */
  limit?: number;
}

/** A period's items counted per system, without reading them: inventory items (distinct system, key, kind) and event items apart. */
export interface PeriodItemCounts {
  inventory: Record<string, number>;
  events: Record<string, number>;
}

/** Which item a stored record is a version of. */
export interface RecordIdentity {
  kind: string;
  system: string;
  key: string;
}

/** One inventory: a complete state stream run whose record set was in effect during a period. */
export interface Inventory {
  /** `<instance>/<stream>` */
  stream: string;
  runId: string;
  sequence: number;
  /** When the stream run started: the moment the inventory describes. */
  observedAt: string;
  recordSet: string;
  recordCount: number;
}

export type HashedRecord = EvidenceRecord & { hash: string };

/** One version of an inventory item and the record sets (inventories) that hold it. */
export interface InventoryVersion {
  record: HashedRecord;
  sets: string[];
}

/** A record exactly as stored: its canonical JSON text, which its hash covers. */
export interface RecordText {
  hash: string;
  json: string;
}

/** A stream run a period's evidence rests on. */
export interface PeriodStreamRun {
  sequence: number;
  runId: string;
  instance: string;
  stream: string;
  type: StreamType;
  recordSet: string;
  startedAt: string;
}

/** A manifest's row: its place in the chain and its Ed25519 signature (base64) over the manifest object's bytes. */
export interface ManifestEntry {
  sequence: number;
  runId: string;
  hash: string;
  previous: string | null;
  signature: string;
}

export interface SnapshotEntry extends StoredSnapshot {
  /** Position in the stream run, from 1 (collection order, as the snapshot root covers them). */
  seq: number;
}

/** One stream's part of a committed run, as coverage, status and the daemon read it. */
export interface StreamRunEntry {
  runId: string;
  /** The run's manifest sequence. */
  sequence: number;
  trigger: string;
  /** `<instance>/<stream>` */
  stream: string;
  type: StreamType;
  status: StreamStatus;
  error: string | null;
  rangeSince: string | null;
  rangeUntil: string | null;
  gaps: DeclaredGap[];
  /** Items the stream run could not read. */
  itemGaps: ItemGap[];
  startedAt: string;
  finishedAt: string;
}

export interface StreamRunQuery {
  /** `<instance>/<stream>` */
  stream?: string;
  /** Only stream runs that started at or before this time. */
  startedBy?: Date;
  /** Only stream runs of runs that started at or after this time (older runs are skipped cheaply). */
  since?: Date;
}

/** A stream's newest stream run and its newest complete one. */
export interface StreamHead {
  stream: string;
  last: StreamRunEntry;
  lastComplete: StreamRunEntry | null;
  /** When the stream was first attempted. */
  firstStartedAt: string;
}

/** A run as started (committed or not), with the parameters it was started with. */
export interface RunEntry {
  runId: string;
  /** Null while the run has no manifest. */
  sequence: number | null;
  trigger: string;
  parameters: Record<string, unknown>;
  startedAt: string;
}

/**
 * Official requirement text a licence holder imports into their own locker:
 * evidentia ships IDs and own-words labels only, since AICPA, ISO and BSI
 * text is copyrighted.
 */
export interface CatalogTextImport {
  /** Framework ID, e.g. `iso27001`. */
  framework: string;
  /** Requirement IDs as the catalog writes them, each once, with their text. */
  entries: { id: string; text: string }[];
  /** The file the text came from, without its directory. */
  sourceName: string;
  /** SHA-256 (hex) of that file's bytes. */
  sourceSha256: string;
}

/** One stored import: its row, and the object (canonical JSON) holding the text. */
export interface CatalogTextImportInfo {
  /** Import order in the locker, from 1. */
  sequence: number;
  /** The object holding the import. */
  hash: string;
  framework: string;
  entryCount: number;
  sourceName: string;
  sourceSha256: string;
  importedAt: string;
}

export interface CatalogTextImportResult extends CatalogTextImportInfo {
  /** Requirements that had no text before. */
  added: number;
  /** Requirements whose earlier text this import supersedes with different text. */
  replaced: number;
  /** Requirements imported again with the text they already had. */
  unchanged: number;
}

/** The text in effect for one requirement: from the latest import that holds its ID. */
export interface CatalogTextEntry {
  framework: string;
  id: string;
  text: string;
  source: CatalogTextImportInfo;
}

/** One file to add as document evidence; its type is told from its bytes. */
export interface DocumentInput {
  /** The evidence request it answers. */
  request: string;
  /** The file's name, without its folder. */
  fileName: string;
  bytes: Buffer;
  addedBy: string;
  /** The day the document speaks for (signed, approved, held), YYYY-MM-DD. */
  effective: string;
  /** Whom it is about, for requests per event (a new hire's email); null otherwise. */
  subject: string | null;
  note: string | null;
  /** The sequence of the entry this one corrects; that entry stays. */
  supersedes: number | null;
}

/** A stored document entry. */
export interface DocumentEntry {
  sequence: number;
  /** Hash of the signed entry object. */
  hash: string;
  request: string;
  fileName: string;
  type: DocumentType;
  mediaType: string;
  size: number;
  /** SHA-256 of the file's bytes: the object holding them. */
  content: string;
  addedBy: string;
  addedAt: string;
  effective: string;
  subject: string | null;
  note: string | null;
  supersedes: number | null;
  /** The later entry that corrects this one, or null while it is current. */
  supersededBy: number | null;
}

/** An exception to accept: the item a check raised, why its risk is accepted, who approved it and the last day it holds. */
export interface AcceptanceInput {
  /** The check id. */
  check: string;
  /** The item key as the check's finding names it. */
  item: string;
  reason: string;
  approver: string;
  /** The last day the acceptance holds (YYYY-MM-DD, read in the audit time zone). */
  until: string;
  /** Who recorded it (may differ from the approver). */
  recordedBy: string;
}

/** The revocation of an acceptance: a new entry, the acceptance stays. */
export interface RevocationInput {
  /** The acceptance's id. */
  revokes: number;
  reason: string;
  approver: string;
  recordedBy: string;
}

/** A stored acceptance, with the revocation that ended it, if any. */
export interface ExceptionAcceptance extends AcceptanceInput {
  /** Its entry sequence, the id `exception revoke` takes. */
  id: number;
  /** Hash of the signed entry object. */
  hash: string;
  recordedAt: string;
  revoked: { id: number; reason: string; approver: string; recordedBy: string; at: string } | null;
}

/** A hand-over of the signing key, as `rotateKey` recorded it in keys/rotations/. */
export interface KeyRotation {
  sequence: number;
  from: string;
  to: string;
  /** The first manifest sequence the new key signs. */
  effectiveFrom: number;
  /** Where the new private key is (a path, a KMS key). */
  location: string;
}

export interface Locker {
  readonly dir: string;
  /** Start a run. Takes the locker's single-writer lock; declares earlier runs that never finished as interrupted. */
  beginRun(options: RunOptions): Promise<RunWriter>;
  runs(): Promise<RunSummary[]>;
  /** The run started last (as runs() lists it: running, interrupted, or its manifest's status), or null before any run; reads one manifest at most. */
  latestRun(): Promise<RunSummary | null>;
  /** Cursor left by the last complete stream run of `<instance>/<stream>`. */
  cursor(instance: string, stream: string): Promise<string | null>;
  records(query: RecordQuery): AsyncIterable<StoredRecord>;
  snapshot(entryHash: string): Promise<StoredSnapshot | null>;
  readObject(hash: string): Promise<Buffer>;
  /** The same bytes in chunks: a large record set streams (bounded memory) rather than being rebuilt whole; its check against its name comes after the last chunk. */
  readObjectChunks(hash: string): AsyncIterable<Buffer>;
  /** Whether the store holds an object (a blob) of this hash; its content is checked when it is read. */
  holdsObject(hash: string): Promise<boolean>;
  /** The locker's first public key (keys/signing.pub), where its key rotations start. */
  publicKey(): Promise<string>;
  /** The key rotation records, in order, as stored (keys/rotations/). */
  keyRotations(): Promise<Array<{ path: string; text: string }>>;
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /** The inventories in effect during a period (of streams holding records of `kind` / for `control`): per state stream, the last complete one at or before `since`, then every one before `until`. */
  inventories(query: PeriodQuery): Promise<Inventory[]>;
  /** Every record version held by those inventories, with the sets holding it, ordered by system, key and kind. */
  inventoryHistory(query: PeriodQuery, page?: PeriodPage): AsyncIterable<InventoryVersion>;
  /** Event records whose newest version happened (occurredAt) inside the period, ordered by kind, system and key. */
  periodEvents(query: PeriodQuery, page?: PeriodPage): AsyncIterable<StoredRecord>;
  /** How many items `inventoryHistory` and `periodEvents` hold, per system, counted in SQL (nothing is parsed). */
  periodItemCounts(query: PeriodQuery): Promise<PeriodItemCounts>;
  /** The record kinds `inventoryHistory` and `periodEvents` hold items of over the period, sorted, found in SQL (nothing is parsed). */
  periodKinds(period: Pick<PeriodQuery, 'since' | 'until'>): Promise<string[]>;
  /** The kind, system and key of the stored record with this hash, or null (an index lookup). */
  recordIdentity(hash: string): Promise<RecordIdentity | null>;
  /** The stream runs a period's evidence rests on (inventories in effect, event runs in or collecting for the period), in chain order. */
  periodStreamRuns(query: Pick<PeriodQuery, 'since' | 'until'>): Promise<PeriodStreamRun[]>;
  /**
   * Sign a document that is not a manifest (e.g. `evidentia.bundle-index/1`) with the locker key;
   * fails when this copy of the locker has no private key.
   */
  signDocument(purpose: string, bytes: Buffer): Promise<{ signature: string; keyId: string }>;
  /**
   * Hand signing over to a new key from the custody: a record signed by the old and the new key, in keys/rotations/.
   * `previous` holds the key in effect when the custody does not (the config now names the new key's custody).
   */
  rotateKey(previous?: KeyCustody): Promise<KeyRotation>;
  /** Every manifest row, in chain order. */
  manifests(): Promise<ManifestEntry[]>;
  /** A stream run's snapshot entries in collection order. */
  snapshotEntries(runId: string, stream: string): AsyncIterable<SnapshotEntry>;
  /** The distinct records of the given record sets, ordered by hash, as stored. */
  setRecords(recordSets: string[]): AsyncIterable<RecordText>;
  /** Stream runs of committed runs, in commit order, streamed. */
  streamRuns(query?: StreamRunQuery): AsyncIterable<StreamRunEntry>;
  /** Each stream's newest stream run and newest complete one. */
  streamHeads(): Promise<StreamHead[]>;
  /** Runs started with this trigger (e.g. `catch-up`), oldest first, with their parameters. */
  runsByTrigger(trigger: string): Promise<RunEntry[]>;
  /** Store an import of official requirement text (one object, one append-only row) under the writer lock; earlier imports stay. */
  importCatalogText(input: CatalogTextImport): Promise<CatalogTextImportResult>;
  /** The text in effect per requirement (the latest import of each ID wins), of one framework or all, in the order IDs were first imported. */
  catalogText(framework?: string): Promise<CatalogTextEntry[]>;
  /** Store files as document evidence (one signed, chained entry each) under the writer lock; all or nothing. */
  addDocuments(inputs: DocumentInput[]): Promise<DocumentEntry[]>;
  /** Every document entry in order, each with the entry that supersedes it. */
  documents(): Promise<DocumentEntry[]>;
  /** Accept an exception (one signed, chained entry) under the writer lock. */
  acceptException(input: AcceptanceInput): Promise<ExceptionAcceptance>;
  /** Revoke an acceptance by a new signed entry; the acceptance stays. */
  revokeAcceptance(input: RevocationInput): Promise<ExceptionAcceptance>;
  /** Every acceptance in order, each with its revocation. */
  acceptances(): Promise<ExceptionAcceptance[]>;
  /** A signed entry chain as stored (each entry object with its signature), in order: what a bundle carries. */
  signedEntries(chain: EntryChain): Promise<{ hash: string; signature: string; entry: unknown }[]>;
  /** Append one signed, chained access-review entry under the writer lock; `guard` sees the stored entries first and may refuse (nothing stored). */
  appendAccessReview(input: AccessReviewInput, guard?: AccessReviewGuard): Promise<AccessReviewEntry>;
  /** Every access-review entry in order, with its body as signed. */
  accessReviews(): Promise<AccessReviewEntry[]>;
  /** Append a batch of the portal's audit-log events, signed and chained, under the writer lock (LockerBusyError while a run holds it). */
  appendPortalLog(inputs: readonly PortalLogInput[]): Promise<number>;
  /** The portal's audit-log events from `since` (ISO instant) on, oldest first. */
  portalLog(since?: string): Promise<PortalLogEntry[]>;
  /** Each signed entry chain a witness checkpoint covers, as its entries' sequences and hashes in order. */
  chainLinks(): Promise<Record<WitnessedChain, ChainLink[]>>;
  /** A mark that differs whenever a run starts or ends or an entry the judging reads is added (change-mark.ts): a few index lookups. */
  changeMark(): string;
  close(): Promise<void>;
}
