/**
 * The portal's locker work: a period judged once and kept until the locker
 * changes (not for a fixed time), made in a worker thread so this thread
 * stays free while it is made, and a worker that dies fails its request
 * with WorkerGone (a 503) instead of hanging.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { accountRecord, createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { UsageError } from '@evidentia/audit';
import { Judgements } from './judgements.js';
import { compiledWorker, WorkerGone } from './worker-pool.js';

const config = { file: 'portal-test.yaml', instances: [], checks: {}, people: { aliases: {} }, timezone: 'UTC', requests: [] };
const PERIOD_TEXT = '2026-02-01..2026-02-28';
const period = parsePeriod(PERIOD_TEXT);
let synthetic: SyntheticLocker;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-05T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'mallory', { mfa: 'disabled' })] }]);
}, 60_000);
afterAll(async () => {
  await synthetic.cleanup();
});

const failures = (judgement: Awaited<ReturnType<Judgements['period']>>) => judgement.run.checks.reduce((sum, check) => sum + check.counts.exception, 0);

describe("the portal's judgement of a period", () => {
  it('runs in a worker thread from the compiled worker', () => {
    // Without it the work would run on the server's event loop: the tests below would not test the worker.
    expect(compiledWorker()).not.toBeNull();
  });

  it('is made once for concurrent pages and kept until the locker changes, however much time passes', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const judgements = await Judgements.create(synthetic.locker, config, () => new Date(clock));
    try {
      const first = judgements.period(PERIOD_TEXT, period);
      expect(judgements.period(PERIOD_TEXT, period)).toBe(first);
      const judged = await first;
      expect(judged.run.checks.length).toBeGreaterThan(0);
      expect([...judged.records.keys()].length).toBeGreaterThan(0);
      clock += 3_600_000;
      expect(judgements.period(PERIOD_TEXT, period)).toBe(first);
      // A run adds a second account without MFA: the locker changed, so the period is judged again and says so.
      await synthetic.run('2026-02-06T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'mallory', { mfa: 'disabled' }), accountRecord('github:acme', 'trudy', { mfa: 'disabled' })] }]);
      const again = judgements.period(PERIOD_TEXT, period);
      expect(again).not.toBe(first);
      expect(failures(await again)).toBeGreaterThan(failures(judged));
    } finally {
      await judgements.close();
    }
  }, 60_000);

  it("gives a period's readiness after the worker has judged another period since (the judgement is sent, not made again)", async () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const judgements = await Judgements.create(synthetic.locker, config, () => now);
    const other = parsePeriod('2026-01-01..2026-01-31');
    try {
      const february = await judgements.period(PERIOD_TEXT, period);
      const held = await judgements.readiness(february, 'soc2');
      const fresh = await Judgements.create(synthetic.locker, config, () => now);
      try {
        const again = await fresh.period(PERIOD_TEXT, period);
        await fresh.period('2026-01-01..2026-01-31', other);
        // The worker now holds January's judgement: February's readiness must still be February's.
        expect(await fresh.readiness(again, 'soc2')).toEqual(held);
      } finally {
        await fresh.close();
      }
    } finally {
      await judgements.close();
    }
  }, 60_000);

  it("never keeps a readiness made from a judgement of the locker before it changed for the next judgement's pages", async () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const changing = await createSyntheticLocker();
    const judgements = await Judgements.create(changing.locker, config, () => now);
    try {
      await changing.run('2026-02-05T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'alice')] }]);
      const before = await judgements.period(PERIOD_TEXT, period);
      // A collect commits between a page's judgement and its readiness (the same minute): that page's readiness is of the old judgement.
      await changing.run('2026-02-06T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'alice'), accountRecord('github:acme', 'trudy', { mfa: 'disabled' })] }]);
      await judgements.readiness(before, 'soc2');
      const after = await judgements.period(PERIOD_TEXT, period);
      expect(failures(after)).toBeGreaterThan(failures(before));
      const fresh = await Judgements.create(changing.locker, config, () => now);
      try {
        // The next page, judged anew, shows the readiness of the new judgement: what a portal started now shows.
        expect(await judgements.readiness(after, 'soc2')).toEqual(await fresh.readiness(await fresh.period(PERIOD_TEXT, period), 'soc2'));
      } finally {
        await fresh.close();
      }
    } finally {
      await judgements.close();
      await changing.cleanup();
    }
  }, 60_000);

  it('leaves this thread free while a judgement is made, and a page can say it is still being made', async () => {
    const gate = new SharedArrayBuffer(4);
    const judgements = await Judgements.create(synthetic.locker, config, () => new Date(), { judgeGate: gate });
    try {
      const judging = judgements.period(PERIOD_TEXT, period);
      let done = false;
      void judging.then(() => (done = true));
      const waited = await judgements.judgedWithin(PERIOD_TEXT, period, 200);
      expect('judgingSeconds' in waited).toBe(true);
      // The worker's thread is blocked in the judgement; this one still reads runs and timers fire.
      expect((await judgements.runs(period)).length).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(done).toBe(false);
      Atomics.store(new Int32Array(gate), 0, 1);
      Atomics.notify(new Int32Array(gate), 0);
      const made = await judgements.judgedWithin(PERIOD_TEXT, period, 30_000);
      expect('judgement' in made && made.judgement.run.checks.length).toBeGreaterThan(0);
    } finally {
      await judgements.close();
    }
  }, 60_000);

  it('fails the request with WorkerGone when the worker dies, and starts a new one for the next', async () => {
    const dies = new URL(`data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(7));")}`);
    const judgements = await Judgements.create(synthetic.locker, config, () => new Date(), { script: dies });
    try {
      await expect(judgements.period(PERIOD_TEXT, period)).rejects.toThrow(/stopped \(exit code 7\)/);
      // A new worker for the next request (this one dies too): it is answered, not left waiting.
      const next = await judgements.evidence(period, 'access.account', '', 10).catch((error: unknown) => error);
      expect(next).toBeInstanceOf(WorkerGone);
    } finally {
      await judgements.close();
    }
  }, 60_000);

  it('says a usage error in the worker (an empty population to sample) as a UsageError, which a page answers 400', async () => {
    const judgements = await Judgements.create(synthetic.locker, config);
    try {
      await expect(judgements.sample(period, PERIOD_TEXT, 'change.request', 5, 'seed')).rejects.toThrow(UsageError);
    } finally {
      await judgements.close();
    }
  }, 60_000);

  it('keeps population files on disk until it closes, and streams nothing through memory', async () => {
    const judgements = await Judgements.create(synthetic.locker, config);
    const first = await judgements.openPopulation({ period, kind: 'access.account' }, 'csv');
    expect(existsSync(first.file.file)).toBe(true);
    expect(await text(first.stream)).toContain('mallory');
    const again = await judgements.openPopulation({ period, kind: 'access.account' }, 'csv');
    expect(again.file).toBe(first.file);
    again.stream.destroy();
    await judgements.close();
    expect(existsSync(first.file.dir)).toBe(false);
  }, 60_000);
});
