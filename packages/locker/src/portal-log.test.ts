import { afterEach, describe, expect, it } from '@jest/globals';
import { acquireWriterLock, releaseWriterLock } from './writer-lock.js';
import { LockerBusyError, type PortalLogInput, type VerifyReport } from './index.js';
import { attackerConnection, createTestLocker, objectCount, rowCount, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

const problemsOf = (report: VerifyReport) => report.problems.map((problem) => `${problem.code}: ${problem.message}`);
const event = (extra: Partial<PortalLogInput> = {}): PortalLogInput => ({ action: 'view', user: 'audrey', role: 'auditor', target: '/evidence?kind=access.account', outcome: '200', address: '127.0.0.1', at: '2025-03-01T08:59:00.000Z', ...extra });

describe("the portal's audit log", () => {
  it('stores batches of signed, chained events that read back in order and verify', async () => {
    test = await createTestLocker();
    expect(await test.locker.appendPortalLog([event({ action: 'sign-in', target: '/sign-in', outcome: '303' }), event()])).toBe(2);
    expect(await test.locker.appendPortalLog([event({ action: 'download', target: '/populations/population.xlsx?control=CC6.1', at: '2025-03-01T09:30:00.000Z' })])).toBe(1);
    expect(await test.locker.appendPortalLog([])).toBe(0);
    const log = await test.locker.portalLog();
    expect(log.map(({ sequence, action, user, target }) => [sequence, action, user, target])).toEqual([
      [1, 'sign-in', 'audrey', '/sign-in'],
      [2, 'view', 'audrey', '/evidence?kind=access.account'],
      [3, 'download', 'audrey', '/populations/population.xlsx?control=CC6.1'],
    ]);
    expect((await test.locker.portalLog('2025-03-01T09:00:00.000Z')).map((entry) => entry.sequence)).toEqual([3]);
    const report = await test.locker.verify();
    expect(problemsOf(report)).toEqual([]);
    expect(report.counts.portalLog).toBe(3);
  });

  it('refuses a batch while a run holds the writer lock, storing nothing, and a malformed event', async () => {
    test = await createTestLocker();
    const objects = objectCount(test.dir);
    acquireWriterLock(test.dir, 'run-in-progress');
    try {
      await expect(test.locker.appendPortalLog([event()])).rejects.toThrow(LockerBusyError);
    } finally {
      releaseWriterLock(test.dir, 'run-in-progress');
    }
    await expect(test.locker.appendPortalLog([event({ user: '' })])).rejects.toThrow();
    expect([rowCount(test.dir, 'portal_log_entries'), objectCount(test.dir)]).toEqual([0, objects]);
  });

  it('names an edited and a removed event', async () => {
    test = await createTestLocker();
    await test.locker.appendPortalLog([event(), event({ action: 'download', target: '/evidence/population.csv' }), event({ action: 'verify-start', target: '/runs/verify', outcome: '303' })]);
    const [first, second, third] = await test.locker.portalLog();
    const db = attackerConnection(test.dir);
    db.prepare("UPDATE portal_log_entries SET user_name = 'someone-else' WHERE sequence = 3").run();
    db.prepare('DELETE FROM portal_log_entries WHERE sequence = 2').run();
    db.close();
    const label = 'portal-log 3 (verify-start by "someone-else" at 2025-03-01T08:59:00.000Z)';
    expect(problemsOf(await test.locker.verify())).toEqual([
      `portal-log-altered: portal-log entry 2 is missing: the chain goes from portal-log 1 to ${label}`,
      `chain-broken: ${label} links to previous entry ${second!.hash}, but portal-log 1 has hash ${first!.hash}`,
      `portal-log-altered: ${label}: user_name in the portal_log_entries table differ from its entry ${third!.hash}`,
    ]);
  });
});
