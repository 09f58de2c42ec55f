/**
 * Locker.periodKinds (the portal's list of kinds for a period) against a
 * naive reading of the same records: random runs of state and event streams
 * with records of random kinds (some streams failed or partial, some runs
 * thrown away), then random periods. The SQL answer must equal the kinds of
 * the inventories in effect (per state stream, the last complete run at or
 * before the start, then every one inside) and of the event items whose
 * newest version happened inside the period.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { recordKindRegistry, type EvidenceRecord } from '@evidentia/evidence';
import { seededRandom } from '@evidentia/testing';
import { beginTestRun, createTestLocker, provenance, type TestLocker } from './test-locker.js';
import type { StreamStart, StreamStatus } from './types.js';

const KINDS = ['acme.alpha', 'acme.beta', 'acme.gamma', 'acme.delta', 'acme.omega'] as const;
for (const kind of KINDS) recordKindRegistry.declare(kind, z.object({ n: z.number() }), 'evidence-kinds-test');

const STREAMS: StreamStart[] = [
  { instance: 'acme', connector: 'acme', connectorVersion: '1.0.0', stream: 'devices', type: 'state', cursorBefore: null, rangeSince: null, rangeUntil: null },
  { instance: 'acme', connector: 'acme', connectorVersion: '1.0.0', stream: 'users', type: 'state', cursorBefore: null, rangeSince: null, rangeUntil: null },
  { instance: 'acme', connector: 'acme', connectorVersion: '1.0.0', stream: 'changes', type: 'event', cursorBefore: null, rangeSince: null, rangeUntil: null },
  { instance: 'acme', connector: 'acme', connectorVersion: '1.0.0', stream: 'alerts', type: 'event', cursorBefore: null, rangeSince: null, rangeUntil: null },
];
const START = Date.parse('2025-03-01T09:00:00.000Z');
const HOUR = 3_600_000;

/** A stream run of a committed run, as written. */
interface Written {
  sequence: number;
  startedAt: number;
  stream: StreamStart;
  status: StreamStatus;
  records: EvidenceRecord[];
}

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

/** Random runs into a fresh locker; returns the stream runs of the committed ones. */
async function randomLocker(random: () => number): Promise<Written[]> {
  test = await createTestLocker(new Date(START).toISOString());
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const written: Written[] = [];
  const runs = 3 + Math.floor(random() * 5);
  for (let index = 0; index < runs; index++) {
    test.clock.advance(Math.floor(random() * 40) * HOUR);
    const run = await beginTestRun(test.locker);
    const streams: Written[] = [];
    for (const stream of STREAMS.filter(() => random() < 0.7)) {
      const writer = await run.beginStream(stream);
      const id = `${stream.instance}/${stream.stream}`;
      // One body per stream: a record written again unchanged is the same stored record (one hash, one row).
      const body = await writer.putSnapshot(provenance(`https://api.acme.example/${stream.stream}`), { page: 1 });
      const keys = ['k0', 'k1', 'k2', 'k3'].filter(() => random() < 0.5);
      const records = keys.map((key) => ({
        kind: pick(KINDS),
        key: `${stream.stream}-${key}`,
        system: pick(['acme:prod', 'acme:dev']),
        stream: id,
        occurredAt: stream.type === 'event' ? new Date(START + Math.floor((random() * 12 - 3) * 24) * HOUR).toISOString() : null,
        data: { n: Math.floor(random() * 2) },
        sources: [body],
        controls: random() < 0.8 ? ['CC6.1'] : [],
      }));
      for (const record of records) await writer.putRecord(record);
      const status = random() < 0.7 ? 'complete' : pick(['partial', 'failed'] as const);
      await writer.finish({ status, error: status === 'complete' ? null : 'stopped', requests: 1, apiTotal: null, cursorAfter: null });
      streams.push({ sequence: 0, startedAt: 0, stream, status, records });
    }
    if (random() < 0.15) {
      await run.abort();
      continue;
    }
    const manifest = await run.commit();
    for (const [position, stream] of streams.entries()) written.push({ ...stream, sequence: manifest.sequence, startedAt: Date.parse(manifest.streams[position]!.startedAt) });
  }
  return written;
}

/** The kinds of the period read straight off what was written. */
function naiveKinds(written: Written[], since: number, until: number): string[] {
  const kinds = new Set<string>();
  for (const stream of STREAMS.filter((candidate) => candidate.type === 'state')) {
    const complete = written.filter((run) => run.stream === stream && run.status === 'complete' && run.startedAt < until);
    const before = complete.filter((run) => run.startedAt <= since).sort((a, b) => b.sequence - a.sequence)[0];
    for (const run of [...(before ? [before] : []), ...complete.filter((candidate) => candidate.startedAt > since)]) for (const record of run.records) kinds.add(record.kind);
  }
  // An event item (kind, system, key) is its version in the last run that collected it, whatever that run's status.
  const newest = new Map<string, { sequence: number; record: EvidenceRecord }>();
  for (const run of written.filter((candidate) => candidate.stream.type === 'event')) {
    for (const record of run.records) {
      const item = JSON.stringify([record.kind, record.system, record.key]);
      if ((newest.get(item)?.sequence ?? 0) < run.sequence) newest.set(item, { sequence: run.sequence, record });
    }
  }
  for (const { record } of newest.values()) {
    const at = Date.parse(record.occurredAt!);
    if (at >= since && at < until) kinds.add(record.kind);
  }
  return [...kinds].sort();
}

describe('Locker.periodKinds', () => {
  it('equals the kinds read naively off the same records, over random runs and periods', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const random = seededRandom(seed);
      const written = await randomLocker(random);
      let nonEmpty = 0;
      for (let trial = 0; trial < 12; trial++) {
        const since = START + Math.floor((random() * 14 - 4) * 24) * HOUR;
        const until = since + Math.floor(random() * 6 * 24) * HOUR;
        const expected = naiveKinds(written, since, until);
        if (expected.length > 0) nonEmpty += 1;
        expect({ seed, trial, kinds: await test!.locker.periodKinds({ since: new Date(since), until: new Date(until) }) }).toEqual({ seed, trial, kinds: expected });
      }
      // The periods must find kinds, or the property says little.
      expect({ seed, nonEmpty: nonEmpty > 0 }).toEqual({ seed, nonEmpty: true });
      await test!.cleanup();
      test = undefined;
    }
  }, 120_000);
});
