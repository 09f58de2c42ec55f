/**
 * Locker ingest benchmark: how many records per second one run can write and
 * commit (validation, hashing, SQLite rows, the record-set row, the signed
 * manifest), how fast `verify` re-derives them, and what an unchanged re-run
 * costs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initLocker, openLocker } from '@evidentia/locker';
import { syntheticAccount } from './synthetic-account.js';

export interface IngestResult {
  records: number;
  ingestSeconds: number;
  recordsPerSecond: number;
  unchangedRerunSeconds: number;
  verifySeconds: number;
  lockerMiB: number;
}


async function oneRun(dir: string, count: number): Promise<number> {
  const locker = await openLocker(dir);
  const started = performance.now();
  const run = await locker.beginRun({ trigger: 'bench', collectorVersion: 'bench', parameters: {} });
  const stream = await run.beginStream({
    instance: 'bench',
    connector: 'bench',
    connectorVersion: '0',
    stream: 'members',
    type: 'state',
    cursorBefore: null,
    rangeSince: null,
    rangeUntil: null,
  });
  const page = await stream.putSnapshot(
    { method: 'GET', url: 'https://bench.invalid/members', requestBody: null, status: 200, headers: {}, collectedAt: new Date().toISOString(), connector: 'bench', connectorVersion: '0', collectorVersion: 'bench', identity: 'bench' },
    { members: count },
  );
  for (let index = 0; index < count; index++) await stream.putRecord(syntheticAccount(index, page));
  await stream.finish({ status: 'complete', error: null, requests: 1, apiTotal: count, cursorAfter: null });
  await run.commit();
  const seconds = (performance.now() - started) / 1000;
  await locker.close();
  return seconds;
}

export async function benchLockerIngest(count: number): Promise<IngestResult> {
  const dir = join(await mkdtemp(join(tmpdir(), 'evidentia-bench-')), 'locker');
  await initLocker(dir);
  try {
    const ingestSeconds = await oneRun(dir, count);
    const unchangedRerunSeconds = await oneRun(dir, count);
    const locker = await openLocker(dir);
    const verifyStarted = performance.now();
    const report = await locker.verify();
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    await locker.close();
    if (!report.ok) throw new Error(`benchmark locker failed verification: ${report.problems[0]?.message}`);
    const { execFileSync } = await import('node:child_process');
    const lockerMiB = Number(execFileSync('du', ['-sk', dir]).toString().split('\t')[0]) / 1024;
    return { records: count, ingestSeconds, recordsPerSecond: Math.round(count / ingestSeconds), unchangedRerunSeconds, verifySeconds, lockerMiB: Math.round(lockerMiB * 10) / 10 };
  } finally {
    await rm(join(dir, '..'), { recursive: true, force: true });
  }
}
