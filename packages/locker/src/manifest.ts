/**
 * Manifests: what a run (or an interrupted run) commits to, chained to the
 * previous manifest and signed. Also the one mapping between a manifest's
 * streams and the stream_runs rows that summarize them, used both to write
 * the rows and to check them against the signed manifest.
 */
import { hashCanonical } from '@evidentia/evidence';
import type { Manifest, ManifestStream, RunStatus } from './types.js';
import type { Db } from './schema.js';
import type { ObjectStore } from './objects.js';
import { signBytes, type Signer } from './keys.js';

export const MANIFEST_FORMAT = 'evidentia.manifest/1';

export interface RunRow {
  id: string;
  trigger: string;
  parameters: string;
  collector_version: string;
  started_at: string;
  pid: number;
}

export interface StreamRunRow {
  run_id: string;
  position: number;
  instance: string;
  name: string;
  connector: string;
  connector_version: string;
  type: string;
  status: string;
  error: string | null;
  requests: number;
  api_total: number | null;
  snapshot_count: number;
  snapshot_root: string;
  record_count: number;
  record_root: string;
  record_set: string;
  cursor_before: string | null;
  cursor_after: string | null;
  range_since: string | null;
  range_until: string | null;
  gaps: string;
  item_gaps: string;
  started_at: string;
  finished_at: string;
}

export interface ManifestRow {
  sequence: number;
  run_id: string;
  hash: string;
  previous: string | null;
  signature: string;
}

export type ManifestDraft = Omit<Manifest, 'format' | 'sequence' | 'previous' | 'keyId' | 'keyAlgorithm'>;

/** complete if every stream completed, failed if every stream failed (or there were none), else partial. */
export function runStatusOf(streams: ManifestStream[]): RunStatus {
  const complete = streams.filter((stream) => stream.status === 'complete').length;
  const failed = streams.filter((stream) => stream.status === 'failed').length;
  if (streams.length > 0 && complete === streams.length) return 'complete';
  return failed === streams.length ? 'failed' : 'partial';
}

/** The run's own facts, as the manifest repeats them. */
export function runFields(row: RunRow): Pick<Manifest, 'runId' | 'trigger' | 'parameters' | 'collectorVersion' | 'startedAt'> {
  return {
    runId: row.id,
    trigger: row.trigger,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    collectorVersion: row.collector_version,
    startedAt: row.started_at,
  };
}

/** A manifest for a run whose process died or gave up: it counts nothing, but the chain says it happened. */
export function interruptedDraft(row: RunRow, finishedAt: string): ManifestDraft {
  return { ...runFields(row), status: 'interrupted', finishedAt, streams: [] };
}

/**
 * Chain, sign and store a manifest inside the caller's open write transaction.
 * Signing may be a network call (KMS): the transaction, and so the writer
 * lock, is held while it is awaited, and nothing is written before it returns.
 */
export async function sealManifest(db: Db, objects: ObjectStore, signer: Signer, draft: ManifestDraft): Promise<{ manifest: Manifest; hash: string }> {
  const head = db.prepare('SELECT sequence, hash FROM manifests ORDER BY sequence DESC LIMIT 1').get() as
    | Pick<ManifestRow, 'sequence' | 'hash'>
    | undefined;
  const { keyId, algorithm } = signer.publicKey;
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    ...draft,
    sequence: (head?.sequence ?? 0) + 1,
    previous: head?.hash ?? null,
    keyId,
    // Named only when it is not Ed25519, so manifests signed before other algorithms existed read back byte for byte.
    ...(algorithm === 'ed25519' ? {} : { keyAlgorithm: algorithm }),
  };
  const { hash, bytes } = hashCanonical(manifest);
  const signature = await signBytes(bytes, signer);
  objects.put(hash, bytes);
  // The run's snapshots, record sets and this manifest are on disk before the row naming them can commit.
  await objects.flush();
  db.prepare('INSERT INTO manifests (sequence, run_id, hash, previous, signature) VALUES (?, ?, ?, ?, ?)').run(
    manifest.sequence,
    manifest.runId,
    hash,
    manifest.previous,
    signature,
  );
  return { manifest, hash };
}

/** Seal a manifest in a write transaction of its own (an interrupted or aborted run). */
export async function sealAlone(db: Db, objects: ObjectStore, signer: Signer, draft: ManifestDraft): Promise<void> {
  db.exec('BEGIN IMMEDIATE');
  try {
    await sealManifest(db, objects, signer, draft);
    db.exec('COMMIT');
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

export function parseManifest(bytes: Buffer): Manifest {
  const value = JSON.parse(bytes.toString('utf8')) as Manifest;
  if (value?.format !== MANIFEST_FORMAT || !Array.isArray(value.streams)) throw new TypeError('not an evidentia manifest');
  return value;
}

export const INSERT_STREAM_RUN = `INSERT INTO stream_runs (run_id, position, instance, name, connector, connector_version, type,
  status, error, requests, api_total, snapshot_count, snapshot_root, record_count, record_root, record_set,
  cursor_before, cursor_after, range_since, range_until, gaps, item_gaps, started_at, finished_at)
VALUES (@run_id, @position, @instance, @name, @connector, @connector_version, @type, @status, @error, @requests,
  @api_total, @snapshot_count, @snapshot_root, @record_count, @record_root, @record_set, @cursor_before,
  @cursor_after, @range_since, @range_until, @gaps, @item_gaps, @started_at, @finished_at)`;

export function streamRunRow(runId: string, position: number, stream: ManifestStream): StreamRunRow {
  return {
    run_id: runId,
    position,
    instance: stream.instance,
    name: stream.stream,
    connector: stream.connector,
    connector_version: stream.connectorVersion,
    type: stream.type,
    status: stream.status,
    error: stream.error,
    requests: stream.requests,
    api_total: stream.apiTotal,
    snapshot_count: stream.snapshotCount,
    snapshot_root: stream.snapshotRoot,
    record_count: stream.recordCount,
    record_root: stream.recordRoot,
    record_set: stream.recordSet,
    cursor_before: stream.cursorBefore,
    cursor_after: stream.cursorAfter,
    range_since: stream.rangeSince,
    range_until: stream.rangeUntil,
    gaps: JSON.stringify(stream.gaps),
    item_gaps: JSON.stringify(stream.itemGaps ?? []),
    started_at: stream.startedAt,
    finished_at: stream.finishedAt,
  };
}

export function streamFromRow(row: StreamRunRow): ManifestStream {
  return {
    instance: row.instance,
    connector: row.connector,
    connectorVersion: row.connector_version,
    stream: row.name,
    type: row.type as ManifestStream['type'],
    status: row.status as ManifestStream['status'],
    error: row.error,
    requests: row.requests,
    apiTotal: row.api_total,
    snapshotCount: row.snapshot_count,
    snapshotRoot: row.snapshot_root,
    recordCount: row.record_count,
    recordRoot: row.record_root,
    recordSet: row.record_set,
    cursorBefore: row.cursor_before,
    cursorAfter: row.cursor_after,
    rangeSince: row.range_since,
    rangeUntil: row.range_until,
    gaps: JSON.parse(row.gaps) as ManifestStream['gaps'],
    ...itemGapsOf(row),
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** A manifest names item gaps only when there are any, so manifests from before item gaps read back unchanged. */
function itemGapsOf(row: StreamRunRow): Pick<ManifestStream, 'itemGaps'> {
  const gaps = JSON.parse(row.item_gaps ?? '[]') as NonNullable<ManifestStream['itemGaps']>;
  return gaps.length > 0 ? { itemGaps: gaps } : {};
}
