/**
 * Runs one stream of one connector instance: builds the stream context,
 * computes the collection range from the cursor, validates and de-duplicates
 * what the connector emits, and turns any failure into a stream result rather
 * than an exception, so one failing stream never takes the others down.
 */
import { resolve } from 'node:path';
import { isCriterionId } from '@evidentia/catalog';
import { canonicalJson, validateRecord, hashRecord, recordKindRegistry, RecordValidationError, type EvidenceRecord } from '@evidentia/evidence';
import { CompletenessLedger } from './completeness.js';
import { EmittedRecords } from './emitted-records.js';
import { PendingWork, trackedContext } from './pending-work.js';
import { pagingScope, type ListChange } from './paginate.js';
import { createEvidenceFetch, type SnapshotFacts } from './evidence-fetch.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy.js';
import { describeError } from './describe-error.js';
import { SecretScrubber, scrubbingLogger, secretValuesIn } from './secret-scrubber.js';
import { DEFAULT_STREAM_TIME_LIMIT_MS, StreamDeadline } from './stream-deadline.js';
import type { CollectionRange, ConnectorDefinition, CustomRecordInput, DeclaredGap, ItemGap, Logger, Provenance, RecordInput, StreamContext, StreamSink } from './types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface RunStreamOptions<C> {
  connector: ConnectorDefinition<C>;
  /** Connector instance id (the config's name for this connector). */
  instance: string;
  /** The instance's validated config. */
  config: C;
  stream: string;
  sink: StreamSink;
  /** Cursor from the last clean run of this stream. */
  cursor: string | null;
  /** Backfill: explicit range for event streams. */
  since?: Date;
  until?: Date;
  /** Criteria for the stream's records, replacing the stream's defaults (config overrides). */
  controls?: string[];
  collectorVersion: string;
  /** The folder of the config file, against which `ctx.resolvePath` resolves relative paths (default: the working directory). */
  configDir?: string;
  /** The underlying fetch (default: global fetch). */
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  signal?: AbortSignal;
  log?: Logger;
  /**
   * Secret values to remove from the outcome's error and item-gap reasons and
   * from log lines (which reach the manifest, the terminal and notifications),
   * besides every resolved `Secret` in `config` and well-known credential
   * formats, which are always removed.
   */
  secrets?: Iterable<string>;
  retry?: Partial<RetryPolicy>;
  maxRequests?: number;
  requestTimeoutMs?: number;
  /**
   * Longest the stream may run (default `DEFAULT_STREAM_TIME_LIMIT_MS`, 12
   * hours). At the limit `ctx.signal` aborts and the stream fails, naming
   * itself and the limit, whether or not `collect()` heeds the signal; what it
   * emitted before is kept, as for a stream that throws.
   */
  timeLimitMs?: number;
  /** Where the time limit is set, named in the failure (e.g. `connectors.github.streamTimeoutSeconds`). */
  timeLimitSetting?: string;
}

export interface StreamOutcome {
  /** complete: everything the source holds was received; partial: stored, but a total disagrees or an in-scope item was denied. */
  status: 'complete' | 'partial' | 'failed';
  /** Why the stream failed or is partial. */
  error: string | null;
  requests: number;
  apiTotal: number | null;
  cursorBefore: string | null;
  cursorAfter: string | null;
  range: CollectionRange | null;
  records: number;
  snapshots: number;
  identity: string | null;
  /** Parts of the requested range that could not be collected (beyond the source's retention). */
  gaps: DeclaredGap[];
  /** Items that could not be read (denied, not found), named. */
  itemGaps: ItemGap[];
}

/** Two versions of one record that differ at most in the snapshots they were read from. */
function sameExceptSources(a: EvidenceRecord, b: EvidenceRecord): boolean {
  return canonicalJson({ ...a, sources: [] }) === canonicalJson({ ...b, sources: [] });
}

/**
 * A response as the locker keeps it: no known secret value in the request
 * (URL, body: a token in a query parameter of any name, a GraphQL variable),
 * the kept headers or the URLs in the body (a `next` link echoing the query).
 * Other body text stays as the server sent it: a value the config holds as a
 * secret can be data there (an AWS access key ID in an IAM listing or a
 * CloudTrail event), and a record built from it must match its source. A
 * response whose headers or body lost a secret is not the server's answer
 * any more, so its ETag is dropped: a 304 would hand that copy back to the
 * client, whose next link would then carry `[redacted]`.
 */
function storedWithoutSecrets(facts: SnapshotFacts, body: unknown, scrubber: SecretScrubber): { facts: SnapshotFacts; body: unknown } {
  const stored = { facts: scrubber.withoutKnownSecretsIn(facts), body: scrubber.withoutKnownSecretsIn(body, true) };
  if (stored.body === body && stored.facts.headers === facts.headers) return stored;
  const headers = Object.fromEntries(Object.entries(stored.facts.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'etag'));
  return { facts: { ...stored.facts, headers }, body: stored.body };
}

/** The system the connector names for this config, or an error saying what its `system(config)` did wrong. */
function systemOf<C>(connector: ConnectorDefinition<C>, config: C): string {
  let system: unknown;
  try {
    system = connector.system(config);
  } catch (error) {
    throw new Error(`connector ${connector.id}: system(config) failed: ${describeError(error)}`, { cause: error });
  }
  if (typeof system !== 'string' || system === '') throw new Error(`connector ${connector.id}: system(config) must return the system's name (e.g. acme:example.com), got ${JSON.stringify(system) ?? String(system)}`);
  return system;
}

/** Sleep that ends early (rejecting) when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The range an event stream collects: explicit backfill bounds, else from the cursor minus the overlap window. */
export function collectionRange(
  stream: { overlapMs?: number; initialLookbackDays?: number },
  cursor: string | null,
  now: Date,
  since?: Date,
  until?: Date,
): CollectionRange {
  const end = until ?? now;
  if (since) return { since, until: end };
  const cursorTime = cursor === null ? NaN : Date.parse(cursor);
  if (!Number.isNaN(cursorTime)) return { since: new Date(cursorTime - (stream.overlapMs ?? HOUR_MS)), until: end };
  return { since: new Date(end.getTime() - (stream.initialLookbackDays ?? 90) * DAY_MS), until: end };
}

/**
 * The cursor after a complete collection of `range`: how far the stream's
 * history is now collected without a hole. A range that starts after the
 * cursor (a backfill of a later window) leaves the span between unread, and a
 * range that ends before it (a backfill of an earlier window) adds nothing
 * after it: either way the cursor stays, so the next scheduled run still
 * reads from it. Cursors that are not instants are taken as given.
 */
export function nextCursor(before: string | null, range: CollectionRange | null, proposed: string | null): string | null {
  const [from, to] = [before === null ? NaN : Date.parse(before), proposed === null ? NaN : Date.parse(proposed)];
  if (Number.isNaN(from) || Number.isNaN(to) || !range) return proposed;
  if (range.since !== null && range.since.getTime() > from) return before;
  return to >= from ? proposed : before;
}

/**
 * Split a requested range at the source's retention boundary: the part older
 * than the source keeps becomes a declared gap, the rest is what the
 * connector is asked to collect.
 */
export function clampToRetention(range: CollectionRange, retentionDays: number | undefined, now: Date): { range: CollectionRange; gaps: DeclaredGap[] } {
  if (retentionDays === undefined) return { range, gaps: [] };
  const boundary = new Date(now.getTime() - retentionDays * DAY_MS);
  if (range.since !== null && range.since >= boundary) return { range, gaps: [] };
  const gapEnd = range.until < boundary ? range.until : boundary;
  return {
    range: { since: gapEnd, until: range.until },
    gaps: [{ since: range.since?.toISOString() ?? null, until: gapEnd.toISOString(), reason: `the source keeps ${retentionDays} days of history; events before ${boundary.toISOString()} can no longer be collected` }],
  };
}

/** Streams running now (one at a time in a run; each has its own listener for rejections nobody handles). */
let running = 0;
/** Streams stopped at their time limit whose collect() has not settled, with their logs. */
const abandoned = new Map<string, Logger>();

/** A rejection nobody handles while no stream runs: it can only come from a stream left running at its limit. */
function onAbandonedStray(reason: unknown): void {
  if (running > 0) return; // the running stream's own listener fails it, naming the stopped streams
  for (const [stream, log] of abandoned) {
    log.error('a promise was rejected and never awaited after the stream was stopped at its time limit; ignored, the stream is already recorded as failed', { stream, error: describeError(reason), stoppedStreams: [...abandoned.keys()] });
    return;
  }
}

/** Log later stray rejections of a stream left running at its limit, until its collect() settles. */
function abandon(stream: string, log: Logger, collecting: Promise<unknown>): void {
  if (abandoned.size === 0) process.on('unhandledRejection', onAbandonedStray);
  abandoned.set(stream, log);
  const settled = () => {
    abandoned.delete(stream);
    if (abandoned.size === 0) process.off('unhandledRejection', onAbandonedStray);
  };
  collecting.then(settled, settled);
}

/** Collect one stream into the sink. Never throws for a connector or API failure: the outcome says what happened. */
export async function runStream<C>(options: RunStreamOptions<C>): Promise<StreamOutcome> {
  const definition = options.connector.streams[options.stream];
  if (!definition) throw new Error(`connector ${options.connector.id} has no stream ${options.stream}`);
  const now = options.now ?? (() => new Date());
  const cancel = options.signal ?? new AbortController().signal;
  const streamId = `${options.instance}/${options.stream}`;
  const pending = new PendingWork();
  // At the limit, the connector's later calls to its context are refused: the stream is over for the run.
  const deadline = new StreamDeadline(streamId, options.timeLimitMs ?? DEFAULT_STREAM_TIME_LIMIT_MS, options.timeLimitSetting, (reason) => pending.end(reason.message));
  // What the connector and the SDK's requests see: the run's cancellation or the stream's time limit.
  const signal = AbortSignal.any([cancel, deadline.signal]);
  const scrubber = new SecretScrubber([...secretValuesIn(options.config), ...(options.secrets ?? [])]);
  const log = scrubbingLogger(options.log ?? silentLogger, scrubber);
  const requested = definition.type === 'event' ? collectionRange(definition, options.cursor, now(), options.since, options.until) : null;
  const { range, gaps } = requested ? clampToRetention(requested, definition.retentionDays, now()) : { range: null, gaps: [] };
  if (gaps.length > 0) log.warn('range reaches beyond the source retention; declaring a gap', { stream: streamId, gaps });
  // Set first thing in the try below: a connector's system() that throws fails its streams, not the whole run.
  let system = '';
  const controls = options.controls ?? definition.controls;

  let identity: string | null = null;
  let cursorAfter: string | null = null;
  let snapshots = 0;
  let emits = 0;
  const emitted = new EmittedRecords();
  const completeness = new CompletenessLedger(definition.kind);

  const snapshot: StreamContext<C>['snapshot'] = async (exchange, response) => {
    const { facts: partial, body } = storedWithoutSecrets(exchange, response, scrubber);
    const provenance: Provenance = {
      ...partial,
      collectedAt: now().toISOString(),
      connector: options.connector.id,
      connectorVersion: options.connector.version,
      collectorVersion: options.collectorVersion,
      identity,
    };
    snapshots++;
    return options.sink.putSnapshot(provenance, body);
  };

  const http = createEvidenceFetch({
    fetch: options.fetch ?? globalThis.fetch,
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    maxRequests: options.maxRequests ?? 100_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    signal,
    now,
    sleep: options.sleep ?? abortableSleep,
    random: options.random ?? Math.random,
    snapshot,
    onRetry: (info) => log.warn('retrying request', { stream: streamId, ...info }),
    // Looked up as it was stored: without the secrets in it.
    previous: options.sink.previousSnapshot ? (method, url) => options.sink.previousSnapshot!(method, scrubber.withoutKnownSecrets(url)) : undefined,
  });

  const ctx: StreamContext<C> = {
    config: options.config,
    instance: options.instance,
    stream: options.stream,
    range,
    cursor: options.cursor,
    fetch: http.fetch,
    credentialFetch: http.credentialFetch,
    sourcesOf: http.sourcesOf,
    snapshot,
    resolvePath: (path) => resolve(options.configDir ?? process.cwd(), path),
    previousRecord: async (kind, key) => (options.sink.previousRecord ? options.sink.previousRecord(kind, key) : null),
    storedResponse: async (hash) => (options.sink.storedBody ? options.sink.storedBody(hash) : undefined),
    async emit(input: RecordInput | CustomRecordInput) {
      const number = ++emits;
      // A connector without types can hand anything: said as what emit takes, not a TypeError from reading it.
      if (typeof input !== 'object' || input === null) throw new TypeError(`ctx.emit expects a record ({ key, data, sources }), got ${input === null ? 'null' : typeof input}`);
      let record: EvidenceRecord;
      try {
        // A record's own criteria must be the catalog's, as stream criteria are at config load: an ID that is not
        // one would make a population no criterion reads (or, holding `/` or `..`, a file name out of its folder).
        const unknown = (input.controls ?? []).filter((id) => typeof id !== 'string' || !isCriterionId(id));
        if (unknown.length > 0) throw new RecordValidationError(String(input.kind ?? definition.kind), String(input.key), unknown.map((id) => `controls: ${JSON.stringify(id)} is not a criterion of the catalog (such as CC6.1)`));
        // Populations, checks and coverage place an event in a period by when it happened: one without it would be stored and in none.
        if (definition.type === 'event' && (input.occurredAt === null || input.occurredAt === undefined)) {
          throw new RecordValidationError(String(input.kind ?? definition.kind), String(input.key), ["occurredAt: an event stream's record must say when it happened; without it no period holds it (no population, check or coverage would see it)"]);
        }
        // A record is evidence of what the source said: one naming no snapshot would rest on nothing verify or an auditor can trace.
        if (Array.isArray(input.sources) && input.sources.length === 0) {
          throw new RecordValidationError(String(input.kind ?? definition.kind), String(input.key), ['sources: a record must name the snapshot(s) it was derived from (ctx.fetch responses, sourcesOf, or ctx.snapshot), got none']);
        }
        // A kind belongs to the connector that declares it: another's would be stored or refused depending on
        // whether the config happens to load its owner, and its checks would judge records it never vouched for.
        const kind = String(input.kind ?? definition.kind);
        const owner = recordKindRegistry.ownerOf(kind);
        if (owner !== undefined && owner !== options.connector.id) {
          throw new RecordValidationError(kind, String(input.key), [`kind: ${kind} is declared by connector ${owner}, not ${options.connector.id}: declare a kind of your own in kinds`]);
        }
        record = validateRecord({
          kind: input.kind ?? definition.kind,
          key: input.key,
          system,
          stream: streamId,
          occurredAt: input.occurredAt ?? null,
          data: input.data,
          sources: input.sources,
          controls: [...controls, ...(input.controls ?? [])],
        });
      } catch (error) {
        if (!(error instanceof RecordValidationError)) throw error;
        // One bad item must not cost the stream its other records: it is named as an item gap (the stream is
        // partial, its cursor kept) and the connector goes on.
        log.warn('record does not match its kind; not stored', { stream: streamId, key: error.key, issues: error.issues.join('; ') });
        // Records without a key are items of their own: named alike, a thousand of them would be one gap.
        const keyed = typeof input.key === 'string' && input.key !== '';
        const item = keyed ? `record ${error.kind} ${JSON.stringify(error.key)}` : `record ${error.kind} without a key (emit number ${number})`;
        completeness.itemGap({ item, reason: `does not match its kind: ${error.issues.join('; ')}`, inScope: true });
        return;
      }
      // An item unchanged since it was stored is the stored record again (sources included), so a re-run
      // adds no row; this run's snapshot entries still prove what it read.
      const stored = options.sink.previousRecord ? await options.sink.previousRecord(record.kind, record.key) : null;
      if (stored && sameExceptSources(stored, record)) record = stored;
      // Compared without its sources: the same item read from two responses (a page served again) is one version.
      const seen = emitted.note(record.kind, record.key, hashRecord({ ...record, sources: [] }));
      if (seen === 'same') return;
      if (seen === 'changed') {
        log.warn('record emitted twice with different content; both versions are kept', { stream: streamId, key: record.key });
        // An inventory holds one version of each item: two are no state of the source at any one time.
        if (definition.type === 'state') {
          completeness.itemGap({ item: `record ${record.kind} ${JSON.stringify(record.key)}`, reason: 'emitted twice in this run with different content (did it change while the list was read?); both versions are stored', inScope: true });
        }
      }
      await options.sink.putRecord(record);
    },
    setCursor(cursor) {
      // Checked here, in the stream: a cursor the locker cannot store would otherwise end the whole run when the stream is finished.
      if (typeof cursor !== 'string' || cursor === '') {
        throw new TypeError(`ctx.setCursor expects the cursor as a string (an ISO 8601 time for a time cursor), got ${cursor === '' ? 'an empty string' : cursor === null ? 'null' : `an ${typeof cursor}`}`);
      }
      cursorAfter = cursor;
    },
    reportTotal(total, totalOptions) {
      completeness.reportTotal(total, totalOptions);
    },
    itemGap(gap) {
      completeness.itemGap(gap);
    },
    setIdentity(value) {
      identity = value;
    },
    sleep: (ms) => (options.sleep ?? abortableSleep)(ms, signal),
    now,
    signal,
    log,
  };

  const base = { requests: 0, cursorBefore: options.cursor, range, snapshots: 0, gaps };
  // An item a later page served again with other content: the connector got the version first read.
  const onListChange = (change: ListChange) => {
    log.warn('an item was served again with other content while its list was read; the version first read is kept', { stream: streamId, list: change.what, key: change.key });
    // An inventory must hold what the source holds: one it no longer does is not complete. (An event stream's
    // overlap or re-collection reads the item again.)
    if (definition.type === 'state') {
      completeness.itemGap({ item: `${change.what}: item ${JSON.stringify(change.key)}`, reason: 'a later page served it again with other content (it changed while the list was read); the version first read is the one collected', inScope: true });
    }
  };
  // A promise the connector's code rejected and never awaited ends the process when nothing handles it, and
  // with it the whole run: every stream's evidence so far. While this stream runs, such a rejection fails it.
  // (Streams run one after another; one rejected while two ran at once would fail both, never neither.)
  const strays: unknown[] = [];
  const onStray = (reason: unknown) => void strays.push(reason);
  process.on('unhandledRejection', onStray);
  running++;
  try {
    system = systemOf(options.connector, options.config);
    if (range && range.since !== null && range.since > range.until) {
      // `collect --until` alone, before the cursor: nothing can be read backwards, and an empty read must not say complete.
      // Without either, the cursor is later than now: the clock was ahead when a run recorded it, or is behind now.
      if (!options.since && !options.until) {
        throw new Error(
          `the stream's cursor ${String(options.cursor)} is later than now (${range.until.toISOString()}): the clock was ahead when a run recorded it, or is behind now. Nothing is read until the clock passes the cursor; set the clock right, and collect with --since from the time the ahead run really ran, since events after that time and before the cursor were not read`,
        );
      }
      throw new Error(`the range to collect ends before it starts (from ${range.since.toISOString()} to ${range.until.toISOString()}): without --since a backfill starts at the stream's cursor, so one before the cursor names its start too`);
    }
    // Raced against the time limit: a collect() that never settles, heeding the signal or not, is not waited for past it.
    const collecting = (async () => {
      await pagingScope({ signal, onChange: onListChange }, () => definition.collect(trackedContext(ctx, pending)));
      return pending.settle();
    })();
    // Left behind at the limit, its later failure is no one's to handle.
    collecting.catch(() => {});
    // Stopped at the limit while still running: until its collect() settles (if ever), what its code rejects
    // unawaited is logged against it rather than ending the process (between streams) or passing unnamed.
    deadline.reached.catch(() => abandon(streamId, log, collecting));
    const stray = await Promise.race([collecting, deadline.reached]);
    if (stray > 0) {
      throw new Error(
        `collect() returned while ${stray} of its calls to ctx.emit, ctx.fetch or ctx.snapshot were still running, so its records would have come after the stream ended: await each call (an async callback passed to forEach is never awaited)`,
      );
    }
    // Node reports a rejection left unhandled once the microtasks run out: one turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    if (strays.length > 0) {
      // One stream runs at a time, but a stream stopped at its limit may still run: the rejection may be its.
      const stopped = abandoned.size > 0 ? `; streams stopped at their time limit and still running may have rejected it instead: ${[...abandoned.keys()].join(', ')}` : '';
      throw new Error(`a promise of the stream was rejected and never awaited (${strays.map(describeError).join('; ')})${stopped}`);
    }
    const shortfall = completeness.shortfall(emitted.identities());
    if (shortfall) log.warn('stream is partial', { stream: streamId, reason: shortfall });
    return {
      ...base,
      status: shortfall ? 'partial' : 'complete',
      error: shortfall === null ? null : scrubber.scrub(shortfall),
      requests: http.requests(),
      apiTotal: completeness.apiTotal(),
      // A partial event stream keeps its cursor, so the next run reads the range again.
      cursorAfter: shortfall ? null : nextCursor(options.cursor, range, cursorAfter ?? (range ? range.until.toISOString() : null)),
      records: emitted.size,
      snapshots,
      identity,
      itemGaps: scrubber.scrubValue(completeness.itemGaps()),
    };
  } catch (error) {
    // Calls still running when collect() threw (the rest of a Promise.all) end before the stream does; at the
    // time limit they were aborted or are refused from now on. (A limit reached while they settle is not why it failed.)
    const stopped = deadline.expired;
    await pending.settle();
    if (cancel.aborted) throw cancel.reason instanceof Error ? cancel.reason : error;
    const reason = scrubber.scrub(describeError(stopped ? deadline.signal.reason : error));
    log.error('stream failed', { stream: streamId, error: reason });
    return {
      ...base,
      status: 'failed',
      error: reason,
      requests: http.requests(),
      apiTotal: completeness.apiTotal(),
      cursorAfter: null,
      records: emitted.size,
      snapshots,
      identity,
      itemGaps: scrubber.scrubValue(completeness.itemGaps()),
    };
  } finally {
    running--;
    deadline.clear();
    process.off('unhandledRejection', onStray);
    pending.end(`stream ${streamId} has ended: a call to its context after collect() returned is not part of it (await every ctx.emit and ctx.fetch)`);
  }
}
