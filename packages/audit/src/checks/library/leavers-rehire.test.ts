/**
 * A rehire is not a leaver's account left active: a person who left and
 * later joined again is judged on the inventories taken before the joiner
 * event, and their new accounts after it are the new employment's. Without
 * a joiner event, an account active again after the deadline stays an
 * exception.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import leaversDeprovisioned from './leavers-deprovisioned.js';
import { createSyntheticLocker, type SyntheticLocker } from '../synthetic-locker.js';
import { accountRecord, personnelRecord } from '../synthetic-records.js';
import { findingsOf } from '../test-support.js';

const GH = 'github:acme';
const PERIOD = '2026-02-01..2026-04-30';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const leaver = personnelRecord('hr:export', 'E-7:leaver', { person: { email: 'priya@acme.example', name: 'Priya', id: 'E-7' }, effectiveAt: '2026-02-10T00:00:00Z' });
const rejoiner = personnelRecord('hr:export', 'E-7:joiner', { type: 'joiner', person: { email: 'priya@acme.example', name: 'Priya', id: 'E-7' }, effectiveAt: '2026-03-16T00:00:00Z' });

/** Priya in GitHub on Feb 9th, gone that evening of the 10th and on March 1st, back on March 20th. */
async function leaveAndReturn(events: ReturnType<typeof personnelRecord>[]) {
  const members = (present: boolean) => [accountRecord(GH, 'bob', { email: 'bob@acme.example' }), ...(present ? [accountRecord(GH, 'pnair', { email: 'priya@acme.example' })] : [])];
  await synthetic.run('2026-02-09T06:00:00Z', [{ stream: 'github/members', type: 'state', records: members(true) }, { stream: 'hr/lifecycle', type: 'event', records: events }]);
  await synthetic.run('2026-02-10T20:00:00Z', [{ stream: 'github/members', type: 'state', records: members(false) }]);
  await synthetic.run('2026-03-01T06:00:00Z', [{ stream: 'github/members', type: 'state', records: members(false) }]);
  await synthetic.run('2026-03-20T06:00:00Z', [{ stream: 'github/members', type: 'state', records: members(true) }]);
}

describe('leavers-deprovisioned and rehires', () => {
  it('judges a rehired leaver on the inventories before the return, not on the new employment', async () => {
    await leaveAndReturn([leaver, rejoiner]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.item, f.system, f.status, f.reason])).toEqual([
      [
        'priya@acme.example',
        GH,
        'pass',
        'left on 2026-02-10T00:00:00.000Z, deadline 2026-02-11T00:00:00.000Z; no active account in the inventory of 2026-02-10T20:00:00.000Z; rejoined on 2026-03-16T00:00:00.000Z, so the inventories from then on are not judged',
      ],
    ]);
  });

  it('judges a second departure after a rehire on its own: the account left active after leaving again is an exception', async () => {
    const again = personnelRecord('hr:export', 'E-7:leaver-2', { person: { email: 'priya@acme.example', name: 'Priya', id: 'E-7' }, effectiveAt: '2026-04-06T00:00:00Z' });
    await leaveAndReturn([leaver, rejoiner, again]);
    // She left again on April 6th; her account is still there on the 20th.
    await synthetic.run('2026-04-20T06:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord(GH, 'bob', { email: 'bob@acme.example' }), accountRecord(GH, 'pnair', { email: 'priya@acme.example' })] }]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.item, f.status, f.reason])).toEqual([
      ['priya@acme.example (left again 2026-04-06)', 'exception', 'left on 2026-04-06T00:00:00.000Z, deadline 2026-04-07T00:00:00.000Z; account pnair still active in the inventory of 2026-04-20T06:00:00.000Z'],
      ['priya@acme.example', 'pass', 'left on 2026-02-10T00:00:00.000Z, deadline 2026-02-11T00:00:00.000Z; no active account in the inventory of 2026-02-10T20:00:00.000Z; rejoined on 2026-03-16T00:00:00.000Z, so the inventories from then on are not judged'],
    ]);
  });

  it('still finds the account active again when nobody rejoined', async () => {
    await leaveAndReturn([leaver]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.item, f.status, f.reason])).toEqual([
      ['priya@acme.example', 'exception', 'left on 2026-02-10T00:00:00.000Z, deadline 2026-02-11T00:00:00.000Z; account pnair still active in the inventory of 2026-03-20T06:00:00.000Z'],
    ]);
  });
});
