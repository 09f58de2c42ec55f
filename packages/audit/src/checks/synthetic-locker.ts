/**
 * A real locker in a temporary directory, filled with synthetic evidence
 * through the locker's own writer API at chosen times: the test bed for
 * checks, populations, reports and bundles (no mock of the locker). Each
 * stream of a run gets one snapshot whose body lists the records' keys, and
 * every record rests on it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultControlsForKind } from '@evidentia/catalog';
import type { EvidenceRecord, KindName } from '@evidentia/evidence';
import { initLocker, openLocker, type Locker, type Manifest, type StreamStatus } from '@evidentia/locker';

export interface SyntheticRecord {
  kind: KindName;
  key: string;
  system: string;
  occurredAt?: string | null;
  data: Record<string, unknown>;
  controls?: string[];
  /** Sources besides the stream's snapshot of this run (a response an earlier run read, by its body hash). */
  sources?: string[];
}

export interface SyntheticStream {
  /** `<instance>/<stream>` */
  stream: string;
  type: 'state' | 'event';
  records: SyntheticRecord[];
  status?: StreamStatus;
  /** Provenance of the stream's one snapshot (defaults to a GET of a made-up URL). */
  request?: { method: string; url: string; requestBody: unknown };
  apiTotal?: number | null;
  /** Event streams: the run's collection range (default none). */
  range?: { since: string; until: string };
}

export interface SyntheticLocker {
  dir: string;
  locker: Locker;
  /** Commit one run at time `at` with the given streams. */
  run(at: string, streams: SyntheticStream[]): Promise<Manifest>;
  cleanup(): Promise<void>;
}

export async function createSyntheticLocker(): Promise<SyntheticLocker> {
  const root = await mkdtemp(join(tmpdir(), 'evidentia-synthetic-'));
  const dir = join(root, 'locker');
  await initLocker(dir);
  let time = new Date('2026-01-01T00:00:00Z');
  // Every time the locker writes during a run is the run's time, so tests can name inventory times exactly.
  const locker = await openLocker(dir, { now: () => time });
  return {
    dir,
    locker,
    async run(at, streams) {
      time = new Date(at);
      const run = await locker.beginRun({ trigger: 'synthetic', collectorVersion: 'test', parameters: {} });
      for (const spec of streams) {
        const [instance = 'synthetic', name = 'stream'] = spec.stream.split('/');
        const writer = await run.beginStream({ instance, connector: instance, connectorVersion: '1.0.0', stream: name, type: spec.type, cursorBefore: null, rangeSince: spec.range?.since ?? null, rangeUntil: spec.range?.until ?? null });
        const request = spec.request ?? { method: 'GET', url: `https://api.example.invalid/${spec.stream}`, requestBody: null };
        const body = await writer.putSnapshot(
          { ...request, status: 200, headers: {}, collectedAt: time.toISOString(), connector: instance, connectorVersion: '1.0.0', collectorVersion: 'test', identity: 'synthetic-bot' },
          spec.records.map((record) => record.key),
        );
        for (const record of spec.records) {
          const full: EvidenceRecord = {
            kind: record.kind,
            key: record.key,
            system: record.system,
            stream: spec.stream,
            occurredAt: record.occurredAt ?? null,
            data: record.data,
            sources: [body, ...(record.sources ?? [])],
            controls: record.controls ?? [...defaultControlsForKind(record.kind)],
          };
          await writer.putRecord(full);
        }
        const status = spec.status ?? 'complete';
        await writer.finish({ status, error: status === 'failed' ? 'synthetic failure' : null, requests: 1, apiTotal: spec.apiTotal ?? spec.records.length, cursorAfter: null });
      }
      return run.commit();
    },
    async cleanup() {
      await locker.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
