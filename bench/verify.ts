/**
 * Verify throughput: `verify` over a large synthetic locker (one inventory
 * run of EVIDENTIA_BENCH_VERIFY_RECORDS records, a million by default, with
 * one snapshot page of raw accounts per 1,000), beside its lower bound
 * measured in the same run over the same bytes: node:crypto SHA-256 of the
 * record JSON as stored and of every object's content, both as one stream
 * (what the hash function does at full speed) and one digest per record and
 * object (what verify cannot avoid doing), and that plus the record set's
 * RFC 6962 Merkle root (what the locker's format has verify recompute too:
 * the floor of any verifier of this format). Only the hashing is timed for
 * the bounds; reading those bytes back is not.
 *
 * Run alone: EVIDENTIA_BENCH_VERIFY_RECORDS=100000 pnpm bench verify
 */
import { createHash, hash as digest } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openLocker, type VerifyThroughput } from '@evidentia/locker';
import { packedLeaves, rootOfPacked, sha256Buffer } from '../packages/locker/src/merkle.js';
import { ObjectStore } from '../packages/locker/src/objects.js';
import type { BenchSection } from './section.js';
import { PAGE, writeSyntheticLocker } from './synthetic-locker.js';
import { syntheticAccount } from './synthetic-account.js';

// A smaller count makes a quicker trial run; BENCHMARKS.md figures use the default.
const RECORDS = Number(process.env.EVIDENTIA_BENCH_VERIFY_RECORDS ?? 1_000_000);
const RUN_AT = '2026-03-15T02:00:00.000Z';
const BATCH = 10_000;

/** A page as the API returns it: its 1,000 accounts. */
const pageBody = (first: number) => ({ members: Array.from({ length: Math.min(PAGE, RECORDS - first) }, (_, i) => syntheticAccount(first + i, 'api').data) });

interface Bound {
  bytes: number;
  /** Seconds of SHA-256 over all the bytes as one stream. */
  streamSeconds: number;
  /** Seconds of one SHA-256 digest per record and per object. */
  itemSeconds: number;
  /** Seconds of the record set's RFC 6962 Merkle root (2n − 1 digests of 33 or 65 bytes), which verify recomputes too. */
  merkleSeconds: number;
}

/** Time SHA-256 over a batch of items, both ways, adding to the bound. */
function hashBatch(items: (string | Buffer)[], stream: ReturnType<typeof createHash>, bound: Bound): void {
  let started = performance.now();
  for (const item of items) stream.update(item);
  bound.streamSeconds += (performance.now() - started) / 1000;
  started = performance.now();
  for (const item of items) digest('sha256', item);
  bound.itemSeconds += (performance.now() - started) / 1000;
  for (const item of items) bound.bytes += Buffer.byteLength(item);
}

/** SHA-256 of the bytes verify hashes, read back batch by batch (the reading is not timed). */
function sha256Bound(dir: string): Bound {
  const bound: Bound = { bytes: 0, streamSeconds: 0, itemSeconds: 0, merkleSeconds: 0 };
  const stream = createHash('sha256');
  const db = new Database(join(dir, 'locker.db'), { readonly: true });
  const rows = db.prepare('SELECT rowid, json FROM records WHERE rowid > ? ORDER BY rowid LIMIT ?').raw();
  for (let batch = rows.all(0, BATCH) as [number, string][]; batch.length > 0; batch = rows.all(batch.at(-1)![0], BATCH) as [number, string][]) {
    hashBatch(batch.map(([, json]) => json), stream, bound);
  }
  // The locker's one record set holds every record: its leaves are their hashes in order.
  const leaves = packedLeaves(db.prepare('SELECT hash FROM records ORDER BY hash').pluck().all() as string[]);
  db.close();
  if (leaves === null) throw new Error('the benchmark locker holds a record hash that is not 64 hex digits');
  const started = performance.now();
  rootOfPacked(leaves, sha256Buffer);
  bound.merkleSeconds = (performance.now() - started) / 1000;
  const objects = new ObjectStore(join(dir, 'objects'));
  const contents: Buffer[] = [];
  for (const file of objects.files()) {
    const loaded = file.hash === null ? null : objects.load(file.hash);
    if (loaded?.state === 'ok') contents.push(loaded.bytes);
    if (contents.length === 100) hashBatch(contents.splice(0), stream, bound);
  }
  hashBatch(contents, stream, bound);
  stream.digest();
  return bound;
}

export async function benchVerify(): Promise<BenchSection> {
  const root = await mkdtemp(join(tmpdir(), 'evidentia-bench-verify-'));
  const dir = join(root, 'locker');
  try {
    const ingestSeconds = await writeSyntheticLocker(dir, RECORDS, { runAt: RUN_AT, pageBody });
    const locker = await openLocker(dir);
    // CPU time of every thread of the process: on a shared machine it tells verify's own work from waiting for a core.
    const cpuBefore = process.cpuUsage();
    const report = await locker.verify();
    const cpu = process.cpuUsage(cpuBefore);
    await locker.close();
    if (!report.ok) throw new Error(`the benchmark locker failed verification: ${report.problems[0]?.message}`);
    const bound = sha256Bound(dir);
    return { title: 'Verify throughput', markdown: render(report.throughput, (cpu.user + cpu.system) / 1e6, report.counts, bound, ingestSeconds) };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function render(throughput: VerifyThroughput, cpuSeconds: number, counts: { records: number; objects: number }, bound: Bound, ingestSeconds: number): string {
  const mb = (bytesPerSecond: number) => `${(bytesPerSecond / 1e6).toFixed(0)} MB/s`;
  const streamRate = bound.bytes / bound.streamSeconds;
  const itemRate = bound.bytes / bound.itemSeconds;
  const formatRate = bound.bytes / (bound.itemSeconds + bound.merkleSeconds);
  const percent = (rate: number) => `${((throughput.bytesPerSecond / rate) * 100).toFixed(0)} %`;
  const trial = RECORDS === 1_000_000 ? '' : ` A trial at EVIDENTIA_BENCH_VERIFY_RECORDS=${RECORDS} (the default is 1,000,000).`;
  return [
    `\`verify\` over a locker of ${counts.records.toLocaleString('en')} access.account records and ${counts.objects.toLocaleString('en')} objects (snapshot pages of 1,000 raw accounts, the record set in rows, the signed manifest), written through the writer API in ${ingestSeconds.toFixed(1)} s. It hashed ${(throughput.bytes / 1e6).toFixed(0)} MB (record JSON as stored, object contents) and checked everything else verify checks. The bound is node:crypto SHA-256 over the same ${(bound.bytes / 1e6).toFixed(0)} MB, measured in the same run.${trial}`,
    '',
    '| measure | result | verify ÷ bound |',
    '| --- | --- | --- |',
    `| verify | ${throughput.seconds.toFixed(2)} s: **${mb(throughput.bytesPerSecond)}**, ${throughput.recordsPerSecond.toLocaleString('en')} records/s (CPU ${cpuSeconds.toFixed(2)} s, all threads) | |`,
    `| SHA-256, one digest per record and object | ${bound.itemSeconds.toFixed(2)} s: ${mb(itemRate)} | ${percent(itemRate)} |`,
    `| SHA-256, all bytes as one stream | ${bound.streamSeconds.toFixed(2)} s: ${mb(streamRate)} | ${percent(streamRate)} |`,
    `| SHA-256 the locker's format itself requires: one digest per record and object, plus the record set's RFC 6962 Merkle root (${(2 * counts.records - 1).toLocaleString('en')} digests of 33 or 65 bytes), one thread | ${(bound.itemSeconds + bound.merkleSeconds).toFixed(2)} s (Merkle root ${bound.merkleSeconds.toFixed(2)} s): ${mb(formatRate)} | ${percent(formatRate)} |`,
  ].join('\n');
}
