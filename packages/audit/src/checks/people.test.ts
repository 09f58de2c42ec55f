/** Matching people across systems, and the leaver and account-owner checks built on it. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import accountsHaveOwner from './library/accounts-have-owner.js';
import leaversDeprovisioned from './library/leavers-deprovisioned.js';
import { PeopleDirectory } from './people.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { accountRecord, personnelRecord } from './synthetic-records.js';
import { findingsOf, verdicts } from './test-support.js';

const GH = 'github:acme';
const GW = 'google-workspace:acme.example';
const SLACK = 'slack:acme';
const PERIOD = '2026-02-01..2026-02-28';
const ALIASES = { 'bob@acme.example': ['bob-gh', 'Bob.Personal@Example.com'] };

describe('PeopleDirectory', () => {
  it('matches identifiers case-insensitively through aliases and identifiers registered together', () => {
    const people = new PeopleDirectory(ALIASES);
    expect(people.personOf(['BOB-GH'])).toBe('bob@acme.example');
    expect(people.personOf(['bob.personal@example.com'])).toBe('bob@acme.example');
    expect(people.personOf(['carol'])).toBeNull();
    const copy = people.clone();
    expect(copy.register(['E-7', 'carol@acme.example'])).toBe('e-7');
    expect(copy.personOf(['carol@acme.example'])).toBe('e-7');
    expect(people.personOf(['carol@acme.example'])).toBeNull();
    expect(people.samePerson(['bob-gh'], ['bob@acme.example'])).toBe(true);
    expect(people.samePerson(['bob-gh'], ['alice'])).toBe(false);
  });
});

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

/** Daily inventories at 02:00 of GitHub, Google Workspace and Slack, from `from` to `to` (days in February), shaped by `accounts(day)`. */
async function daily(from: number, to: number, accounts: (day: number) => { github: string[]; workspace: string[]; slack: string[] }) {
  for (let day = from; day <= to; day++) {
    const at = `2026-02-${String(day).padStart(2, '0')}T02:00:00Z`;
    const { github, workspace, slack } = accounts(day);
    await synthetic.run(at, [
      { stream: 'github/members', type: 'state', records: github.map((login) => accountRecord(GH, login, login === 'bob-gh' ? {} : { email: `${login}@acme.example` })) },
      { stream: 'workspace/users', type: 'state', records: workspace.map((name) => accountRecord(GW, `${name}@acme.example`, { email: `${name}@acme.example`, accountType: 'user' })) },
      { stream: 'slack/users', type: 'state', records: slack.map((name) => accountRecord(SLACK, name.split(':')[0]!, { email: `${name.split(':')[0]}@acme.example`, status: name.endsWith(':off') ? 'suspended' : 'active' })) },
    ]);
  }
}

describe('leavers-deprovisioned', () => {
  it("judges each leaver's accounts per system from the inventories after the effective date", async () => {
    // bob leaves on 10 Feb (HR) and the directory suspends him the same day; dana leaves on 20 Feb; erin's Slack account was suspended before she left on 9 Feb.
    await daily(8, 24, (day) => ({
      github: ['alice', ...(day <= 11 ? ['bob-gh'] : []), ...(day <= 21 ? ['dana'] : [])],
      workspace: ['alice', ...(day <= 10 ? ['bob'] : []), ...(day <= 20 ? ['dana'] : [])],
      slack: ['alice', day <= 25 ? 'dana' : 'dana:off', 'erin:off'],
    }));
    await synthetic.run('2026-02-28T02:00:00Z', [
      {
        stream: 'hr/lifecycle',
        type: 'event',
        records: [
          personnelRecord('hr:export', 'E-2:leaver', { person: { email: 'bob@acme.example', name: 'Bob', id: 'E-2' }, effectiveAt: '2026-02-10T00:00:00Z' }),
          personnelRecord('google-workspace:acme.example', 'suspend-bob', { person: { email: 'bob@acme.example', name: null, id: null }, effectiveAt: '2026-02-10T09:00:00Z', source: 'directory' }),
          personnelRecord('hr:export', 'E-4:leaver', { person: { email: 'dana@acme.example', name: 'Dana', id: 'E-4' }, effectiveAt: '2026-02-20T00:00:00Z' }),
          personnelRecord('hr:export', 'E-5:leaver', { person: { email: 'erin@acme.example', name: 'Erin', id: 'E-5' }, effectiveAt: '2026-02-09T00:00:00Z' }),
          personnelRecord('hr:export', 'E-6:leaver', { person: { email: 'frank@acme.example', name: 'Frank', id: 'E-6' }, effectiveAt: '2026-02-12T00:00:00Z' }),
          personnelRecord('hr:export', 'E-1:joiner', { person: { email: 'alice@acme.example', name: 'Alice', id: 'E-1' }, type: 'joiner' }),
        ],
      },
    ]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD, { aliases: ALIASES });
    expect(verdicts(findings)).toEqual([
      // Bob's HR ticket and directory suspension are one leaver; his GitHub login is matched through the alias.
      [`bob@acme.example @ ${GH}`, 'exception'],
      // The directory's own suspension at 09:00 dates the removal the two inventories around the deadline cannot.
      [`bob@acme.example @ ${GW}`, 'pass'],
      [`bob@acme.example @ ${SLACK}`, 'pass'],
      [`dana@acme.example @ ${GH}`, 'exception'],
      [`dana@acme.example @ ${GW}`, 'not-assessable'],
      [`dana@acme.example @ ${SLACK}`, 'exception'],
      [`erin@acme.example @ ${GH}`, 'pass'],
      [`erin@acme.example @ ${GW}`, 'pass'],
      [`erin@acme.example @ ${SLACK}`, 'pass'],
      // A leaver without accounts passes per system whose inventories were searched, never once for "no system".
      [`frank@acme.example @ ${GH}`, 'pass'],
      [`frank@acme.example @ ${GW}`, 'pass'],
      [`frank@acme.example @ ${SLACK}`, 'pass'],
    ]);
    const reason = (item: string, system: string | null) => findings.find((f) => f.item === item && f.system === system)!.reason;
    expect(reason('bob@acme.example', GH)).toBe('left on 2026-02-10T00:00:00.000Z, deadline 2026-02-11T00:00:00.000Z; account bob-gh still active in the inventory of 2026-02-11T02:00:00.000Z');
    expect(reason('bob@acme.example', GW)).toContain('removed by directory at 2026-02-10T09:00:00.000Z, between the inventories of 2026-02-10T02:00:00.000Z and 2026-02-11T02:00:00.000Z');
    expect(reason('erin@acme.example', SLACK)).toContain('no active account already in the inventory of 2026-02-08T02:00:00.000Z');
    expect(reason('frank@acme.example', SLACK)).toBe('left on 2026-02-12T00:00:00.000Z; no account of theirs in the inventories of slack:acme from 2026-02-08T02:00:00.000Z to 2026-02-24T02:00:00.000Z');
    // With a two-day SLA the directory accounts were removed in time, and GitHub's removal day straddles the deadline.
    const lenient = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD, { aliases: ALIASES, settings: { slaHours: 48 } });
    const lenientStatus = (item: string, system: string) => lenient.find((f) => f.item === item && f.system === system)!.status;
    expect([lenientStatus('bob@acme.example', GW), lenientStatus('dana@acme.example', GW), lenientStatus('dana@acme.example', GH)]).toEqual(['pass', 'pass', 'not-assessable']);
    // The findings rest on the leaver records and the account records.
    expect(findings.find((f) => f.item === 'bob@acme.example' && f.system === GH)!.records.length).toBeGreaterThan(2);
  });

  it('is not assessable before any inventory after the effective date exists', async () => {
    await daily(8, 9, () => ({ github: ['dana'], workspace: [], slack: [] }));
    await synthetic.run('2026-02-09T03:00:00Z', [
      { stream: 'hr/lifecycle', type: 'event', records: [personnelRecord('hr:export', 'E-4:leaver', { person: { email: 'dana@acme.example', name: 'Dana', id: 'E-4' }, effectiveAt: '2026-02-20T00:00:00Z' })] },
    ]);
    const findings = await findingsOf(leaversDeprovisioned, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.system, f.status, f.reason])).toEqual([
      // The one leaver could not be judged yet, so nothing was: the check is not assessed, never a pass.
      [null, 'not-assessed', 'nothing judged in the period: all 1 item(s) from hr/lifecycle, github/members are not assessable (see each)'],
      [GH, 'not-assessable', expect.stringContaining('no inventory of the system after the effective date yet')],
    ]);
  });
});

describe('accounts-have-owner', () => {
  it('lists every active account that matches no known person', async () => {
    await daily(10, 10, () => ({ github: ['alice', 'bob-gh', 'mallory'], workspace: ['alice', 'bob'], slack: ['alice', 'trent:off'] }));
    await synthetic.run('2026-02-10T03:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord(GH, 'alice', { email: 'alice@acme.example' }), accountRecord(GH, 'ci[bot]', { accountType: 'bot' }), accountRecord(GH, 'bob-gh'), accountRecord(GH, 'mallory')] }]);
    const findings = await findingsOf(accountsHaveOwner, synthetic.locker, PERIOD, { aliases: ALIASES });
    expect(verdicts(findings)).toEqual([
      [`alice <alice@acme.example> @ ${GH}`, 'pass'],
      [`alice <alice@acme.example> @ ${SLACK}`, 'pass'],
      [`alice@acme.example <alice@acme.example> @ ${GW}`, 'pass'],
      [`bob-gh @ ${GH}`, 'pass'],
      [`bob@acme.example <bob@acme.example> @ ${GW}`, 'pass'],
      [`ci[bot] @ ${GH}`, 'not-assessable'],
      [`mallory @ ${GH}`, 'exception'],
    ]);
    // Without the directory, alice is known to nobody.
    const noDirectory = await findingsOf(accountsHaveOwner, synthetic.locker, PERIOD, { aliases: ALIASES, settings: { directorySystems: [] } });
    expect(noDirectory.filter((f) => f.status === 'exception').map((f) => f.item).sort()).toEqual(['alice <alice@acme.example>', 'alice <alice@acme.example>', 'alice@acme.example <alice@acme.example>', 'mallory']);
  });
});
