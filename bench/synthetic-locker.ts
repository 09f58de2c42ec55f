/**
 * A large synthetic locker for the benchmarks: one run of an account
 * inventory of `count` access.account records, written through the locker's
 * writer API, one snapshot page per 1,000 records. The page body is small
 * unless `pageBody` gives one (the verify benchmark stores each page's
 * accounts as an API would return them, so objects weigh what they do).
 */
import { initLocker, openLocker } from '@evidentia/locker';
import { syntheticAccount } from './synthetic-account.js';

export const PAGE = 1_000;

export interface SyntheticLockerOptions {
  runAt: string;
  /** The body of the snapshot page whose first record is number `first`. */
  pageBody?: (first: number) => unknown;
}

/** Write the locker into `dir` (created); returns the seconds the run took to write and commit. */
export async function writeSyntheticLocker(dir: string, count: number, options: SyntheticLockerOptions): Promise<number> {
  const { runAt } = options;
  const pageBody = options.pageBody ?? ((first: number) => ({ page: first / PAGE + 1, first }));
  await initLocker(dir);
  const locker = await openLocker(dir, { now: () => new Date(runAt) });
  const started = performance.now();
  const run = await locker.beginRun({ trigger: 'bench', collectorVersion: 'bench', parameters: {} });
  const stream = await run.beginStream({ instance: 'bench', connector: 'bench', connectorVersion: '0', stream: 'members', type: 'state', cursorBefore: null, rangeSince: null, rangeUntil: null });
  let page = '';
  for (let index = 0; index < count; index++) {
    if (index % PAGE === 0) {
      const url = `https://bench.invalid/members?page=${index / PAGE + 1}&per_page=${PAGE}`;
      page = await stream.putSnapshot(
        { method: 'GET', url, requestBody: null, status: 200, headers: {}, collectedAt: runAt, connector: 'bench', connectorVersion: '0', collectorVersion: 'bench', identity: 'bench-reader' },
        pageBody(index),
      );
    }
    await stream.putRecord(syntheticAccount(index, page, { withKeys: true }));
  }
  await stream.finish({ status: 'complete', error: null, requests: Math.ceil(count / PAGE), apiTotal: count, cursorAfter: null });
  await run.commit();
  await locker.close();
  return (performance.now() - started) / 1000;
}
