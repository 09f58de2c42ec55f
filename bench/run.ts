/**
 * `pnpm bench`: runs every benchmark, each in its own Node process so peak
 * memory is measured per benchmark, and writes BENCHMARKS.md with the
 * machine and date. Figures are measured here, never asserted in tests.
 * `pnpm bench <name…>` runs the benchmarks whose module names contain a name
 * and replaces only their sections of BENCHMARKS.md (git shows what moved).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import type { BenchSection } from './section.js';
import { spliceSections } from './splice-sections.js';

/** Benchmark modules and the function each exports. */
const BENCHMARKS: Array<{ module: string; run: string }> = [
  { module: './locker.ts', run: 'benchLocker' },
  { module: './verify.ts', run: 'benchVerify' },
  { module: './record-set-layouts.ts', run: 'benchRecordSetLayouts' },
  { module: './github.ts', run: 'benchGitHub' },
  { module: './aws.ts', run: 'benchAws' },
  { module: './cloudtrail-pace.ts', run: 'benchCloudTrailPace' },
  { module: './jira.ts', run: 'benchJira' },
  { module: './google-workspace.ts', run: 'benchGoogleWorkspace' },
  { module: './slack.ts', run: 'benchSlack' },
  { module: './coverage.ts', run: 'benchCoverage' },
  { module: './bundle.ts', run: 'benchBundle' },
  { module: './thirty-days.ts', run: 'benchThirtyDays' },
  { module: './reliability.ts', run: 'benchReliability' },
  { module: './start.ts', run: 'benchStart' },
  { module: './memory.ts', run: 'benchMemory' },
  { module: './portal.ts', run: 'benchPortal' },
];

const only = process.argv.slice(2);
const sections: BenchSection[] = [];
for (const bench of BENCHMARKS.filter((candidate) => only.length === 0 || only.some((name) => candidate.module.includes(name)))) {
  process.stderr.write(`running ${bench.module} …\n`);
  const output = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', fileURLToPath(new URL('./one.ts', import.meta.url)), bench.module, bench.run], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  sections.push(JSON.parse(output) as BenchSection);
}

const date = new Date().toISOString().slice(0, 10);
const header = [
  '# Benchmarks',
  '',
  'Measured by `pnpm bench` (each benchmark in its own process; peak memory is that process\'s maximum resident set).',
  '',
  `- machine: ${describeMachine()}`,
  `- date: ${date}`,
  '',
].join('\n');
const markdown = `${header}\n${sections.map((section) => `## ${section.title}\n\n${section.markdown.trim()}\n`).join('\n')}`;
const file = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
writeFileSync(file, only.length === 0 ? markdown : spliceSections(readFileSync(file, 'utf8'), sections, `pnpm bench ${only.join(' ')}`, date));
process.stdout.write(markdown);
