/**
 * Judging identities as an auditor would: a suspension or deletion undone
 * within the grace is no leaver (after it, a rejoin, unless HR recorded the
 * departure), service identities, accounts without a console and invitations
 * not yet accepted are not judged for MFA, and an account two streams of one
 * system report is judged once per check.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import accountsHaveOwner from './library/accounts-have-owner.js';
import leaversDeprovisioned from './library/leavers-deprovisioned.js';
import mfaEnabled from './library/mfa-enabled.js';
import { createSyntheticLocker, type SyntheticLocker, type SyntheticRecord } from './synthetic-locker.js';
import { accountRecord, personnelRecord } from './synthetic-records.js';
import { findingsOf, verdicts } from './test-support.js';

const GH = 'github:acme';
const GW = 'google-workspace:acme.example';
const AWS = 'aws:acme-prod';
const PERIOD = '2026-02-01..2026-02-28';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

function reinstatement(at: string, email: string, action = 'UNSUSPEND_USER'): SyntheticRecord {
  const data = { actor: { login: 'admin@acme.example', email: 'admin@acme.example' }, action, target: email, at, sourceAddress: null, outcome: null };
  return { kind: 'audit.event', key: `${action}:${email}:${at}`, system: GW, occurredAt: at, data };
}

const suspension = (email: string, at: string) =>
  personnelRecord(GW, `suspend:${email}:${at}`, { person: { email, name: null, id: null }, effectiveAt: at, source: 'google-workspace admin audit log: SUSPEND_USER' });

/** Daily inventories from 8 to 14 Feb in which bob, carol and alice stay active in GitHub and Google Workspace. */
async function everyoneStays() {
  for (let day = 8; day <= 14; day++) {
    const at = `2026-02-${String(day).padStart(2, '0')}T02:00:00Z`;
    await synthetic.run(at, [
      { stream: 'github/members', type: 'state', records: ['alice', 'bob', 'carol'].map((name) => accountRecord(GH, name, { email: `${name}@acme.example` })) },
      { stream: 'workspace/users', type: 'state', records: ['alice', 'bob', 'carol'].map((name) => accountRecord(GW, `${name}@acme.example`, { email: `${name}@acme.example`, accountType: 'user' })) },
    ]);
  }
}

describe('leavers-deprovisioned and reversed suspensions', () => {
  it('lists a suspension undone 17 minutes later as an event, not a leaver, while a lasting one and an HR leaver stand', async () => {
    await everyoneStays();
    await synthetic.run('2026-02-14T03:00:00Z', [
      {
        stream: 'workspace/user_lifecycle',
        type: 'event',
        records: [
          // bob: suspended by mistake, reinstated 17 minutes later.
          suspension('bob@acme.example', '2026-02-10T09:00:00Z'),
          reinstatement('2026-02-10T09:17:00Z', 'bob@acme.example'),
          // carol: reinstated only after three days, past the grace: her suspension lasted, she is a leaver (judged on the inventories before her return, which still show her).
          suspension('carol@acme.example', '2026-02-09T09:00:00Z'),
          reinstatement('2026-02-12T09:00:00Z', 'carol@acme.example'),
          // alice: HR records her leaving (below); a reinstatement in the directory does not undo that.
          reinstatement('2026-02-10T09:05:00Z', 'alice@acme.example'),
        ],
      },
      { stream: 'hr/lifecycle', type: 'event', records: [personnelRecord('hr:export', 'E-1:leaver', { person: { email: 'alice@acme.example', name: 'Alice', id: 'E-1' }, effectiveAt: '2026-02-10T09:00:00Z' })] },
    ]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`alice@acme.example @ ${GH}`, 'exception'],
      [`alice@acme.example @ ${GW}`, 'exception'],
      [`bob@acme.example @ ${GW}`, 'not-assessable'],
      [`carol@acme.example @ ${GH}`, 'exception'],
      [`carol@acme.example @ ${GW}`, 'exception'],
    ]);
    const bob = findings.find((finding) => finding.item === 'bob@acme.example')!;
    expect(bob.reason).toBe(
      'google-workspace admin audit log: SUSPEND_USER at 2026-02-10T09:00:00.000Z was undone 17 minutes later at 2026-02-10T09:17:00.000Z by admin@acme.example, within the 24 h grace: not a leaver',
    );
    expect(bob.records).toHaveLength(2);
    // With no grace at all, bob's suspension counts as a departure and his reinstatement 17 minutes later as his return,
    // before the deadline: no inventory shows the departure, so neither system can be judged (never a pass).
    const strict = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD, { settings: { graceHours: 0 } });
    const bobStrict = strict.filter((finding) => finding.item === 'bob@acme.example');
    expect(bobStrict.map((finding) => finding.status)).toEqual(['not-assessable', 'not-assessable']);
    expect(bobStrict[0]!.reason).toContain('rejoined on 2026-02-10T09:17:00.000Z, so the inventories from then on are not judged');
  });

  it('takes an undeleted account as a reversal within the grace and as a return after it, unless HR recorded the departure', async () => {
    const deletion = (email: string, at: string) =>
      personnelRecord(GW, `delete:${email}:${at}`, { person: { email, name: null, id: null }, effectiveAt: at, source: 'google-workspace admin audit log: DELETE_USER' });
    // carol and dave are gone from both systems from February 3rd to 9th, and back from the 10th (dave's mailbox reopened after HR's leaver).
    for (let day = 1; day <= 14; day++) {
      const away = day >= 3 && day <= 9;
      const names = ['alice', 'bob', ...(away ? [] : ['carol', 'dave'])];
      const at = `2026-02-${String(day).padStart(2, '0')}T02:00:00Z`;
      await synthetic.run(at, [
        { stream: 'github/members', type: 'state', records: names.map((name) => accountRecord(GH, name, { email: `${name}@acme.example` })) },
        { stream: 'workspace/users', type: 'state', records: names.map((name) => accountRecord(GW, `${name}@acme.example`, { email: `${name}@acme.example`, accountType: 'user' })) },
      ]);
    }
    await synthetic.run('2026-02-14T03:00:00Z', [
      {
        stream: 'workspace/user_lifecycle',
        type: 'event',
        records: [
          deletion('bob@acme.example', '2026-02-10T09:00:00Z'),
          reinstatement('2026-02-10T09:10:00Z', 'bob@acme.example', 'UNDELETE_USER'),
          deletion('carol@acme.example', '2026-02-02T09:00:00Z'),
          reinstatement('2026-02-09T12:00:00Z', 'carol@acme.example', 'UNDELETE_USER'),
          deletion('dave@acme.example', '2026-02-02T09:00:00Z'),
          reinstatement('2026-02-09T12:00:00Z', 'dave@acme.example', 'UNDELETE_USER'),
        ],
      },
      { stream: 'hr/lifecycle', type: 'event', records: [personnelRecord('hr:export', 'E-4:leaver', { person: { email: 'dave@acme.example', name: 'Dave', id: 'E-4' }, effectiveAt: '2026-02-02T09:00:00Z' })] },
    ]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`bob@acme.example @ ${GW}`, 'not-assessable'],
      [`carol@acme.example @ ${GH}`, 'pass'],
      [`carol@acme.example @ ${GW}`, 'pass'],
      [`dave@acme.example @ ${GH}`, 'exception'],
      [`dave@acme.example @ ${GW}`, 'exception'],
    ]);
  });

  it('says nobody left when the only suspension was reversed, and still lists it', async () => {
    await everyoneStays();
    await synthetic.run('2026-02-14T03:00:00Z', [
      { stream: 'workspace/user_lifecycle', type: 'event', records: [suspension('bob@acme.example', '2026-02-10T09:00:00Z'), reinstatement('2026-02-10T09:17:00Z', 'bob@acme.example')] },
    ]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`(no leaver) @ ${GH}`, 'not-assessed'],
      [`(no leaver) @ ${GW}`, 'not-assessed'],
      [`bob@acme.example @ ${GW}`, 'not-assessable'],
    ]);
  });
});

describe('leavers-deprovisioned and accounts no leaver can be traced to', () => {
  it('passes a leaver with no account in a system, naming the personal accounts there that carry no email, SSO identity or alias', async () => {
    await synthetic.run('2026-02-12T02:00:00Z', [
      {
        stream: 'aws/iam_users',
        type: 'state',
        records: [
          accountRecord(AWS, 'jdoe'),
          accountRecord(AWS, 'ops1'),
          accountRecord(AWS, 'erin.admin', { email: 'erin@acme.example' }),
          accountRecord(AWS, 'deploy', { accountType: 'service' }),
          accountRecord(AWS, 'bob-aws'),
        ],
      },
      { stream: 'hr/lifecycle', type: 'event', records: [personnelRecord('hr:export', 'E-9:leaver', { person: { email: 'zoe@acme.example', name: 'Zoe', id: 'E-9' }, effectiveAt: '2026-02-10T00:00:00Z' })] },
    ]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD, { aliases: { 'bob@acme.example': ['bob-aws'] } });
    expect(findings.map((finding) => [finding.item, finding.status, finding.reason])).toEqual([
      [
        'zoe@acme.example',
        'pass',
        `left on 2026-02-10T00:00:00.000Z; no account of theirs in the inventories of ${AWS} from 2026-02-12T02:00:00.000Z to 2026-02-12T02:00:00.000Z; 2 active account(s) there carry no email, SSO identity or alias (jdoe, ops1), so an account of theirs among them would not be found (add an owner tag or people.aliases)`,
      ],
    ]);
  });
});

describe('invitations not yet accepted', () => {
  it('lists an account seen only as an invitation for MFA, and judges it once it was ever active', async () => {
    const SLACK = 'slack:acme';
    for (const [at, erinStatus] of [['2026-02-10T02:00:00Z', 'invited'], ['2026-02-11T02:00:00Z', 'active']] as const) {
      await synthetic.run(at, [
        {
          stream: 'slack/users',
          type: 'state',
          records: [
            accountRecord(SLACK, 'U1', { email: 'new@acme.example', status: 'invited', mfa: 'disabled', createdAt: '2026-02-09T10:00:00Z' }),
            accountRecord(SLACK, 'U2', { email: 'erin@acme.example', status: erinStatus, mfa: 'disabled' }),
          ],
        },
      ]);
    }
    const findings = await findingsOf(mfaEnabled, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`U1 <new@acme.example> @ ${SLACK}`, 'not-assessable'],
      [`U2 <erin@acme.example> @ ${SLACK}`, 'exception'],
    ]);
    expect(findings.find((finding) => finding.item.startsWith('U1 '))!.reason).toBe('invited on 2026-02-09T10:00:00Z, not yet accepted in any inventory: MFA applies once the invitation is accepted');
  });
});

describe('service identities and console MFA', () => {
  it('judges console MFA only for people who can sign in to a console', async () => {
    await synthetic.run('2026-02-10T02:00:00Z', [
      {
        stream: 'aws/iam_users',
        type: 'state',
        records: [
          accountRecord(AWS, 'deploy', { accountType: 'service', mfa: 'disabled', attributes: { consoleAccess: false, serviceBecause: 'access keys and no console password' } }),
          accountRecord(AWS, 'no-console', { mfa: 'disabled', attributes: { consoleAccess: false } }),
          accountRecord(AWS, 'dave', { mfa: 'disabled', attributes: { consoleAccess: true } }),
        ],
      },
    ]);
    const findings = await findingsOf(mfaEnabled, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`dave @ ${AWS}`, 'exception'],
      [`deploy @ ${AWS}`, 'not-assessable'],
      [`no-console @ ${AWS}`, 'not-assessable'],
    ]);
    expect(findings.find((finding) => finding.item === 'deploy')!.reason).toBe('service account (access keys and no console password): MFA does not apply (setting exemptAccountTypes)');
    // When service accounts are judged after all, the account without a console still is not.
    const judged = await findingsOf(mfaEnabled, synthetic.locker, PERIOD, { settings: { exemptAccountTypes: [] } });
    expect(verdicts(judged).map(([, status]) => status)).toEqual(['exception', 'not-assessable', 'not-assessable']);
  });
});

describe('one finding per account and check', () => {
  it("judges an administrator Google reports in users and admin_roles once, from both streams' observations", async () => {
    const admin = (key: string, stream: 'users' | 'roles') =>
      accountRecord(GW, 'root-admin@acme.example', { email: 'root-admin@acme.example', accountType: stream === 'users' ? 'user' : 'admin_role_holder', mfa: 'disabled', privileged: true });
    await synthetic.run('2026-02-10T02:00:00Z', [
      { stream: 'workspace/users', type: 'state', records: [{ ...admin('user:1', 'users'), key: 'user:1' }, accountRecord(GW, 'ann@acme.example', { email: 'ann@acme.example' })] },
      { stream: 'workspace/admin_roles', type: 'state', records: [{ ...admin('role-holder:user:1', 'roles'), key: 'role-holder:user:1' }] },
      { stream: 'github/members', type: 'state', records: [accountRecord(GH, 'root-admin', { email: 'root-admin@acme.example', mfa: 'disabled' }), accountRecord(GH, 'stray', { mfa: 'disabled' })] },
    ]);
    const mfa = await findingsOf(mfaEnabled, synthetic.locker, PERIOD);
    expect(verdicts(mfa)).toEqual([
      [`ann@acme.example <ann@acme.example> @ ${GW}`, 'pass'],
      [`root-admin <root-admin@acme.example> @ ${GH}`, 'exception'],
      [`root-admin@acme.example <root-admin@acme.example> @ ${GW}`, 'exception'],
      [`stray @ ${GH}`, 'exception'],
    ]);
    // The one finding rests on both streams' records.
    expect(mfa.find((finding) => finding.system === GW && finding.status === 'exception')!.records).toHaveLength(2);
    const owners = await findingsOf(accountsHaveOwner, synthetic.locker, PERIOD);
    expect(owners.filter((finding) => finding.system === GW)).toHaveLength(2);
    expect(verdicts(owners.filter((finding) => finding.system === GH))).toEqual([
      [`root-admin <root-admin@acme.example> @ ${GH}`, 'pass'],
      [`stray @ ${GH}`, 'exception'],
    ]);
  });

  it('keeps accounts one stream reports under the same id apart (the one-stream path merges nothing)', async () => {
    const deploy = (key: string, mfa: 'enabled' | 'disabled') => ({ ...accountRecord(GW, 'deploy@acme.example', { email: 'deploy@acme.example', mfa }), key });
    await synthetic.run('2026-02-10T02:00:00Z', [{ stream: 'workspace/users', type: 'state', records: [deploy('user:1', 'disabled'), deploy('user:2', 'enabled')] }]);
    const mfa = await findingsOf(mfaEnabled, synthetic.locker, PERIOD);
    expect(mfa.filter((finding) => finding.system === GW).map((finding) => [finding.status, finding.records.length]).sort()).toEqual([
      ['exception', 1],
      ['pass', 1],
    ]);
  });
});
