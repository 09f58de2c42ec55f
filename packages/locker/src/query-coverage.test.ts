import { afterEach, describe, expect, it } from '@jest/globals';
import { beginTestRun, collect, createTestLocker, drain, MEMBERS, PULL_REQUESTS, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

async function failingMembers(t: TestLocker, error: string) {
  const run = await t.locker.beginRun({ trigger: 'schedule', collectorVersion: '0.1.0', parameters: {} });
  const members = await run.beginStream(MEMBERS);
  await members.finish({ status: 'failed', error, requests: 1, apiTotal: null, cursorAfter: null });
  return run.commit();
}

describe('coverage queries', () => {
  it('lists stream runs of committed runs in commit order with ranges, declared gaps and trigger', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice'], [['pr-1', 'one']]);
    const run = await beginTestRun(test.locker);
    const pulls = await run.beginStream({ ...PULL_REQUESTS, rangeSince: '2024-01-01T00:00:00.000Z', rangeUntil: '2025-03-01T00:00:00.000Z' });
    const gap = { since: '2024-01-01T00:00:00.000Z', until: '2024-12-01T00:00:00.000Z', reason: 'retention' };
    await pulls.finish({ status: 'complete', error: null, requests: 1, apiTotal: null, cursorAfter: null, gaps: [gap] });
    await run.commit();
    await failingMembers(test, 'HTTP 401');
    const open = await test.locker.beginRun({ trigger: 'schedule', collectorVersion: '0.1.0', parameters: {} });

    const entries = await drain(test.locker.streamRuns());
    expect(entries.map((e) => [e.sequence, e.stream, e.status])).toEqual([
      [1, 'github/members', 'complete'],
      [1, 'github/pull_requests', 'complete'],
      [2, 'github/pull_requests', 'complete'],
      [3, 'github/members', 'failed'],
    ]);
    expect(entries[2]).toMatchObject({ trigger: 'manual', type: 'event', rangeSince: '2024-01-01T00:00:00.000Z', gaps: [gap] });
    expect(entries[3]).toMatchObject({ trigger: 'schedule', error: 'HTTP 401', gaps: [] });
    expect((await drain(test.locker.streamRuns({ stream: 'github/members' }))).map((e) => e.sequence)).toEqual([1, 3]);
    const failedAt = new Date(entries[3]!.startedAt);
    expect((await drain(test.locker.streamRuns({ startedBy: failedAt }))).length).toBe(4);
    expect((await drain(test.locker.streamRuns({ startedBy: new Date(failedAt.getTime() - 1) }))).length).toBe(3);
    const runs = await test.locker.runs();
    expect((await drain(test.locker.streamRuns({ since: new Date(runs[1]!.startedAt) }))).map((e) => e.sequence)).toEqual([2, 3]);
    await open.abort();
  });

  it('gives each stream its newest attempt and newest success', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    await failingMembers(test, 'HTTP 502');
    const heads = await test.locker.streamHeads();
    const members = heads.find((head) => head.stream === 'github/members');
    expect(members?.last).toMatchObject({ sequence: 2, status: 'failed', error: 'HTTP 502' });
    expect(members?.lastComplete).toMatchObject({ sequence: 1, status: 'complete' });
    expect(heads.find((head) => head.stream === 'github/pull_requests')).toMatchObject({ last: { sequence: 1 }, lastComplete: { sequence: 1 } });
    expect(members?.firstStartedAt).toBe((await drain(test.locker.streamRuns({ stream: 'github/members' })))[0]?.startedAt);
  });

  it('finds runs by trigger with their parameters, including runs that never committed', async () => {
    test = await createTestLocker();
    const missed = { missedSince: '2025-02-26T02:00:00.000Z', missedUntil: '2025-03-01T09:00:00.000Z' };
    const run = await test.locker.beginRun({ trigger: 'catch-up', collectorVersion: '0.1.0', parameters: missed });
    await run.abort();
    await collect(test.locker, ['alice']);
    const catchUps = await test.locker.runsByTrigger('catch-up');
    expect(catchUps).toHaveLength(1);
    expect(catchUps[0]).toMatchObject({ trigger: 'catch-up', parameters: missed, sequence: 1 });
    expect(await test.locker.runsByTrigger('backfill')).toEqual([]);
  });
});
