/**
 * The connector test harness: one call runs a connector stream for real
 * (the SDK's runStream, the connector's own API client) against the replay
 * server, with a fixed clock and a sleep that returns at once but remembers
 * what it was asked to wait, so retry and rate-limit behaviour is tested
 * without slowing the suite down.
 */
import type { EvidenceRecord } from '@evidentia/evidence';
import { type ConnectorDefinition, type Logger, MemorySink, type RetryPolicy, runStream, type StoredSnapshot, type StreamOutcome } from '@evidentia/sdk';
import { type CassetteInput, type ReplayedRequest, startReplayServer } from '@evidentia/cassettes';

/** The clock a fixture run sees unless told otherwise. */
export const FIXTURE_NOW = new Date('2026-07-01T00:00:00Z');

/** The collector version written into fixture-run provenance. */
export const FIXTURE_COLLECTOR_VERSION = '0.0.0-test';

export interface ConnectorFixtureOptions<C> {
  connector: ConnectorDefinition<C>;
  stream: string;
  /** Cassettes (parsed or file paths) whose interactions answer, as one queue in this order. */
  cassettes: ReadonlyArray<CassetteInput | string>;
  /** Build the connector's config pointing at the replay server (`http://127.0.0.1:PORT`). */
  config: (baseUrl: string) => C;
  /** Connector instance id; defaults to the connector's id. */
  instance?: string;
  /** Cursor left by a previous clean run. */
  cursor?: string | null;
  since?: Date;
  until?: Date;
  /** The clock: a fixed time or a function; defaults to FIXTURE_NOW. */
  now?: Date | (() => Date);
  /** Fail when a request matched nothing or an interaction was not used (default true). */
  strict?: boolean;
  maxRequests?: number;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  controls?: string[];
  log?: Logger;
  /**
   * An earlier run of the stream (the result of a previous call): this run
   * sees its records and responses as a locker's later run would
   * (`ctx.previousRecord`, `ctx.storedResponse`, an unchanged item stored again
   * as the earlier record).
   */
  previous?: Pick<ConnectorFixtureResult, 'records' | 'snapshots'>;
}

export interface ConnectorFixtureResult {
  outcome: StreamOutcome;
  records: EvidenceRecord[];
  snapshots: StoredSnapshot[];
  /** Every wait the SDK asked for, in milliseconds (none actually happened). */
  sleeps: number[];
  requests: ReplayedRequest[];
}

/**
 * Run one stream of a connector against cassettes. A failing stream is
 * returned in `outcome` (assert on it); but in strict mode a run whose
 * requests did not match the cassettes throws, listing the unexpected
 * requests and unused interactions (and the stream's error, if it failed).
 */
export async function runConnectorFixture<C>(options: ConnectorFixtureOptions<C>): Promise<ConnectorFixtureResult> {
  const server = await startReplayServer(options.cassettes);
  const sink = new MemorySink(options.previous);
  const sleeps: number[] = [];
  const clock = options.now ?? FIXTURE_NOW;
  let outcome: StreamOutcome;
  try {
    outcome = await runStream({
      connector: options.connector,
      instance: options.instance ?? options.connector.id,
      config: options.config(server.baseUrl),
      stream: options.stream,
      sink,
      cursor: options.cursor ?? null,
      since: options.since,
      until: options.until,
      controls: options.controls,
      collectorVersion: FIXTURE_COLLECTOR_VERSION,
      now: typeof clock === 'function' ? clock : () => new Date(clock),
      sleep: (ms, signal) => {
        sleeps.push(ms);
        signal.throwIfAborted();
        return Promise.resolve();
      },
      random: () => 0.5,
      log: options.log,
      retry: options.retry,
      maxRequests: options.maxRequests,
      requestTimeoutMs: options.requestTimeoutMs,
    });
  } finally {
    await server.close();
  }
  if (options.strict ?? true) {
    try {
      server.assertDone();
    } catch (error) {
      const failure = outcome.status === 'failed' ? `\nthe stream failed: ${outcome.error}` : '';
      throw new Error(`${error instanceof Error ? error.message : String(error)}${failure}`, { cause: error });
    }
  }
  return { outcome, records: [...sink.records], snapshots: [...sink.snapshots], sleeps, requests: [...server.requests] };
}
