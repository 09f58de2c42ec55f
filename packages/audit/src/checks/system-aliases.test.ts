/**
 * People matched through the aliases a directory holds for an account: a
 * person renamed before the period keeps their old address as an alias in
 * Google Workspace, and an account elsewhere still named by that address
 * belongs to them, as owner and as leaver.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import accountsHaveOwner from './library/accounts-have-owner.js';
import leaversDeprovisioned from './library/leavers-deprovisioned.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { accountRecord, personnelRecord } from './synthetic-records.js';
import { findingsOf } from './test-support.js';

const AWS = 'aws:acme-prod';
const GW = 'google-workspace:acme.example';
const PERIOD = '2026-02-01..2026-02-28';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const sofia = accountRecord(GW, 'sofia.keller@acme.example', { email: 'sofia.keller@acme.example', accountType: 'user', attributes: { aliases: ['sofia.martin@acme.example'] } });
const oldNamedIamUser = accountRecord(AWS, 'sofia.martin@acme.example', { email: 'sofia.martin@acme.example', accountType: 'user' });

describe("the directory's aliases", () => {
  it('own an account named by an old address the directory keeps as an alias', async () => {
    await synthetic.run('2026-02-10T06:00:00Z', [
      { stream: 'workspace/users', type: 'state', records: [sofia] },
      { stream: 'aws/iam_users', type: 'state', records: [oldNamedIamUser, accountRecord(AWS, 'nobody@acme.example', { email: 'nobody@acme.example', accountType: 'user' })] },
    ]);
    const findings = await findingsOf(accountsHaveOwner, synthetic.locker, PERIOD);
    expect(findings.filter((f) => f.system === AWS).map((f) => [f.item, f.status, f.reason.split(' by ')[0]])).toEqual([
      ['nobody@acme.example <nobody@acme.example>', 'exception', 'active at 2026-02-10T06:00:00.000Z and matches no known person'],
      ['sofia.martin@acme.example <sofia.martin@acme.example>', 'pass', 'belongs to sofia.keller@acme.example'],
    ]);
  });

  it("find a leaver's account named by the old address", async () => {
    const leaver = personnelRecord('hr:export', 'E-3:leaver', { person: { email: 'sofia.keller@acme.example', name: 'Sofia', id: 'E-3' }, effectiveAt: '2026-02-05T00:00:00Z' });
    await synthetic.run('2026-02-10T06:00:00Z', [
      { stream: 'workspace/users', type: 'state', records: [sofia] },
      { stream: 'aws/iam_users', type: 'state', records: [oldNamedIamUser] },
      { stream: 'hr/lifecycle', type: 'event', records: [leaver] },
    ]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    // One person under either address (the label is whichever the evidence named first).
    expect(findings.filter((f) => f.system === AWS).map((f) => [f.status, f.reason])).toEqual([
      ['exception', 'left on 2026-02-05T00:00:00.000Z, deadline 2026-02-06T00:00:00.000Z; account sofia.martin@acme.example still active in the inventory of 2026-02-10T06:00:00.000Z'],
    ]);
  });
});
