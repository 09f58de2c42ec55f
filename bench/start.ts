/**
 * Start time: `evidentia --version`, `--help` and two read commands (`runs`,
 * `status`) on the demo's small locker, each started EVIDENTIA_BENCH_START_RUNS
 * times (7 by default) from the compiled build and from the TypeScript sources
 * through tsx (EVIDENTIA_FROM_SOURCE=1). Wall time is taken around the child
 * process; its CPU time and peak resident set come from the child itself (a
 * module imported first that reports them at exit). The build is brought up
 * to date first (`pnpm build`), so the compiled runs measure dist/.
 *
 * Run alone: pnpm bench start
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { BenchSection } from './section.js';

const RUNS = Number(process.env.EVIDENTIA_BENCH_START_RUNS ?? 7);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(ROOT, 'collector/bin/evidentia.js');

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** One start of the CLI with `args`, measured. */
function start(work: string, probe: string, args: string[], fromSource: boolean, freshCache = false): Sample {
  const report = join(work, 'probe.json');
  const cache = join(work, 'connector-cache');
  if (freshCache) rmSync(cache, { recursive: true, force: true });
  const began = performance.now();
  const run = spawnSync(process.execPath, ['--import', probe, LAUNCHER, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', EVIDENTIA_FROM_SOURCE: fromSource ? '1' : '', EVIDENTIA_BENCH_PROBE: report, EVIDENTIA_CACHE_DIR: cache },
  });
  const wallMs = performance.now() - began;
  // status exits 1 when the demo's evidence has open gaps: it ran; anything else is a failed start.
  if (run.status !== 0 && !(args[0] === 'status' && run.status === 1)) throw new Error(`evidentia ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  const { cpuMs, rssMiB } = JSON.parse(readFileSync(report, 'utf8')) as Omit<Sample, 'wallMs'>;
  return { wallMs, cpuMs, rssMiB };
}

export async function benchStart(): Promise<BenchSection> {
  execFileSync('pnpm', ['-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const work = mkdtempSync(join(tmpdir(), 'evidentia-bench-start-'));
  const probe = join(work, 'probe.mjs');
  writeFileSync(
    probe,
    "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const cpu = process.cpuUsage(); writeFileSync(process.env.EVIDENTIA_BENCH_PROBE, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, rssMiB: process.resourceUsage().maxRSS / 1024 })); });\n",
  );
  const locker = join(work, 'demo/locker');
  execFileSync(process.execPath, [LAUNCHER, 'demo', '--locker', locker], { cwd: work, stdio: 'ignore', env: { ...process.env, NODE_OPTIONS: '' } });
  const config = join(work, 'demo/evidentia.yaml');
  // The same config without the custom TypeScript connector: what tsx costs a start shows as the difference.
  const builtInOnly = join(work, 'demo/built-in-only.yaml');
  const document = parseDocument(readFileSync(config, 'utf8'));
  document.deleteIn(['connectors', 'hr']);
  writeFileSync(builtInOnly, document.toString());
  const cases: Array<{ name: string; args: string[]; freshCache?: boolean }> = [
    { name: '`--version`', args: ['--version'] },
    { name: '`--help`', args: ['--help'] },
    { name: '`runs --locker` (demo locker)', args: ['runs', '--locker', locker] },
    { name: '`status --config` (demo locker and config)', args: ['status', '--config', config] },
    { name: '`status --config` (demo locker and config), the HR connector not yet compiled', args: ['status', '--config', config], freshCache: true },
    { name: '`status --config` (the demo config without its TypeScript connector)', args: ['status', '--config', builtInOnly] },
  ];
  const load = loadavg()[0]!.toFixed(1);
  const rows: string[] = [];
  for (const { name, args, freshCache } of cases) {
    // The sources load a TypeScript connector through tsx whatever the cache holds: an empty cache is a compiled-only case.
    for (const fromSource of freshCache ? [false] : [false, true]) {
      // One start unmeasured: the first reads the files from disk, the rest find them in the page cache like any later start.
      start(work, probe, args, fromSource, freshCache);
      const samples = Array.from({ length: RUNS }, () => start(work, probe, args, fromSource, freshCache));
      const cell = (pick: (sample: Sample) => number, digits = 0) => median(samples.map(pick)).toFixed(digits);
      rows.push(`| ${name} | ${fromSource ? 'sources (tsx)' : 'compiled'} | ${cell((s) => s.wallMs)} | ${cell((s) => s.cpuMs)} | ${cell((s) => s.rssMiB, 1)} |`);
    }
  }
  return {
    title: 'CLI start time',
    markdown: [
      `Each command started ${RUNS} times (after one unmeasured start), medians; the demo's locker (75 records, one run) and its configuration, which names all five built-in connectors and the custom HR connector. "compiled" is the launcher running dist/ (what \`pnpm install\` builds), "sources" the same command with EVIDENTIA_FROM_SOURCE=1 (tsx transpiling on load). Targets: \`--version\` ≤ 300 ms, a read command ≤ 500 ms. The machine is shared (1-minute load average ${load} when the runs began), so wall time includes waiting for a core; CPU time (user + system of the process) is the cost itself (of that process alone: the esbuild service a compile starts is a child process, not counted).`,
      '',
      '| command | runs from | wall ms | CPU ms | peak RSS MiB |',
      '|---|---|---:|---:|---:|',
      ...rows,
      '',
      `\`--version\` and \`--help\` load no command module (collector/src/command-table.ts); \`runs\` loads its own module and the locker, not the config loader; \`status\` reads the config, so it loads the connectors that config names (not their API clients, which load when a stream connects), and the demo's TypeScript HR connector: the compiled CLI loads it as JavaScript from its connector cache (collector/src/compiled-connectors.ts: compiled once by esbuild, used while the SHA-256 of every file it was made from is unchanged; EVIDENTIA_CACHE_DIR is a folder of this run), so a start needs neither tsx nor a hooks thread; the row "not yet compiled" empties the cache before every start, so each pays the compile, as the first start after a connector changed does; the sources load it through tsx (its hooks thread and tsx itself), and of the audit package only the coverage ledger and the settings the config holds (\`@evidentia/audit/status\`, \`/settings\`; the config schema takes the portal's settings from \`@evidentia/portal/settings\`, not fastify). What a start loads is checked, module by module, in test/launcher-build.e2e.test.ts.`,
    ].join('\n'),
  };
}
