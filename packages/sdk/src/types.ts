/**
 * The public contract between evidentia and a connector. A connector is a
 * declarative object (see `defineConnector`): its streams say what they
 * collect and which criteria the evidence serves; the SDK owns retries,
 * snapshots, cursors and validation, the connector owns its API knowledge.
 */
import type { z } from 'zod';
import type { CustomKindName, DeclaredGap, EvidenceRecord, ItemGap, KindName, Logger, PreviousSnapshot, Provenance, RecordData, RecordKind, StreamSink, StreamType } from '@evidentia/evidence';
import type { WithSources } from './sources-scope.js';

/** Shared with the locker and the judging half; defined in @evidentia/evidence, re-exported for connector authors. */
export type { DeclaredGap, ItemGap, Logger, PreviousSnapshot, Provenance, StreamSink, StreamType };

/** The half-open time range `[since, until)` an event stream collects in this run. */
export interface CollectionRange {
  /** Start of the range; null means "from the beginning the source keeps". */
  since: Date | null;
  until: Date;
}

/** How a total the source reports is compared with what the stream received. */
export interface TotalOptions {
  /** What the total counts, for the partial reason and the IPE header, e.g. `organization members`. */
  what?: string;
  /**
   * Which emitted records the total counts, by kind and key (default: every
   * record of the stream's kind). Evaluated when the stream ends, so the total
   * may be reported before or after the records.
   */
  counts?(record: RecordIdentity): boolean;
  /**
   * How many items the total counts that the stream received but deliberately
   * turned into no record (a filter the API cannot apply, e.g. a Jira ticket
   * whose type maps to no evidence kind), logged by the connector. Read when
   * the stream ends; those items count as received, so the total checks the
   * listing, not the normalization.
   */
  excluded?(): number;
}

/** A record's identity within a stream. */
export interface RecordIdentity {
  kind: string;
  key: string;
}

/** What a connector hands to `ctx.emit`; the SDK fills in system, stream and validation. */
export interface RecordInput<K extends RecordKind = RecordKind> {
  /** Defaults to the stream's declared kind. */
  kind?: K;
  key: string;
  /** When the item happened (ISO 8601 with offset). Required by an event stream: a record without it is an item gap, since no period would hold it. */
  occurredAt?: string | null;
  data: RecordData<K>;
  /** Snapshot body hashes the record rests on (see `snapshotOf`); at least one, else the record is an item gap. */
  sources: string[];
  /** Extra criteria beyond the stream's defaults. */
  controls?: string[];
}

/**
 * A record of a kind the connector declared (`kinds`): the kind is named on
 * every emit, and the data is checked against the declared schema when it is
 * emitted (its TypeScript type is the schema's to give: `z.infer`).
 */
export interface CustomRecordInput extends Omit<RecordInput, 'kind' | 'data'> {
  kind: CustomKindName;
  data: Record<string, unknown>;
}

/** Everything a connector gets while collecting one stream. */
export interface StreamContext<C> {
  /** The connector instance's validated config (secrets as `Secret`). */
  readonly config: C;
  /** Connector instance id from the config (e.g. `github`, `github-oss`). */
  readonly instance: string;
  readonly stream: string;
  /** Event streams: the range to collect (cursor minus overlap, or --since/--until). State streams: null. */
  readonly range: CollectionRange | null;
  /** The cursor the previous clean run left, if any. */
  readonly cursor: string | null;
  /**
   * A fetch for API clients: retries 429/5xx/network errors with backoff and
   * jitter (honouring Retry-After and rate-limit reset headers), enforces the
   * request budget and cancellation, and stores every JSON response as a
   * snapshot. The returned response carries the snapshot hash (see `snapshotOf`).
   */
  readonly fetch: typeof fetch;
  /**
   * The same retries, budget and cancellation as `fetch`, but the response is
   * never stored: only for exchanges whose response is itself a credential
   * (an OAuth or installation token).
   */
  readonly credentialFetch: typeof fetch;
  /**
   * Run `work` and return its value with the snapshot hashes of every
   * response `fetch` recorded while it ran, in order and without duplicates,
   * including requests made by client code inside `work`. For API clients
   * that return only parsed bodies and hide the headers `snapshotOf` reads
   * (jira.js, @slack/web-api, the AWS SDK): wrap each call and put the hashes
   * in the record's `sources`. Scopes may nest (each receives the hashes) and
   * run concurrently (they never mix); `credentialFetch` adds nothing.
   */
  sourcesOf<T>(work: () => Promise<T>): Promise<WithSources<T>>;
  /** Store a snapshot explicitly (for clients that do not use `fetch`). Returns its hash. */
  snapshot(provenance: Pick<Provenance, 'method' | 'url' | 'requestBody' | 'status' | 'headers' | 'revalidates'>, body: unknown): Promise<string>;
  /**
   * Validate and store a record. The same record emitted twice in one stream
   * run (whatever its sources) is stored once, as first emitted. A key emitted again with different content is stored
   * in both versions; in a state stream it is also an in-scope item gap (the
   * stream is partial: an inventory holds one version of each item). A
   * record that fails its kind's schema is not stored: it
   * becomes an item gap naming the record and the field (the stream is
   * partial) and the stream goes on.
   */
  emit<K extends RecordKind>(record: RecordInput<K>): Promise<void>;
  emit(record: CustomRecordInput): Promise<void>;
  /** Move the cursor; it is saved only if the stream finishes cleanly. Defaults to the range's end. */
  setCursor(cursor: string): void;
  /**
   * A population size the source reports independently of the listing (an
   * organization's member count, a GraphQL `totalCount`, Jira's count, the
   * rows of a credential report). At the end of the stream the SDK compares
   * it with the distinct records emitted that it counts: a stream that
   * received fewer or more ends `partial` with both numbers in the reason,
   * never `complete`. Call once per population, before or after emitting
   * (a total known only at the end, e.g. a sum over searches, is fine; so
   * with `counts`, which is applied when the stream ends). The same number
   * under the same `what`, without `counts` or `excluded`, reported again (on
   * every page) is that population once. Never report a count you
   * computed from the same listing (that proves nothing).
   */
  reportTotal(total: number, options?: TotalOptions): void;
  /**
   * Name an item that could not be read. It is kept in the stream's result
   * and in coverage; the stream is `partial` when the item is in scope.
   * Naming an item again adds the reason; once in scope it stays in scope.
   */
  itemGap(gap: ItemGap): void;
  /** Record who the collector acts as; kept in every later snapshot's provenance. */
  setIdentity(identity: string): void;
  /** Wait politely (polling, per-API rate limits). Cancellable; tests substitute a clock that does not really sleep. */
  sleep(ms: number): Promise<void>;
  /** The current time (injectable, so ages and ranges are testable). */
  now(): Date;
  /**
   * A path from the connector's config as the user meant it: relative paths
   * resolve against the folder of the config file that names them (not the
   * working directory), absolute paths stay as they are. Use it for every
   * file or folder a config field names.
   */
  resolvePath(path: string): string;
  /**
   * The newest record this stream stored with `kind` and `key` (sources
   * included), from an earlier run or this one; null when there is none or
   * the sink keeps no history. For facts that cost a request per item and
   * cannot have changed while another fact stayed the same (a key's ID while
   * its creation time is the same): read the earlier record's source with
   * `storedResponse`, check it still says so, and name it in `sources`.
   */
  previousRecord(kind: string, key: string): Promise<EvidenceRecord | null>;
  /**
   * The body of a response stored under a snapshot hash (a record's source),
   * checked against its hash as it is read; undefined when the sink holds no
   * such response or it cannot be read intact (never an altered body).
   */
  storedResponse(hash: string): Promise<unknown>;
  /**
   * Aborts when the run is cancelled or the stream reaches its time limit
   * (`StreamTimeLimitError` as its reason). `ctx.fetch` and `ctx.sleep` heed
   * it, and `paginate` asks for no further page; pass it to any other
   * waiting the connector does (a client of its own). Past the limit the stream fails whether or not
   * `collect()` returns, and later calls to this context are refused.
   */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

/** A credential the connector needs, for `evidentia connectors` and `doctor`. */
export interface CredentialNeed {
  /** Config field that holds the reference, e.g. `token`. */
  field: string;
  description: string;
  /** Permission/scopes needed, in the source system's words. */
  permissions: string[];
}

export interface StreamDefinition<C> {
  type: StreamType;
  /** The record kind this stream emits by default: built-in, or one the connector declares in `kinds`. */
  kind: KindName;
  description: string;
  /** Criteria the stream's records serve by default, e.g. ['CC6.1', 'CC6.2']. */
  controls: string[];
  /** Event streams: how long the source keeps history (days); a backfill beyond it declares a gap. */
  retentionDays?: number;
  /** Event streams: how far back from the cursor to re-read, in milliseconds. Default one hour. */
  overlapMs?: number;
  /** Event streams: how far back the first run reaches, in days. Default 90. */
  initialLookbackDays?: number;
  /**
   * Event streams: an item is collected again whenever it changes (the range
   * is over its last update, like Jira's `updated`), so a stored item that a
   * later complete run did not bring again was unchanged until then. Checks
   * judge deadlines as of that time, not only as of the item's first
   * collection. Leave unset when items are found by a time that never
   * changes (a merge, a creation): a later run says nothing about them.
   */
  recollectsChanges?: boolean;
  collect(ctx: StreamContext<C>): Promise<void>;
}

export interface ConnectorDefinition<C = unknown> {
  /** Registry id, lower-case, e.g. `github`. */
  id: string;
  version: string;
  title: string;
  configSchema: z.ZodType<C>;
  credentials: CredentialNeed[];
  /** A string identifying the system instance in records, e.g. `github:acme`. */
  system(config: C): string;
  streams: Record<string, StreamDefinition<C>>;
  /**
   * Record kinds of the connector's own, by namespaced name (`acme.device`;
   * the namespace may not be a built-in kind's), each a zod object schema for
   * the record's data. A stream of such a kind must name its `controls`:
   * evidentia has no default criteria for it.
   */
  kinds?: Record<string, z.ZodType>;
  /**
   * Where the connector sends its requests, so record mode (`evidentia
   * fixtures record`) and the demo can point it at a local server.
   */
  apiBase?: {
    read(config: C): string;
    override(config: C, baseUrl: string): C;
  };
  /**
   * Check credentials and permissions against the live system without
   * collecting, for `evidentia doctor`: one check per permission or mapped
   * field, naming what is missing.
   */
  doctor?(ctx: DoctorContext<C>): Promise<DoctorCheck[]>;
  /**
   * What `evidentia demo` collects from this connector, kept beside its
   * cassettes so the connector owns its demo material. Built-in connectors
   * only.
   */
  demo?: ConnectorDemo;
}

/** A connector's part in `evidentia demo`. */
export interface ConnectorDemo {
  /** Absolute paths of the recorded cassettes the demo's replay server serves (the connector's own fixtures/). */
  cassettes: string[];
  /**
   * The connector's config entry, as a user would write it in evidentia.yaml,
   * pointed at the replay server on `baseUrl`; every credential field is
   * `secretReference` (an `${env:…}` reference the demo resolves).
   */
  config(baseUrl: string, secretReference: string): Record<string, unknown>;
}

/** One finding of `evidentia doctor`: a permission or setting checked against the live system. */
export interface DoctorCheck {
  /** What was checked, e.g. `iam:GenerateCredentialReport` or `field customfield_10050`. */
  name: string;
  ok: boolean;
  /** What was found; for a failure, what to change. */
  detail: string;
}

/** What a connector's `doctor` gets: like a stream context, but nothing it fetches is stored. */
export interface DoctorContext<C> {
  readonly config: C;
  readonly instance: string;
  /** Retried and budgeted like `StreamContext.fetch`; responses are not snapshotted. */
  readonly fetch: typeof fetch;
  readonly signal: AbortSignal;
  readonly log: Logger;
}
