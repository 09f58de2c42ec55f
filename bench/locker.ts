/** The locker section of BENCHMARKS.md: ingest rate, unchanged re-run, verify time, size on disk. */
import { benchLockerIngest } from './locker-ingest.js';
import type { BenchSection } from './section.js';

const RECORDS = 100_000;

export async function benchLocker(): Promise<BenchSection> {
  const result = await benchLockerIngest(RECORDS);
  const seconds = (value: number) => `${value.toFixed(2)} s`;
  return {
    title: 'Evidence locker ingest',
    markdown: [
      `One run of a state stream with ${RECORDS.toLocaleString('en')} access.account records (validation, canonical JSON, SHA-256, SQLite rows, the record-set object, the signed manifest, one commit), then the same population again (an unchanged day), then \`verify\` over both runs.`,
      '',
      '| measure | result |',
      '| --- | --- |',
      `| first run: ingest and commit | ${seconds(result.ingestSeconds)} (**${result.recordsPerSecond.toLocaleString('en')} records/s**) |`,
      `| unchanged re-run (same records, same set object reused) | ${seconds(result.unchangedRerunSeconds)} |`,
      `| verify (re-hash every object and record, Merkle roots, chain, signatures) | ${seconds(result.verifySeconds)} |`,
      `| locker size on disk after both runs | ${result.lockerMiB} MiB |`,
    ].join('\n'),
  };
}
