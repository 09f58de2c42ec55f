/**
 * The period's judgement is kept while it is being made and for a minute
 * from when it was done, so a judgement that takes longer than a minute (a
 * large locker) is not made again for every page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { accountRecord, createSyntheticLocker, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { Judgements } from './judgements.js';

const config = { file: 'portal-test.yaml', instances: [], checks: {}, people: { aliases: {} }, timezone: 'UTC', requests: [] };
const PERIOD_TEXT = '2026-02-01..2026-02-28';
let synthetic: SyntheticLocker;

beforeAll(async () => {
  synthetic = await createSyntheticLocker();
  await synthetic.run('2026-02-05T02:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord('github:acme', 'mallory', { mfa: 'disabled' })] }]);
});
afterAll(async () => {
  await synthetic.cleanup();
});

describe("the portal's judgement of a period", () => {
  it('is kept while it is made and for a minute after it is done, however long it took', async () => {
    let clock = Date.parse('2026-03-01T10:00:00Z');
    const judgements = await Judgements.create(synthetic.locker, config, () => new Date(clock));
    const period = parsePeriod(PERIOD_TEXT);
    const first = judgements.period(PERIOD_TEXT, period);
    // Two minutes pass while it is judged (a large locker): pages asking meanwhile share it.
    clock += 120_000;
    expect(judgements.period(PERIOD_TEXT, period)).toBe(first);
    await first;
    clock += 59_000;
    expect(judgements.period(PERIOD_TEXT, period)).toBe(first);
    clock += 2_000;
    const again = judgements.period(PERIOD_TEXT, period);
    expect(again).not.toBe(first);
    expect((await again).run.checks.map((check) => check.result)).toEqual((await first).run.checks.map((check) => check.result));
    expect((await first).run.checks.length).toBeGreaterThan(0);
  });
});
