/**
 * The leaver check links only the accounts that can reach the people it asks
 * about: a chain of accounts running against the stream's order (system, key)
 * still joins a leaver's HR email to a login three accounts away, and every
 * answer about the people asked about is the one linking every account gives.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parsePeriod } from '@evidentia/time';
import type { CheckEvidence } from './define.js';
import { lockerEvidence } from './evidence.js';
import leaversDeprovisioned from './library/leavers-deprovisioned.js';
import { accountIdentifiers, PeopleDirectory } from './people.js';
import { reachablePeople } from './reachable-people.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { accountRecord, personnelRecord } from './synthetic-records.js';
import { findingsOf, verdicts } from './test-support.js';

// In stream order (system, key): AWS, then GitHub, then Google Workspace, so each link of the chain comes before the account that reaches it.
const AWS = 'aws:acme-prod';
const GH = 'github:acme';
const GW = 'google-workspace:acme.example';
const PERIOD = '2026-02-01..2026-02-28';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

/** Daily inventories from 8 to 14 Feb: dana's chain (HR email → Google account with SSO X → GitHub account with X and login Y → AWS user Y) and others' accounts. */
async function chainInventories() {
  for (let day = 8; day <= 14; day++) {
    const at = `2026-02-${String(day).padStart(2, '0')}T02:00:00Z`;
    await synthetic.run(at, [
      { stream: 'aws/iam', type: 'state', records: [accountRecord(AWS, 'dana-y'), accountRecord(AWS, 'ops1'), accountRecord(AWS, 'erin-aws', { email: 'erin@acme.example' })] },
      { stream: 'github/members', type: 'state', records: [accountRecord(GH, 'dana-y', { ssoIdentity: 'sso|x-7' }), accountRecord(GH, 'erin-gh', { ssoIdentity: 'sso|erin' })] },
      {
        stream: 'workspace/users',
        type: 'state',
        records: [accountRecord(GW, 'dana@acme.example', { email: 'dana@acme.example', ssoIdentity: 'SSO|X-7', accountType: 'user' }), accountRecord(GW, 'erin@acme.example', { email: 'erin@acme.example', ssoIdentity: 'sso|erin', accountType: 'user' })],
      },
    ]);
  }
  await synthetic.run('2026-02-14T03:00:00Z', [
    { stream: 'hr/lifecycle', type: 'event', records: [personnelRecord('hr:export', 'E-4:leaver', { person: { email: 'dana@acme.example', name: 'Dana', id: 'E-4' }, effectiveAt: '2026-02-10T00:00:00Z' })] },
  ]);
}

function evidenceOf(): CheckEvidence {
  return lockerEvidence(synthetic.locker, parsePeriod(PERIOD), ['access.account'], 'test', async () => []);
}

describe('reachablePeople', () => {
  it('finds a leaver through a chain of three accounts linked against the stream order', async () => {
    await chainInventories();
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    // The person is named by the identifier of theirs seen first (the AWS login, first in stream order), as linking every account names them.
    expect(verdicts(findings)).toEqual([
      [`dana-y @ ${AWS}`, 'exception'],
      [`dana-y @ ${GH}`, 'exception'],
      [`dana-y @ ${GW}`, 'exception'],
    ]);
    expect(findings.find((f) => f.system === AWS)!.reason).toContain('account dana-y still active');
  });

  it('answers for the people asked about as the directory linking every account does, and knows nothing of the others', async () => {
    await chainInventories();
    const window = parsePeriod(PERIOD);
    const aliases = { 'erin@acme.example': ['erin-personal@example.com'] };
    const full = new PeopleDirectory(aliases);
    for await (const item of evidenceOf().items('access.account', window)) for (const { record } of item.seen) full.link(accountIdentifiers(record.data as never));
    const reduced = await reachablePeople(evidenceOf(), new PeopleDirectory(aliases), ['dana@acme.example', 'E-4'], window);
    for (const directory of [full, reduced]) directory.register(['dana@acme.example', 'E-4']);
    for (const ids of [['dana@acme.example'], ['e-4'], ['DANA-Y'], ['sso|x-7'], ['erin@acme.example'], ['erin-gh'], ['sso|erin'], ['erin-aws'], ['ops1']]) {
      expect([ids, reduced.personOf(ids)]).toEqual([ids, full.personOf(ids)]);
    }
    expect(reduced.personOf(['dana-y'])).toBe('dana-y');
    // erin is reached through the configured alias; ops1 reaches nobody, so the reduced directory never held it.
    expect(reduced.personOf(['erin-gh'])).toBe('erin@acme.example');
    expect([...reduced.identifiers()]).not.toContain('ops1');
    expect([...full.identifiers()]).toContain('ops1');
  });
});
