/**
 * Google Workspace, 30 days in a row: the real runner, config loader, SDK
 * fetch and locker collect all three streams once a day with the real
 * @googleapis/admin client against the simulated Admin SDK, while users join,
 * are suspended, deleted and restored, 2-step enrolment and roles change, and
 * audit events arrive late. Pages hold 10 users, roles or assignments (3 for
 * activities), so every list spans three pages or more; unchanged pages are
 * revalidated with ETags. Some days a page is served again with its own
 * token, or the users listing shifts while users are added and deleted
 * behind it. After every run the locker must hold exactly what the simulator
 * holds: the accounts with their status, 2SV and admin flags; the role holders
 * with their roles; every audit event of the collected range, each stored
 * once. One day the role listing is cut short: admin_roles must say partial
 * and name the missing roles, never complete.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Locker } from '@evidentia/locker';
import { AdminSdkSimulator, random, type Json } from '../../connectors/google-workspace/src/simulator.js';
import { heldRecords, soak, streamOf, type SoakDay } from './harness.js';

const RUNS = 30;
const START = new Date('2026-03-02T06:00:00Z');
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const COLLECTED = ['CREATE_USER', 'SUSPEND_USER', 'DELETE_USER', 'UNSUSPEND_USER', 'UNDELETE_USER', 'GRANT_ADMIN_PRIVILEGE', 'REVOKE_ADMIN_PRIVILEGE', 'ASSIGN_ROLE', 'UNASSIGN_ROLE'];
const USERS = 'google-workspace/users';
const ROLES = 'google-workspace/admin_roles';
const LIFECYCLE = 'google-workspace/user_lifecycle';
/** The run whose role listing is cut after its first page. */
const TRUNCATED_RUN = 20;

const sim = new AdminSdkSimulator({ pageSize: 10, activityPageSize: 3 });
const dir = sim.directory;
const rand = random(12);
const pick = <T>(items: T[]): T | undefined => items[Math.floor(rand() * items.length)];
const ago = (days: number) => new Date(START.getTime() - days * DAY_MS);
/** The two super admins from the start, who stay. */
const founders = new Set<string>();

/** The directory on day one: long-standing users, three months of joiners and leavers, admins and role holders. */
function seed(): void {
  const veterans = Array.from({ length: 45 }, () => dir.addUser(ago(400), { logged: false, twoStep: rand() < 0.85 }));
  for (const user of veterans) dir.change(user.id as string, { lastLoginTime: ago(rand() * 10).toISOString() });
  dir.change(veterans[3]!.id as string, { archived: true });
  const joiners = Array.from({ length: 20 }, (_, i) => dir.addUser(ago(85 - 4 * i)));
  dir.addUser(new Date(START.getTime() - HOUR_MS / 2));
  for (let i = 0; i < 5; i++) dir.suspend(veterans[10 + i]!.id as string, ago(60 - 10 * i));
  dir.remove(veterans[20]!.id as string, ago(30));
  dir.remove(joiners[2]!.id as string, ago(5));
  dir.remove(veterans[21]!.id as string, ago(4));
  for (const admin of veterans.slice(0, 2)) {
    dir.change(admin.id as string, { isAdmin: true });
    dir.assign(0, admin.id as string, null);
    founders.add(admin.id as string);
  }
  for (let i = 0; i < 12; i++) {
    const holder = veterans[25 + i]!;
    dir.change(holder.id as string, { isDelegatedAdmin: true });
    dir.assign(1 + ((i * 7) % 21), holder.id as string, null, i % 4 === 0 ? { orgUnit: `03ou${i}` } : {});
    if (i % 3 === 0) dir.assign(2 + ((i * 5) % 20), holder.id as string, null);
  }
  // Groups hold the custom roles, which sort after the first page of roles.
  dir.assign(22, '04groupsecurity', null, { group: true });
  dir.assign(23, '04groupsecurity', null, { group: true });
  dir.assign(24, '04grouphelpdesk', null, { group: true });
  dir.forgetOldDeletions(START);
}

const listed = () => [...dir.users.values()];
const idOf = (user: Json | undefined) => user?.id as string | undefined;

/** What happens in the directory between yesterday's run and today's. */
function changeDay(run: number, now: Date): void {
  const yesterday = now.getTime() - DAY_MS;
  const at = (hours: number) => new Date(yesterday + hours * HOUR_MS);
  const joiners = run === 10 ? 5 : 2;
  for (let i = 0; i < joiners; i++) dir.addUser(at(1 + i / 2), { twoStep: i % 2 === 0 });
  // Half an hour before the run: tomorrow's run reads it again in its one-hour overlap.
  dir.addUser(new Date(now.getTime() - HOUR_MS / 2));
  const active = () => listed().filter((u) => !u.suspended && !u.isAdmin && !(u.primaryEmail as string).startsWith('zz-'));
  const suspendee = idOf(pick(active()));
  if (suspendee) dir.suspend(suspendee, at(4));
  if (run % 3 === 0) {
    const back = idOf(pick(listed().filter((u) => u.suspended)));
    if (back) dir.unsuspend(back, at(5));
  }
  if (run % 2 === 0) {
    const leaver = idOf(pick(active()));
    if (leaver) dir.remove(leaver, at(6));
  }
  if (run % 4 === 0) {
    const restored = idOf(pick([...dir.deleted.values()]));
    if (restored) dir.restore(restored, at(7));
  }
  const enrolling = idOf(pick(listed()));
  if (enrolling) dir.change(enrolling, { isEnrolledIn2Sv: !dir.users.get(enrolling)!.isEnrolledIn2Sv });
  for (const user of [pick(listed()), pick(listed())]) if (user) dir.change(user.id as string, { lastLoginTime: at(8).toISOString() });
  if (run % 2 === 1) {
    const holder = idOf(pick(active()));
    if (holder) dir.assign(1 + Math.floor(rand() * 21), holder, at(9));
  }
  if (run % 3 === 1) {
    const userAssignments = [...dir.assignments.values()].filter((a) => a.assigneeType === 'user' && a.roleId !== '91000');
    const revoked = pick(userAssignments);
    if (revoked) dir.unassign(revoked.roleAssignmentId as string, at(10));
  }
  if (run % 5 === 0) {
    const promoted = idOf(pick(active()));
    if (promoted) dir.setSuperAdmin(promoted, true, at(11));
    const demoted = idOf(pick(listed().filter((u) => u.isAdmin && !founders.has(u.id as string))));
    if (demoted) dir.setSuperAdmin(demoted, false, at(11.5));
  }
  if (run % 3 === 2) {
    // Suspended 20 minutes before yesterday's run, but the Reports API shows it only now: inside today's one-hour overlap.
    const late = idOf(pick(active()));
    if (late) dir.suspend(late, new Date(yesterday - 20 * 60_000), now.getTime() - HOUR_MS);
  }
  dir.forgetOldDeletions(now);
}

function injectFaults(run: number): void {
  if (run === 4) sim.inject({ kind: 'repeat-page', list: 'users' });
  if (run === 6) for (const list of ['roles', 'roleassignments', 'holder-users'] as const) sim.inject({ kind: 'repeat-page', list });
  if (run === 8) sim.inject({ kind: 'shift-users' });
  if (run === 10) sim.inject({ kind: 'repeat-page', list: 'activities' });
  if (run === 12) {
    sim.inject({ kind: 'shift-users' });
    sim.inject({ kind: 'repeat-page', list: 'users' });
  }
  if (run === TRUNCATED_RUN) sim.inject({ kind: 'truncate', list: 'roles' });
}

const userStatus = (user: Json, deleted: boolean) => (deleted ? 'deleted' : user.suspended || user.archived ? 'suspended' : 'active');
const twoStep = (user: Json) => (user.isEnrolledIn2Sv ? 'enabled' : 'disabled');

/** users: every listed and recently deleted account, with the facts the records carry. */
function expectedAccounts(): Record<string, Json> {
  const accounts: Record<string, Json> = {};
  for (const [deleted, users] of [[false, dir.users], [true, dir.deleted]] as const) {
    for (const user of users.values()) {
      accounts[`user:${String(user.id)}`] = { email: user.primaryEmail, status: userStatus(user, deleted), mfa: twoStep(user), privileged: Boolean(user.isAdmin || user.isDelegatedAdmin) };
    }
  }
  return accounts;
}

/** admin_roles: one holder per user or group with role assignments, with its role labels and account facts. */
function expectedHolders(): Record<string, Json> {
  const holders: Record<string, Json> = {};
  for (const assignment of dir.assignments.values()) {
    const type = assignment.assigneeType as string;
    const key = `role-holder:${type}:${String(assignment.assignedTo)}`;
    const role = dir.roles.find((r) => r.roleId === assignment.roleId)!.roleName as string;
    const label = assignment.scopeType === 'ORG_UNIT' ? `${role} (org unit ${String(assignment.orgUnitId)})` : role;
    const user = type === 'user' ? dir.users.get(assignment.assignedTo as string) : undefined;
    const holder = holders[key] ?? { roles: [], email: user?.primaryEmail ?? null, status: user ? userStatus(user, false) : 'active', mfa: user ? twoStep(user) : 'unknown' };
    holder.roles = [...new Set([...(holder.roles as string[]), label])].sort();
    holders[key] = holder;
  }
  return holders;
}

async function heldFacts(locker: Locker, stream: string, fields: string[]): Promise<Record<string, Json>> {
  const held: Record<string, Json> = {};
  for (const record of await heldRecords(locker, stream)) {
    expect(held[record.key]).toBeUndefined();
    held[record.key] = Object.fromEntries(fields.map((field) => [field, record.data[field]]));
  }
  return held;
}

/** Rows the locker stored for a stream: an event read again in the overlap must not add one. */
function storedRows(locker: Locker, stream: string): number {
  const db = new Database(join(locker.dir, 'locker.db'), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM records WHERE stream = ?').pluck().get(stream) as number;
  } finally {
    db.close();
  }
}

/** Pages each list took in one run (first page included). */
function pagesServed(requests: typeof sim.requests, fragment: string): number {
  return requests.filter((r) => r.path.includes(fragment)).length;
}

let firstSince: Date;
let requestsBefore = 0;
/** Events a run read again in its overlap with the run before. */
let reread = 0;
const firstHash = new Map<string, string>();

async function afterRun({ run, manifest, locker }: SoakDay): Promise<void> {
  expect(sim.pending).toEqual([]);
  const users = streamOf(manifest, USERS);
  const roles = streamOf(manifest, ROLES);
  const lifecycle = streamOf(manifest, LIFECYCLE);
  expect({ run, users: users.status, lifecycle: lifecycle.status, error: users.error ?? lifecycle.error }).toEqual({ run, users: 'complete', lifecycle: 'complete', error: null });
  const requests = sim.requests.slice(requestsBefore);
  requestsBefore = sim.requests.length;
  // Every list spans three pages or more (the role listing but on the day it is cut short).
  expect(pagesServed(requests, 'projection=full')).toBeGreaterThanOrEqual(3);
  expect(pagesServed(requests, '/roleassignments?')).toBeGreaterThanOrEqual(3);
  expect(pagesServed(requests, '/roles?')).toBeGreaterThanOrEqual(run === TRUNCATED_RUN ? 1 : 3);
  if (run === 1) expect(pagesServed(requests, 'eventName=CREATE_USER')).toBeGreaterThanOrEqual(3);
  // Google reports no totals for these listings: none is claimed.
  expect([users.apiTotal, roles.apiTotal, lifecycle.apiTotal]).toEqual([null, null, null]);

  expect(await heldFacts(locker, USERS, ['email', 'status', 'mfa', 'privileged'])).toEqual(expectedAccounts());

  if (run === TRUNCATED_RUN) {
    expect(roles.status).toBe('partial');
    const missing = ['91022', '91023', '91024'].map((id) => `role ${id}`);
    expect(roles.itemGaps?.map((gap) => gap.item)).toEqual(expect.arrayContaining(missing));
    expect(roles.itemGaps?.every((gap) => gap.inScope)).toBe(true);
    expect(roles.error).toMatch(/in-scope items? could not be read: role 910/);
  } else {
    expect({ run, roles: roles.status, error: roles.error }).toEqual({ run, roles: 'complete', error: null });
    expect(await heldFacts(locker, ROLES, ['roles', 'email', 'status', 'mfa'])).toEqual(expectedHolders());
  }

  if (run === 1) firstSince = new Date(lifecycle.rangeSince!);
  const until = new Date(lifecycle.rangeUntil!);
  const expected = COLLECTED.flatMap((name) => sim.visibleAudit(name, firstSince, until)).map((e) => `${e.uniqueQualifier}:${e.time}:${e.name}`);
  const held = await heldRecords(locker, LIFECYCLE);
  expect(held.map((r) => r.key).sort()).toEqual(expected.sort());
  const since = Date.parse(lifecycle.rangeSince!);
  reread += held.filter((r) => firstHash.has(r.key) && Date.parse(r.occurredAt!) >= since).length;
  for (const record of held) {
    if (!firstHash.has(record.key)) firstHash.set(record.key, record.hash);
    expect({ key: record.key, hash: record.hash }).toEqual({ key: record.key, hash: firstHash.get(record.key) });
  }
  expect(storedRows(locker, LIFECYCLE)).toBe(held.length);
}

describe('google-workspace soak: 30 daily runs of every stream', () => {
  beforeAll(async () => {
    seed();
    await sim.start();
  });
  afterAll(() => sim.close());

  it('holds exactly what the directory and the audit log hold after every run', async () => {
    const { manifests } = await soak({
      connectorsYaml: [
        '  google-workspace:',
        '    config:',
        '      domain: example.com',
        '      accessToken: ${env:GWS_TOKEN}',
        '      tokenOwner: admin@example.com',
        `      rootUrl: ${sim.baseUrl}`,
        '',
      ].join('\n'),
      env: { GWS_TOKEN: 'soak-token-not-real' },
      runs: RUNS,
      start: START,
      beforeRun(run, now) {
        sim.now = now;
        if (run > 1) changeDay(run, now);
        injectFaults(run);
      },
      afterRun,
    });
    expect(manifests).toHaveLength(RUNS);
    // Each day's run read yesterday's last half hour again, and stored none of it twice (checked after every run).
    expect(reread).toBeGreaterThanOrEqual(RUNS - 1);
    // Every injected fault was served.
    expect(sim.injected.map((f) => `${f.kind}:${'list' in f ? f.list : 'users'}`).sort()).toEqual(
      ['repeat-page:users', 'repeat-page:roles', 'repeat-page:roleassignments', 'repeat-page:holder-users', 'shift-users:users', 'repeat-page:activities', 'shift-users:users', 'repeat-page:users', 'truncate:roles'].sort(),
    );
    // Unchanged pages were revalidated, and a revalidated page still led on to the next one.
    expect(sim.requests.filter((r) => r.status === 304 && r.path.includes('/roles?') && r.path.includes('pageToken=')).length).toBeGreaterThan(0);
  }, 240_000);
});
