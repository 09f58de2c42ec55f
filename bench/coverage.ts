/**
 * Coverage benchmark: a year of hourly runs for 20 streams (10 state, 10
 * event; ~175,000 stream results, with a three-day daemon outage and a
 * stream failing for a week) is written into a real locker through the
 * locker API, then `coverage` for the year is computed from it in a fresh
 * process (SQLite read, ledger, table and CSV) and, for comparison, the
 * ledger alone from the same stream results held in memory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initLocker, openLocker } from '@evidentia/locker';
import { computeLedger } from '../packages/audit/src/coverage/ledger.js';
import type { CollectionFact } from '../packages/audit/src/coverage/types.js';
import { benchPlans, BENCH_DOWN, BENCH_FAILING, BENCH_NOW, BENCH_PERIOD } from './coverage-plans.js';
import type { BenchSection } from './section.js';

const HOUR = 3_600_000;
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Write the runs from the period's start to `until`; returns the stream results as facts too, and how long writing took. */
async function generate(dir: string, until: number): Promise<{ facts: CollectionFact[]; runs: number; seconds: number }> {
  await initLocker(dir);
  let time = BENCH_PERIOD.since.getTime();
  const locker = await openLocker(dir, { now: () => new Date(time) });
  const plans = benchPlans();
  const facts: CollectionFact[] = [];
  const cursors = new Map<string, number>();
  const started = performance.now();
  let runs = 0;
  for (let hour = BENCH_PERIOD.since.getTime(); hour < until; hour += HOUR) {
    if (hour >= BENCH_DOWN.since && hour < BENCH_DOWN.until) continue;
    time = hour;
    const catchUp = hour === BENCH_DOWN.until;
    const parameters = catchUp ? { missedSince: new Date(BENCH_DOWN.since).toISOString(), missedUntil: new Date(hour).toISOString() } : { scheduledAt: new Date(hour).toISOString() };
    const run = await locker.beginRun({ trigger: catchUp ? 'catch-up' : 'schedule', collectorVersion: 'bench', parameters });
    for (const plan of plans) {
      const event = plan.type === 'event';
      const since = event ? (cursors.get(plan.id) ?? hour - 30 * 24 * HOUR) - HOUR : null;
      const range = { rangeSince: since === null ? null : new Date(since).toISOString(), rangeUntil: event ? new Date(hour).toISOString() : null };
      const [instance = '', name = ''] = plan.id.split('/');
      const stream = await run.beginStream({ instance, connector: 'bench', connectorVersion: '1.0.0', stream: name, type: plan.type, cursorBefore: null, ...range });
      const failing = plan.id === BENCH_FAILING.stream && hour >= BENCH_FAILING.since && hour < BENCH_FAILING.until;
      const error = failing ? 'HTTP 401 Bad credentials' : null;
      await stream.finish({ status: failing ? 'failed' : 'complete', error, requests: 1, apiTotal: null, cursorAfter: null });
      if (event && !failing) cursors.set(plan.id, hour);
      const at = new Date(hour).toISOString();
      facts.push({ runId: run.runId, trigger: 'schedule', stream: plan.id, status: failing ? 'failed' : 'complete', error, ...range, gaps: [], startedAt: at, finishedAt: at });
    }
    await run.commit();
    runs++;
  }
  await locker.close();
  return { facts, runs, seconds: (performance.now() - started) / 1000 };
}

function measure(dir: string, mode: 'baseline' | 'coverage', now = BENCH_NOW): { seconds: number; heapMiB: number; maxRssMiB: number; [key: string]: unknown } {
  const output = execFileSync(process.execPath, ['--expose-gc', '--conditions=source', '--import', 'tsx', fileURLToPath(new URL('./coverage-child.ts', import.meta.url)), dir, mode, now.toISOString()], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output) as { seconds: number; heapMiB: number; maxRssMiB: number };
}

const QUARTER_END = Date.parse('2026-04-01T00:00:00Z');

async function lockerSize(dir: string): Promise<number> {
  return Number(execFileSync('du', ['-sk', dir]).toString().split('\t')[0]) / 1024;
}

export async function benchCoverage(): Promise<BenchSection> {
  const root = await mkdtemp(join(tmpdir(), 'evidentia-bench-coverage-'));
  const dir = join(root, 'year');
  try {
    const year = await generate(dir, BENCH_PERIOD.until.getTime());
    const lockerMiB = await lockerSize(dir);
    const baseline = measure(dir, 'baseline');
    const coverage = measure(dir, 'coverage');
    // The same over a quarter of the history: memory should not scale with it.
    const quarter = await generate(join(root, 'quarter'), QUARTER_END);
    const quarterCoverage = measure(join(root, 'quarter'), 'coverage', new Date(QUARTER_END));
    const pureStarted = performance.now();
    const ledger = computeLedger({ period: BENCH_PERIOD, now: BENCH_NOW, streams: benchPlans(), downtimes: [{ since: new Date(BENCH_DOWN.since), until: new Date(BENCH_DOWN.until), runId: 'catch-up' }] }, year.facts);
    const pureSeconds = (performance.now() - pureStarted) / 1000;
    const markdown = [
      `A year (${BENCH_PERIOD.since.toISOString().slice(0, 10)} to ${BENCH_PERIOD.until.toISOString().slice(0, 10)}) of hourly runs for 20 streams (10 state, 10 event) written through the locker API:`,
      `${year.runs.toLocaleString('en')} runs, ${year.facts.length.toLocaleString('en')} stream results (a three-day daemon outage, one stream failing for a week), locker ${round(lockerMiB, 1)} MiB, written in ${round(year.seconds, 1)} s.`,
      '',
      '| measurement | time | peak RSS |',
      '| --- | --- | --- |',
      `| \`coverage\` for the year from the locker (SQLite read, ledger, table and CSV), fresh process | ${round(coverage.seconds)} s | ${round(coverage.maxRssMiB, 1)} MiB |`,
      `| the same for a quarter (${quarter.facts.length.toLocaleString('en')} stream results, ${round(await lockerSize(join(root, 'quarter')), 1)} MiB locker) | ${round(quarterCoverage.seconds)} s | ${round(quarterCoverage.maxRssMiB, 1)} MiB |`,
      `| the same process opening the locker without computing (Node, tsx, modules) | ${round(baseline.seconds)} s | ${round(baseline.maxRssMiB, 1)} MiB |`,
      `| the ledger alone from the ${year.facts.length.toLocaleString('en')} results in memory | ${round(pureSeconds)} s | — |`,
      '',
      `Coverage adds ${round(coverage.maxRssMiB - baseline.maxRssMiB, 1)} MiB of peak memory to the baseline for the year and ${round(quarterCoverage.maxRssMiB - baseline.maxRssMiB, 1)} MiB for the quarter, four times less history: stream results are streamed from SQLite in commit order (sorted only within a run) over a connection with an 8 MiB page cache, and the ledger keeps a number per successful run in the period plus the gaps: after a garbage collection the computation holds ${round(coverage.heapMiB, 1)} MiB of heap (the ledger included). The rest of the peak is row objects awaiting collection, whose amount is up to V8.`,
      `Result: ${ledger.streams.reduce((sum, s) => sum + s.expected, 0).toLocaleString('en')} expected collections, ${ledger.streams.reduce((sum, s) => sum + s.successful, 0).toLocaleString('en')} successful, ${ledger.openGaps} open and ${ledger.closedGaps} closed gaps, the same from the locker (${String(coverage.openGaps)} open, ${String(coverage.closedGaps)} closed).`,
    ].join('\n');
    return { title: 'Coverage ledger over a year of hourly runs', markdown };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
