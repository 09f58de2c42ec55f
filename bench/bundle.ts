/**
 * Audit bundle benchmark: a real locker holding one million records (one
 * run of an account inventory, written through the locker's writer API,
 * 1,000 records per snapshot page), then `export bundle` for a period around
 * that run and `verify --bundle` of the result, each in a child process of
 * its own so its peak memory is its own. The export streams (records, record
 * set, populations, check results) and the verification streams too.
 *
 * Run alone: node --conditions=source --import tsx -e "import('./bench/bundle.ts').then(m => m.benchBundle()).then(s => console.log(s.markdown))"
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openLocker } from '@evidentia/locker';
import type { BenchSection } from './section.js';
import { PAGE, writeSyntheticLocker } from './synthetic-locker.js';

// EVIDENTIA_BENCH_BUNDLE_RECORDS makes a quicker trial run; BENCHMARKS.md figures use the default.
const RECORDS = Number(process.env.EVIDENTIA_BENCH_BUNDLE_RECORDS ?? 1_000_000);
const RUN_AT = '2026-03-15T02:00:00.000Z';
const PERIOD = { since: '2026-03-01T00:00:00.000Z', until: '2026-04-01T00:00:00.000Z' };


interface ChildResult {
  seconds: number;
  peakRssMiB: number;
  detail: Record<string, unknown>;
}

/** Run this module as a child doing one step, and read its measurement. */
function child(step: 'export' | 'verify', dir: string, zip: string): ChildResult {
  const output = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(import.meta.url), step, dir, zip], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(output) as ChildResult;
}

async function childStep(step: string, dir: string, zip: string): Promise<void> {
  const started = performance.now();
  let detail: Record<string, unknown>;
  if (step === 'export') {
    const { exportBundle } = await import('../packages/publish/src/bundle/export.js');
    const { builtInChecks } = await import('../packages/audit/src/checks/library/index.js');
    const { PeopleDirectory } = await import('../packages/audit/src/checks/people.js');
    const locker = await openLocker(dir);
    const checks = builtInChecks.map((definition) => ({ definition, settings: definition.settings.parse({}) }));
    const summary = await exportBundle({ locker, period: { since: new Date(PERIOD.since), until: new Date(PERIOD.until) }, out: zip, checks, people: new PeopleDirectory(), coverage: null });
    await locker.close();
    detail = { files: summary.files, records: summary.records, uncompressedBytes: summary.bytes };
  } else {
    const { verifyBundle } = await import('../packages/publish/src/bundle/verify.js');
    const report = await verifyBundle(zip);
    if (!report.ok) throw new Error(`the benchmark bundle failed verification: ${report.problems[0]?.message}`);
    detail = report.counts;
  }
  const seconds = (performance.now() - started) / 1000;
  const peakRssMiB = Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
  process.stdout.write(JSON.stringify({ seconds, peakRssMiB, detail }));
}

export async function benchBundle(): Promise<BenchSection> {
  const root = await mkdtemp(join(tmpdir(), 'evidentia-bench-bundle-'));
  const dir = join(root, 'locker');
  const zip = join(root, 'bundle.zip');
  try {
    const ingestSeconds = await writeSyntheticLocker(dir, RECORDS, { runAt: RUN_AT });
    const exported = child('export', dir, zip);
    const zipMiB = Math.round(((await stat(zip)).size / 2 ** 20) * 10) / 10;
    const verified = child('verify', dir, zip);
    const s = (value: number) => `${value.toFixed(1)} s`;
    return {
      title: 'Audit bundle export and verification',
      markdown: [
        `A locker with ${RECORDS.toLocaleString('en')} access.account records in one inventory (written through the locker's writer API in ${s(ingestSeconds)}, ${(RECORDS / PAGE).toLocaleString('en')} snapshot pages), then \`export bundle\` for the month around it and \`verify --bundle\` of the zip, each step in a child process of its own.`,
        'The export writes the manifests, every record, the record set and snapshot pages, three populations (CC6.1–CC6.3, a million rows each, with IPE headers), every check\'s findings, coverage and the report; everything streams.',
        '',
        '| step | time | peak memory (RSS) | output |',
        '| --- | --- | --- | --- |',
        `| export bundle | ${s(exported.seconds)} | ${exported.peakRssMiB} MiB | ${zipMiB} MiB zip, ${String(exported.detail.files)} files, ${(Number(exported.detail.uncompressedBytes) / 2 ** 20).toFixed(0)} MiB uncompressed |`,
        `| verify --bundle | ${s(verified.seconds)} | ${verified.peakRssMiB} MiB | ${String(verified.detail.records)} records, ${String(verified.detail.files)} files checked |`,
      ].join('\n'),
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [step, dir, zip] = process.argv.slice(2);
  if (!step || !dir || !zip) throw new Error('usage: bundle.ts export|verify <locker> <zip>');
  await childStep(step, dir, zip);
}
