/**
 * An in-memory `StreamSink`, for connector tests and for running a stream
 * without a locker (`fixtures record`): it checks what the locker's
 * stream writer would check (every record valid, every record source a stored
 * snapshot) and keeps everything in arrays a test can assert on.
 */
import { hashCanonical, hashRecord, validateRecord, type EvidenceRecord } from '@evidentia/evidence';
import type { Provenance, StreamSink } from './types.js';

/** One stored snapshot: the provenance of the exchange, the body, and the body's content hash. */
export interface StoredSnapshot {
  provenance: Provenance;
  body: unknown;
  hash: string;
}

/** What an earlier run of the stream left (a fixture run's `records` and `snapshots`), for a sink that stands for a later run. */
export interface SinkHistory {
  records: readonly EvidenceRecord[];
  snapshots: readonly StoredSnapshot[];
}

/**
 * A `StreamSink` that keeps snapshots and records in memory. Given an earlier
 * run's history, it answers as the locker does on a later run: the newest
 * record of a kind and key (this run's, else the earlier run's) and the
 * earlier bodies by hash, which records may name as sources.
 */
export class MemorySink implements StreamSink {
  readonly #snapshots: StoredSnapshot[] = [];
  readonly #bodies = new Map<string, unknown>();
  readonly #records: EvidenceRecord[] = [];
  readonly #history: SinkHistory | null;
  readonly #earlierBodies = new Map<string, unknown>();

  constructor(history?: SinkHistory) {
    this.#history = history ?? null;
    for (const snapshot of history?.snapshots ?? []) this.#earlierBodies.set(snapshot.hash, structuredClone(snapshot.body));
  }

  /** Store a snapshot. Like the locker, equal bodies are stored once (by hash); every call adds a provenance entry. */
  async putSnapshot(provenance: Provenance, body: unknown): Promise<string> {
    const { hash } = hashCanonical(body);
    if (!this.#bodies.has(hash)) this.#bodies.set(hash, structuredClone(body));
    this.#snapshots.push({ provenance: structuredClone(provenance), body: this.#bodies.get(hash), hash });
    return hash;
  }

  /** Validate and store a record. Throws when it is invalid or names a source snapshot this sink never stored. */
  async putRecord(record: EvidenceRecord): Promise<string> {
    const valid = validateRecord(record);
    const missing = valid.sources.filter((source) => !this.#bodies.has(source) && !this.#earlierBodies.has(source));
    if (missing.length > 0) throw new Error(`record ${valid.kind} ${JSON.stringify(valid.key)} names sources that were never stored: ${missing.join(', ')}`);
    this.#records.push(valid);
    return hashRecord(valid);
  }

  /** A stored body by its hash, this run's or the earlier run's (a copy), or undefined. */
  async storedBody(hash: string): Promise<unknown> {
    if (this.#bodies.has(hash)) return structuredClone(this.#bodies.get(hash));
    return this.#earlierBodies.has(hash) ? structuredClone(this.#earlierBodies.get(hash)) : undefined;
  }

  /** The newest record of `kind` and `key`, this run's or the earlier run's; always null without a history (a single run). */
  async previousRecord(kind: string, key: string): Promise<EvidenceRecord | null> {
    if (!this.#history) return null;
    const newest = (records: readonly EvidenceRecord[]) => records.findLast((record) => record.kind === kind && record.key === key);
    const found = newest(this.#records) ?? newest(this.#history.records);
    return found ? structuredClone(found) : null;
  }

  /** Every record stored, in order (a record put twice appears twice, so a test can see duplicates). */
  get records(): readonly EvidenceRecord[] {
    return this.#records;
  }

  /** Every snapshot stored, in order. */
  get snapshots(): readonly StoredSnapshot[] {
    return this.#snapshots;
  }

  /** The distinct snapshot bodies by hash. */
  get bodies(): ReadonlyMap<string, unknown> {
    return this.#bodies;
  }
}
