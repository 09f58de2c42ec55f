/**
 * A directory's own suspension dates the removal the inventories cannot:
 * with monthly inventories a removal is only known to lie between two of
 * them, but the directory's audit log says when it suspended the account.
 * A suspension after the deadline is an exception, one before it a pass; an
 * HR ticket (a request, not the act) never dates a removal.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import leaversDeprovisioned from './leavers-deprovisioned.js';
import { createSyntheticLocker, type SyntheticLocker } from '../synthetic-locker.js';
import { accountRecord, personnelRecord } from '../synthetic-records.js';
import { findingsOf } from '../test-support.js';

const GW = 'google-workspace:acme.example';
const PERIOD = '2026-02-01..2026-02-28';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const hr = personnelRecord('hr:export', 'E-5:leaver', { person: { email: 'paul@acme.example', name: 'Paul', id: 'E-5' }, effectiveAt: '2026-02-10T00:00:00Z', ticket: 'HR-5' });
const suspended = (at: string) => personnelRecord(GW, `suspend:paul:${at}`, { person: { email: 'paul@acme.example', name: null, id: null }, effectiveAt: at, source: 'google-workspace admin audit log: SUSPEND_USER' });

/** Paul active in the directory on Feb 1st, suspended on Feb 28th. */
async function monthly(events: ReturnType<typeof personnelRecord>[]) {
  const paul = (status: 'active' | 'suspended') => [accountRecord(GW, 'paul@acme.example', { email: 'paul@acme.example', accountType: 'user', status })];
  await synthetic.run('2026-02-01T06:00:00Z', [{ stream: 'workspace/users', type: 'state', records: paul('active') }]);
  await synthetic.run('2026-02-28T06:00:00Z', [{ stream: 'workspace/users', type: 'state', records: paul('suspended') }, { stream: 'hr/lifecycle', type: 'event', records: events }]);
}

describe('leavers-deprovisioned dated by the directory', () => {
  it('an exception when the directory suspended the account after the deadline', async () => {
    await monthly([hr, suspended('2026-02-14T10:00:00Z')]);
    const [finding] = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect([finding!.status, finding!.reason]).toEqual([
      'exception',
      'left on 2026-02-10T00:00:00.000Z, deadline 2026-02-11T00:00:00.000Z; removed only by google-workspace admin audit log: SUSPEND_USER at 2026-02-14T10:00:00.000Z, between the inventories of 2026-02-01T06:00:00.000Z and 2026-02-28T06:00:00.000Z, after the deadline',
    ]);
  });

  it('a pass when it suspended the account in time', async () => {
    await monthly([hr, suspended('2026-02-10T15:00:00Z')]);
    const [finding] = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(finding!.status).toBe('pass');
  });

  it('not assessable on the HR ticket alone', async () => {
    await monthly([hr]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    // The leaver is not assessable, and as nothing else was judged the check is not assessed as a whole.
    expect(findings.map((f) => [f.item, f.status])).toEqual([
      ['(nothing assessed)', 'not-assessed'],
      [expect.any(String), 'not-assessable'],
    ]);
  });
});

describe('leavers-deprovisioned with two account streams of one system', () => {
  /** Paul in the directory's users (taken at 06:00) and its admin-role holders (taken at 06:01): the role is revoked on Feb 10th (the leaving day). */
  async function dailyTwoStreams(days: number, accountStatus: (day: number) => 'active' | 'suspended') {
    const user = (day: number) => ({ ...accountRecord(GW, 'paul@acme.example', { email: 'paul@acme.example', accountType: 'user', status: accountStatus(day) }), key: 'user:555' });
    const holder = () => ({ ...accountRecord(GW, 'paul@acme.example', { email: 'paul@acme.example', accountType: 'user', privileged: true, roles: ['Super Admin'] }), key: 'role-holder:user:555' });
    for (let day = 1; day <= days; day++) {
      const date = `2026-02-${String(day).padStart(2, '0')}`;
      await synthetic.run(`${date}T06:00:00Z`, [{ stream: 'workspace/users', type: 'state', records: [user(day)] }, ...(day === 1 ? [{ stream: 'hr/lifecycle', type: 'event' as const, records: [hr] }] : [])]);
      await synthetic.run(`${date}T06:01:00Z`, [{ stream: 'workspace/admin_roles', type: 'state', records: day < 10 ? [holder()] : [] }]);
    }
  }

  it('judges each stream at its own inventories: the account still active in the users inventories is an exception, whatever the role holders show', async () => {
    await dailyTwoStreams(16, () => 'active');
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.system, f.status])).toEqual([[GW, 'exception']]);
    expect(findings[0]!.reason).toBe('workspace/users: left on 2026-02-10T00:00:00.000Z, deadline 2026-02-11T00:00:00.000Z; account paul@acme.example still active in the inventory of 2026-02-11T06:00:00.000Z');
  });

  it('passes when both streams show the access gone in time, naming each', async () => {
    await dailyTwoStreams(16, (day) => (day < 10 ? 'active' : 'suspended'));
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.system, f.status])).toEqual([[GW, 'pass']]);
    expect(findings[0]!.reason).toMatch(/^workspace\/(users|admin_roles): left on .*; workspace\/(users|admin_roles): left on /);
  });
});
