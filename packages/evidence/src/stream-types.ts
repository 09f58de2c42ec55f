/**
 * The types every layer shares about a stream and what it stores: its type,
 * the declared and item gaps, a snapshot's provenance and the sink a running
 * stream writes to (the SDK drives it, the locker implements it), and the log
 * sink. Types only, so the locker and the judging half need not import the SDK.
 */
import type { EvidenceRecord } from './record.js';

/** state: a point-in-time inventory snapshotted on a cadence; event: a history collected incrementally by time. */
export type StreamType = 'state' | 'event';

/** Log sink handed to connectors. Never pass secrets in `fields`. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Part of a requested range that cannot be collected, stated rather than left
 * as a silent hole (e.g. older than the source keeps). ISO times; `since` null
 * means "from the beginning".
 */
export interface DeclaredGap {
  since: string | null;
  until: string;
  reason: string;
}

/**
 * One item of a stream that could not be read (a Slack channel the bot is not
 * in, a repository that answers 403 or 404): a named gap in the stream's
 * result and in coverage rather than a failed stream.
 */
export interface ItemGap {
  /** Which item, in the source's words, e.g. `channel #inc-42 (C0123)` or `repository acme/legacy`. */
  item: string;
  /** Why it could not be read, e.g. `not_in_channel: the bot is not a member`. */
  reason: string;
  /**
   * Whether the configuration puts the item in scope. An in-scope gap makes
   * the stream `partial`; an out-of-scope one is listed and the stream can
   * still be complete.
   */
  inScope: boolean;
}

/** Request and response facts kept with every snapshot. Never contains credentials. */
export interface Provenance {
  method: string;
  /** URL without credentials; query parameters that carry secrets are removed. */
  url: string;
  /** Request body for queries sent by POST (GraphQL query and variables, JQL). */
  requestBody: unknown;
  status: number;
  /** Selected response headers: ETag, Date, Last-Modified and rate-limit headers. */
  headers: Record<string, string>;
  collectedAt: string;
  connector: string;
  connectorVersion: string;
  collectorVersion: string;
  /** Who the collector was acting as (token login, role ARN). */
  identity: string | null;
  /**
   * For a 304 Not Modified: the entry hash of the full (200) response it
   * revalidated, whose body and headers the stream was served. Absent otherwise.
   */
  revalidates?: string;
}

/** What a running stream writes to; implemented by the locker's stream writer. */
export interface StreamSink {
  /** Store a snapshot body with its provenance; returns the body's content hash. */
  putSnapshot(provenance: Provenance, body: unknown): Promise<string>;
  /** Store a validated record; returns its hash. */
  putRecord(record: EvidenceRecord): Promise<string>;
  /**
   * The latest stored record of this stream with the same kind and key, so
   * an unchanged item observed again is stored once (its content, sources
   * aside, is compared by the SDK). Optional: sinks without history return nothing.
   */
  previousRecord?(kind: string, key: string): Promise<EvidenceRecord | null>;
  /**
   * The last stored response to the same request in this stream that came
   * with an ETag, so the request can be made conditional (a 304 costs no rate
   * limit on most APIs). Optional: sinks without history return nothing.
   */
  previousSnapshot?(method: string, url: string): Promise<PreviousSnapshot | null>;
  /**
   * The body stored under a snapshot hash, checked against the hash as it is
   * read; undefined when there is none or it cannot be read intact. Optional:
   * sinks without history return nothing.
   */
  storedBody?(hash: string): Promise<unknown>;
}

/** A stored response that a conditional request can revalidate. */
export interface PreviousSnapshot {
  etag: string;
  /** Entry hash of the stored full response (a 304 names it in `revalidates`). */
  entryHash: string;
  body: unknown;
  /** The headers kept with it (pagination Link among them): a 304 need not repeat them. */
  headers: Record<string, string>;
}
