/**
 * One collection run: every selected stream of every configured connector,
 * in one locker run that commits atomically. A stream that fails is recorded
 * as failed (its cursor stays put) and the others go on; cancellation (SIGINT,
 * SIGTERM) rolls the run back, and the locker declares it interrupted.
 */
import { dirname } from 'node:path';
import type { Locker, Manifest } from '@evidentia/locker';
import { collectionRange, runStream, type Logger, type StreamOutcome } from '@evidentia/sdk';
import { COLLECTOR_VERSION } from '@evidentia/evidence';
import { explainBusyLocker } from './busy-locker.js';
import { knownSecrets } from './config/known-secrets.js';
import type { LoadedConfig } from './config/load.js';
import { createWitnesses, publishCheckpoint, type Witnessed } from './witness/index.js';

export interface StreamProgress {
  stream: string;
  index: number;
  total: number;
  outcome?: StreamOutcome;
}

export interface CollectOptions {
  config: LoadedConfig;
  locker: Locker;
  /** Only these connector instances / streams (names), when given. */
  connectors?: string[];
  streams?: string[];
  /** Only these `<instance>/<stream>` (the daemon's selection: stream names repeat across connectors). */
  only?: string[];
  /** Further parameters to record in the run (e.g. the daemon's missed interval). */
  parameters?: Record<string, unknown>;
  since?: Date;
  until?: Date;
  trigger: string;
  signal?: AbortSignal;
  log?: Logger;
  onStreamStart?: (progress: StreamProgress) => void;
  onStreamEnd?: (progress: StreamProgress) => void;
  /** Test seams: the HTTP transport, clock and sleep. */
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface CollectResult {
  manifest: Manifest;
  outcomes: Array<{ stream: string; outcome: StreamOutcome }>;
  /** The sealed run's checkpoint and the witnesses that did not take it (warnings, never a failed run). */
  witnessed: Witnessed;
}

function selectedStreams(options: CollectOptions) {
  const pairs = options.config.instances
    .filter((instance) => !options.connectors || options.connectors.includes(instance.id))
    .flatMap((instance) => instance.streams.map((stream) => ({ instance, stream })))
    .filter(({ stream }) => !options.streams || options.streams.includes(stream.name))
    .filter(({ instance, stream }) => !options.only || options.only.includes(`${instance.id}/${stream.name}`));
  return pairs;
}

/** Run a collection and commit it to the locker. */
export async function collect(options: CollectOptions): Promise<CollectResult> {
  const work = selectedStreams(options);
  const writer = await options.locker
    .beginRun({
      trigger: options.trigger,
      collectorVersion: COLLECTOR_VERSION,
      parameters: {
        connectors: options.connectors ?? null,
        streams: options.streams ?? null,
        since: options.since?.toISOString() ?? null,
        until: options.until?.toISOString() ?? null,
        ...(options.only ? { only: options.only } : {}),
        ...options.parameters,
      },
    })
    .catch((error: unknown) => {
      throw explainBusyLocker(options.locker.dir, error);
    });
  const outcomes: CollectResult['outcomes'] = [];
  let manifest: Manifest;
  try {
    for (const [index, { instance, stream }] of work.entries()) {
      const id = `${instance.id}/${stream.name}`;
      options.onStreamStart?.({ stream: id, index, total: work.length });
      const cursor = await options.locker.cursor(instance.id, stream.name);
      // The range is fixed here so the locker records exactly what the stream was asked to collect.
      const range = stream.definition.type === 'event' ? collectionRange(stream.definition, cursor, (options.now ?? (() => new Date()))(), options.since, options.until) : null;
      const sink = await writer.beginStream({
        instance: instance.id,
        connector: instance.definition.id,
        connectorVersion: instance.definition.version,
        stream: stream.name,
        type: stream.definition.type,
        cursorBefore: cursor,
        rangeSince: range?.since?.toISOString() ?? null,
        rangeUntil: range?.until.toISOString() ?? null,
      });
      const outcome = await runStream({
        connector: instance.definition,
        instance: instance.id,
        config: instance.config,
        stream: stream.name,
        sink,
        cursor,
        since: range?.since ?? undefined,
        until: range?.until,
        controls: stream.controls,
        collectorVersion: COLLECTOR_VERSION,
        configDir: dirname(options.config.file),
        fetch: options.fetch,
        now: options.now,
        sleep: options.sleep,
        signal: options.signal,
        log: options.log,
        maxRequests: instance.requestBudget,
        timeLimitMs: instance.streamTimeoutMs,
        timeLimitSetting: `connectors.${instance.id}.streamTimeoutSeconds`,
        requestTimeoutMs: options.config.requestTimeoutMs,
        // Every secret of the configuration, not only this connector's: an error may echo another's.
        secrets: knownSecrets(),
      });
      await sink.finish({
        status: outcome.status,
        error: outcome.error,
        requests: outcome.requests,
        apiTotal: outcome.apiTotal,
        cursorAfter: outcome.status === 'complete' ? outcome.cursorAfter : null,
        gaps: outcome.gaps,
        itemGaps: outcome.itemGaps,
      });
      outcomes.push({ stream: id, outcome });
      options.onStreamEnd?.({ stream: id, index, total: work.length, outcome });
    }
    manifest = await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  // After the commit: the checkpoint names the sealed manifest, and a witness that fails cannot undo the run.
  const witnessed = await publishCheckpoint(options.locker, createWitnesses(options.config, options.log), (options.now ?? (() => new Date()))());
  return { manifest, outcomes, witnessed };
}
