/**
 * One measurement for bench/coverage.ts, in a fresh process so its peak
 * memory is its own: `baseline` opens the locker and loads the coverage code;
 * `coverage` also computes the ledger of the year (as seen at `now`) from the
 * locker, as `evidentia coverage` does after reading its config, and renders
 * the table and the CSV. Prints JSON (run with --expose-gc, it also reports
 * the heap the computation retains).
 */
import { openLocker } from '@evidentia/locker';
import { ledgerFromLocker } from '../packages/audit/src/coverage/gather.js';
import { renderLedger, renderLedgerCsv } from '../packages/audit/src/coverage/render.js';
import { benchPlans, BENCH_NOW, BENCH_PERIOD } from './coverage-plans.js';

const [dir, mode, now = BENCH_NOW.toISOString()] = process.argv.slice(2);
if (!dir || (mode !== 'baseline' && mode !== 'coverage')) throw new Error('usage: coverage-child.ts <locker> baseline|coverage [now]');
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const locker = await openLocker(dir);
gc();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
let summary: Record<string, unknown> = {};
let result: unknown = null;
if (mode === 'coverage') {
  const ledger = await ledgerFromLocker(locker, benchPlans(), BENCH_PERIOD, new Date(now));
  result = ledger;
  const text = renderLedger(ledger);
  const csv = renderLedgerCsv(ledger);
  summary = { openGaps: ledger.openGaps, closedGaps: ledger.closedGaps, expected: ledger.streams.reduce((sum, s) => sum + s.expected, 0), successful: ledger.streams.reduce((sum, s) => sum + s.successful, 0), textBytes: text.length, csvBytes: csv.length };
}
const seconds = (performance.now() - started) / 1000;
// What the computation keeps (its result included) once garbage is collected.
gc();
const heapMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
await locker.close();
process.stdout.write(JSON.stringify({ seconds, heapMiB, kept: result !== null, maxRssMiB: process.resourceUsage().maxRSS / 1024, ...summary }));
