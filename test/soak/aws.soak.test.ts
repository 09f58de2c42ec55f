/**
 * Thirty-two daily runs of the AWS connector's three streams (iam_users,
 * account_config, cloudtrail_events) through the real runner, the official
 * SDK v3 clients and the locker, against the simulated account
 * (connectors/aws/src/simulator.ts) in two regions: users listed in pages of
 * four, events in pages of four per query and region, a credential report
 * generated per run, the real LookupEvents pacing (with the harness's sleep).
 * Users are added, removed and changed, access keys are rotated, added and
 * deleted (ListAccessKeys is counted: only a new or rotated key is listed
 * again), groups, the password policy and the trails change, and events arrive every day, one of them late into the
 * previous run's overlap. Injected: a page served twice (users and events),
 * an insertion while paging (users and events), a user listing cut short
 * while the credential report has everyone (partial), and a user created
 * between the report and the listing (partial, named). After every run the
 * locker holds what the account held when the run read it, unchanged items
 * add no record row, and every event is stored once. AWS's IAM and
 * CloudTrail APIs answer no conditional requests, so there are no ETags here.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Locker } from '@evidentia/locker';
import { accessKeyIdOf, SimulatedAccount, TYPICAL_GROUPS, TYPICAL_POLICIES, trailArn, userArn, type AccountState, type SimEvent, type SimUser } from '../../connectors/aws/src/simulator.js';
import { heldRecords, soak, streamOf, type SoakDay } from './harness.js';
import { seededRandom as random } from '@evidentia/testing';

const DAY = 86_400_000;
const START = new Date('2026-07-01T06:00:00Z');
const RUNS = 32;
const ACCOUNT = '123456789012';
const REGIONS = ['us-east-1', 'eu-west-1'];
const STREAMS = ['aws/iam_users', 'aws/account_config', 'aws/cloudtrail_events'];
const REPEAT_RUNS = [4, 23];
const SHIFT_RUNS = [7, 23];
const TRUNCATE_RUN = 11;
const LATE_USER_RUN = 14;

const rand = random(12);
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();

function user(name: string, i: number, createdMs: number): SimUser {
  return {
    name,
    createdAt: iso(createdMs),
    groups: [['Developers', 'Support', 'Admins', 'Platform'][i % 4]!],
    managed: i % 5 === 0 ? ['ci-deploy'] : [],
    inline: i % 6 === 0 ? [`inline-${name}`] : [],
    mfa: i % 3 !== 0,
    password: i % 4 === 3 ? null : { changedAt: iso(createdMs + DAY), lastUsedAt: iso(createdMs + 2 * DAY) },
    accessKey: i % 2 === 0 ? { active: true, rotatedAt: iso(createdMs + 3 * DAY), lastUsedAt: null } : null,
  };
}

let eventSeq = 0;
function event(at: number, region: string): SimEvent {
  const login = rand() < 0.4;
  const n = ++eventSeq;
  return {
    id: `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`,
    at: iso(at),
    region,
    source: login ? 'signin.amazonaws.com' : 'iam.amazonaws.com',
    name: login ? 'ConsoleLogin' : ['CreateUser', 'AttachUserPolicy', 'CreateAccessKey', 'DeleteUser'][n % 4]!,
    actor: `u-${String(n % 14).padStart(3, '0')}`,
    target: login ? null : `u-${String((n + 1) % 14).padStart(3, '0')}`,
    failed: n % 9 === 0,
  };
}

/** At least 13 events per query and region between `from` and `to`: four pages of four. */
function eventsBetween(from: number, to: number): SimEvent[] {
  return REGIONS.flatMap((region) => Array.from({ length: 32 }, () => event(from + Math.floor(rand() * (to - from)), region)));
}

function seed(): AccountState {
  const created = START.getTime() - 400 * DAY;
  return {
    accountId: ACCOUNT,
    users: Array.from({ length: 14 }, (_, i) => user(`u-${String(i).padStart(3, '0')}`, i, created + i * DAY)),
    groups: structuredClone(TYPICAL_GROUPS),
    policies: structuredClone(TYPICAL_POLICIES),
    passwordPolicy: { minimumLength: 14 },
    trails: [
      { name: 'org-trail', homeRegion: 'us-east-1', multiRegion: true, logging: true, latestDeliveryTime: '2026-06-30T23:55:00.000Z' },
      { name: 'eu-app', homeRegion: 'eu-west-1', multiRegion: false, logging: true, latestDeliveryTime: '2026-06-30T23:50:00.000Z' },
    ],
    events: eventsBetween(START.getTime() - 89 * DAY, START.getTime() - 60_000),
  };
}

/** What an iam_users record must say about a user, from the account's users, groups and policies. */
function expectedUser(state: AccountState, u: SimUser): Record<string, unknown> {
  const groups = u.groups.map((name) => state.groups.find((g) => g.name === name)!);
  const policies = [...u.managed, ...u.inline, ...groups.flatMap((g) => [...g.managed, ...g.inline])];
  const privileged = policies.some((name) => /admin/i.test(name) || state.policies.some((p) => p.name === name && p.grantsEverything));
  const credentials = [
    ...(u.password ? [{ id: 'password', type: 'password', status: 'active', createdAt: u.password.changedAt, lastUsedAt: u.password.lastUsedAt }] : []),
    ...(u.accessKey ? [{ id: 'access_key_1', type: 'access_key', status: u.accessKey.active ? 'active' : 'inactive', createdAt: u.accessKey.rotatedAt, lastUsedAt: u.accessKey.lastUsedAt, lastFour: accessKeyIdOf(u.name, u.accessKey.rotatedAt).slice(-4) }] : []),
  ];
  const roles = [...new Set([...policies, ...groups.map((g) => `group:${g.name}`)])].sort();
  return { createdAt: u.createdAt, mfa: u.mfa ? 'enabled' : 'disabled', privileged, roles, credentials };
}
const heldUser = (d: Record<string, unknown>) => ({ createdAt: d.createdAt, mfa: d.mfa, privileged: d.privileged, roles: d.roles, credentials: d.credentials });

/** What account_config must hold: the password policy, each trail, each region no trail covers. */
function expectedConfig(state: AccountState): Map<string, unknown> {
  const expected = new Map<string, unknown>([[`${ACCOUNT}:password_policy`, state.passwordPolicy ? { present: true, min: state.passwordPolicy.minimumLength } : { present: false }]]);
  for (const t of state.trails) expected.set(trailArn(ACCOUNT, t), { present: true, logging: t.logging });
  for (const region of REGIONS) if (!state.trails.some((t) => t.homeRegion === region || t.multiRegion)) expected.set(`${ACCOUNT}:${region}:trail`, { present: false });
  return expected;
}
function heldConfig(data: Record<string, unknown>): unknown {
  const settings = data.settings as Record<string, unknown>;
  if (data.present !== true) return { present: false };
  return data.setting === 'password_policy' ? { present: true, min: settings.minimumPasswordLength } : { present: true, logging: settings.isLogging };
}

/** Record rows of a stream in the locker's database, read behind the locker's back. */
function recordRows(locker: Locker, stream: string): number {
  const db = new Database(join(locker.dir, 'locker.db'), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM records WHERE stream = ?').pluck().get(stream) as number;
  } finally {
    db.close();
  }
}

/** Keys whose expected content is new or differs from the previous complete run's: each is one new record row. */
function changed(before: Map<string, string>, after: Map<string, string>): number {
  return [...after].filter(([key, value]) => before.get(key) !== value).length;
}

describe('AWS: 32 daily runs against the simulated account', () => {
  let sim: SimulatedAccount;
  beforeAll(async () => {
    sim = await SimulatedAccount.start(seed(), { iamPageSize: 4, eventPageSize: 4 });
  });
  afterAll(() => sim.close());

  it('holds what the account holds after every run, stores change not repetition, and is partial (never complete) on a shortfall', async () => {
    const state = sim.state;
    let previousRun = START.getTime() - DAY;
    let userSeq = 100;
    let expectedUsers = new Map<string, string>();
    let expectedConfigs = new Map<string, string>();
    const rows = { iam: 0, config: 0 };
    /** Runs whose state streams changed nothing: they must add no record row. */
    const unchanged = new Set<number>();
    /** Each user's key (its creation time) as the last run that read the user's report row saw it. */
    const keysSeen = new Map<string, string | null>();
    let keyListings = 0;

    const beforeRun = (run: number, now: Date) => {
      sim.now = now;
      if (run > 1) {
        state.events.push(...eventsBetween(previousRun, now.getTime()));
        // Delivered late: it happened before the previous run ended and is read in this run's overlap.
        state.events.push(event(previousRun - 20 * 60_000, 'us-east-1'));
      }
      previousRun = now.getTime();
      let edited = run === 1 || run % 3 === 0;
      if (run > 1 && run % 3 === 0) {
        const i = userSeq++;
        state.users.push(user(`u-${i}`, i, now.getTime() - DAY));
        state.users.splice(state.users.findIndex((u) => !u.name.startsWith('a-')), 1);
        const target = state.users[run % state.users.length]!;
        target.mfa = !target.mfa;
        if (target.accessKey) target.accessKey = { ...target.accessKey, lastUsedAt: iso(now.getTime() - 3_600_000) };
        // A key rotated (a new ID), or a first key for a user without one.
        const keyed = state.users[(run * 5) % state.users.length]!;
        keyed.accessKey = { active: true, rotatedAt: iso(now.getTime() - 7_200_000), lastUsedAt: null };
      }
      // A key deleted.
      if (run === 20) state.users.find((u) => u.accessKey)!.accessKey = null;
      if (run === 5) state.users.find((u) => !u.groups.includes('Admins'))!.groups.push('Admins');
      if (run === 10) {
        state.passwordPolicy = { minimumLength: 16 };
        state.trails[1] = { ...state.trails[1]!, logging: false };
      }
      if (run === 16) state.trails = state.trails.filter((t) => t.name !== 'org-trail');
      if (run === 18) {
        state.trails.unshift({ name: 'org-trail', homeRegion: 'us-east-1', multiRegion: true, logging: true, latestDeliveryTime: '2026-07-18T05:55:00.000Z' });
        state.passwordPolicy = null;
      }
      if (run === 20) state.passwordPolicy = { minimumLength: 12 };
      edited ||= [5, 10, 16, 18, 20].includes(run) || SHIFT_RUNS.includes(run - 1) || run === LATE_USER_RUN || run === LATE_USER_RUN + 1;
      if (!edited) unchanged.add(run);
      for (const list of ['users', 'events'] as const) {
        if (REPEAT_RUNS.includes(run)) sim.faults.repeatPage.add(list);
        if (SHIFT_RUNS.includes(run)) sim.faults.shiftWhilePaging.add(list);
      }
      if (run === TRUNCATE_RUN) sim.faults.truncateUsers = true;
      if (run === LATE_USER_RUN) sim.faults.userAfterReport = user(`u-late`, 7, now.getTime());
    };

    const afterRun = async ({ run, now, manifest, locker }: SoakDay) => {
      const status = Object.fromEntries(STREAMS.map((s) => [s, streamOf(manifest, s).status]));
      const iamPartial = run === TRUNCATE_RUN || run === LATE_USER_RUN;
      expect({ run, status }).toEqual({ run, status: { 'aws/iam_users': iamPartial ? 'partial' : 'complete', 'aws/account_config': 'complete', 'aws/cloudtrail_events': 'complete' } });
      const iam = streamOf(manifest, 'aws/iam_users');
      const itemGaps = iam.itemGaps ?? [];
      const before = { ...rows };

      // iam_users: the users of the credential report the run read (the same as IAM holds, unless a user was inserted while paging).
      const iamRows = recordRows(locker, 'aws/iam_users');
      if (run === TRUNCATE_RUN) {
        const missing = state.users.map((u) => u.name).sort().slice(4);
        expect(iam.error).toMatch(new RegExp(`^received 5 of ${state.users.length + 1} IAM users and root account of acme-prod \\(the rows of the credential report generated ${now.toISOString()}\\)`));
        expect(itemGaps.map((g) => g.item).sort()).toEqual(missing.map((name) => `IAM user ${userArn(ACCOUNT, name)}`).sort());
        expect(itemGaps[0]!.reason).toBe(`in the credential report generated ${now.toISOString()} but not listed by GetAccountAuthorizationDetails (deleted since the report, or the listing is incomplete)`);
        expect(iamRows - rows.iam).toBe(0);
      } else if (run === LATE_USER_RUN) {
        const late = state.users.find((u) => u.name === 'u-late')!;
        expect(itemGaps).toEqual([
          {
            item: `IAM user ${userArn(ACCOUNT, 'u-late')}`,
            reason: `created ${new Date(late.createdAt).toISOString()}, after the credential report was generated (${now.toISOString()}): its password, MFA and access keys are unknown until a report generated after it`,
            inScope: true,
          },
        ]);
        expect(iam.error).toContain(`received ${state.users.length + 1} of ${state.users.length} IAM users and root account`);
        // Only the late user, with MFA unknown, is new.
        expect(iamRows - rows.iam).toBe(1);
      } else {
        expect(itemGaps).toEqual([]);
        const reported = sim.reportedUsers;
        if (!SHIFT_RUNS.includes(run)) expect(reported.map((u) => u.name).sort()).toEqual(state.users.map((u) => u.name).sort());
        const held = await heldRecords(locker, 'aws/iam_users');
        expect(held.map((r) => r.key).sort()).toEqual([...reported.map((u) => userArn(ACCOUNT, u.name)), `${ACCOUNT}:root`].sort());
        const expected = new Map(reported.map((u) => [userArn(ACCOUNT, u.name), JSON.stringify(expectedUser(state, u))]));
        expected.set(`${ACCOUNT}:root`, 'root');
        for (const record of held.filter((r) => r.data.accountType === 'user')) expect({ run, key: record.key, data: heldUser(record.data) }).toEqual({ run, key: record.key, data: JSON.parse(expected.get(record.key)!) });
        expect(iam.apiTotal).toBe(reported.length + 1);
        expect({ run, added: iamRows - rows.iam }).toEqual({ run, added: changed(expectedUsers, expected) });
        expectedUsers = expected;
      }
      rows.iam = iamRows;

      // ListAccessKeys only for a user whose key is new since the run before read the user's row: an unchanged key's
      // last four come from the listing its earlier record rests on (the records' lastFour are checked above).
      const listings = sim.requests.get('iam:ListAccessKeys') ?? 0;
      const keyChanged = sim.reportedUsers.filter((u) => u.accessKey && keysSeen.get(u.name) !== u.accessKey.rotatedAt).map((u) => u.name);
      expect({ run, listed: listings - keyListings }).toEqual({ run, listed: keyChanged.length });
      if (run > 1) expect(keyChanged.length).toBeLessThan(4);
      keyListings = listings;
      for (const u of sim.reportedUsers) keysSeen.set(u.name, u.accessKey?.rotatedAt ?? null);

      // account_config: the password policy and trails as they are now.
      const configs = await heldRecords(locker, 'aws/account_config');
      const wanted = expectedConfig(state);
      expect(new Map(configs.map((r) => [r.key, heldConfig(r.data)]))).toEqual(wanted);
      const configRows = recordRows(locker, 'aws/account_config');
      const wantedText = new Map([...wanted].map(([key, value]) => [key, JSON.stringify(value)]));
      expect({ run, added: configRows - rows.config }).toEqual({ run, added: changed(expectedConfigs, wantedText) });
      expectedConfigs = wantedText;
      rows.config = configRows;

      if (unchanged.has(run)) expect({ run, iam: iamRows, config: configRows }).toEqual({ run, iam: before.iam, config: before.config });

      // cloudtrail_events: every event of the collected range, each stored once (the overlap's re-reads add no row).
      const firstSince = START.getTime() - 90 * DAY;
      const events = state.events.filter((e) => Date.parse(e.at) >= firstSince && Date.parse(e.at) < now.getTime()).map((e) => e.id);
      const held = await heldRecords(locker, 'aws/cloudtrail_events');
      expect(held.map((r) => r.key).sort()).toEqual([...new Set(events)].sort());
      expect(recordRows(locker, 'aws/cloudtrail_events')).toBe(events.length);
    };

    const { manifests } = await soak({
      connectorsYaml: [
        '  aws:',
        '    config:',
        `      endpoint: ${sim.baseUrl}`,
        `      regions: [${REGIONS.join(', ')}]`,
        '      accounts:',
        '        - alias: acme-prod',
        '      credentials:',
        '        accessKeyId: ${env:AWS_ACCESS_KEY_ID}',
        '        secretAccessKey: ${env:AWS_SECRET_ACCESS_KEY}',
        '',
      ].join('\n'),
      env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
      runs: RUNS,
      start: START,
      beforeRun,
      afterRun,
    });
    expect(manifests).toHaveLength(RUNS);
    // The injected faults were all served.
    expect(sim.faults.repeatPage.size + sim.faults.shiftWhilePaging.size).toBe(0);
    expect(state.users.filter((u) => u.name.startsWith('a-newcomer-'))).toHaveLength(SHIFT_RUNS.length);
    expect(unchanged.size).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
