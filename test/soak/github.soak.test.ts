/**
 * Thirty daily runs of every GitHub stream through the real runner, Octokit
 * and locker against the simulated GitHub (connectors/github/src/simulator.ts):
 * member and repository lists of four and three pages, revalidated with
 * ETag/304 from the second run on, members, collaborators, repositories and
 * merged PRs added, removed and changed between runs, a page served twice and
 * a page shifted by an item added while paging. After every run the locker
 * must hold exactly what the simulator holds; a listing truncated behind a
 * true total must end partial, a denied repository must be a named gap.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Locker, Manifest } from '@evidentia/locker';
import { generateSimOrg, type SimOrg, type SimProtection } from '../../connectors/github/src/simulator-org.js';
import { SEARCH_LIST, SIMULATOR_TOKEN, simulatorConnectorYaml, startGitHubSimulator, type GitHubSimulator } from '../../connectors/github/src/simulator.js';
import { heldKeys, heldRecords, soak, streamOf } from './harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = new Date('2026-07-01T06:00:00Z');
const FIRST_SINCE = START.getTime() - 90 * DAY;
const RUNS = 30;
const MEMBERS = '/orgs/sim-corp/members?role=member';
const REPOS = '/orgs/sim-corp/repos?type=all';
const CYCLE: SimProtection[] = ['classic', 'ruleset', 'both', 'none'];
/** Runs with injected faults. */
const REPEAT_RUN = 7;
const SHIFT_RUN = 11;
const DENY_RUN = 15;
const TRUNCATE_RUN = 20;

let sim: GitHubSimulator;
let org: SimOrg;
const prNumbers = new Map<string, number>();
/** Items added while a run was paging: the run's listing began before they existed, so they are owed from the next run. */
let addedWhilePaging = { members: [] as string[], repos: [] as string[], pullRequests: [] as string[] };

function addPullRequests(count: number, fromMs: number, toMs: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < count; i++) {
    const repo = `service-${i % 8}`;
    const number = (prNumbers.get(repo) ?? 0) + 1;
    prNumbers.set(repo, number);
    const mergedAtMs = Math.floor((fromMs + ((i + 0.5) * (toMs - fromMs)) / count) / 1000) * 1000;
    org.pullRequests.push({ repo, number, mergedAtMs, title: `SIM-${number} change to ${repo}`, reviewers: [`dev-${(number % 40) + 2}`] });
    keys.push(`sim-corp/${repo}#${number}`);
  }
  return keys;
}

/** The day's ordinary changes: a joiner, a leaver, a promotion, a 2FA change, a new and a deleted repository, a protection change, PRs merged. */
function changeDay(run: number, now: Date): void {
  org.members.push({ login: `joiner-${run}`, id: org.nextId++, admin: false, twoFactor: run % 3 !== 0 });
  org.members.splice(20 + ((run * 13) % 250), 1);
  const promoted = org.members[(run * 17) % org.members.length]!;
  promoted.admin = !promoted.admin;
  const careless = org.members[(run * 19) % org.members.length]!;
  careless.twoFactor = !careless.twoFactor;
  if (run % 5 === 0) {
    org.collaborators.shift();
    org.collaborators.push({ login: `contractor-new-${run}`, id: org.nextId++, admin: false, twoFactor: run % 10 !== 0 });
  }
  org.repos.push({ name: `added-${run}`, id: org.nextId++, archived: false, protection: CYCLE[run % 4]!, approvals: 2, denied: false });
  const leaving = 20 + ((run * 7) % 150);
  // service-40 stays: it is the repository denied on one run.
  org.repos.splice(org.repos[leaving]?.name === 'service-40' ? leaving + 1 : leaving, 1);
  const active = org.repos.filter((repo) => !repo.archived);
  const changed = active[(run * 11) % active.length]!;
  changed.protection = CYCLE[(CYCLE.indexOf(changed.protection) + 1) % 4]!;
  changed.approvals = 1 + (run % 3);
  if (run % 6 === 0) org.repos[30 + run]!.archived = true;
  addPullRequests(3, now.getTime() - DAY + HOUR, now.getTime() - HOUR);
}

function injectFaults(run: number, now: Date): void {
  if (run === REPEAT_RUN) {
    sim.faults.set(MEMBERS, { repeatPage: 2 });
    // The members stream lists the repositories first (for its outside collaborators); after its page 2 the fault is
    // armed, so page 2 is served twice to branch_protection's listing.
    sim.faults.set(REPOS, { afterPage: { page: 2, change: () => void sim.faults.set(REPOS, { repeatPage: 2 }) } });
    // A busy day, so the day's search has three pages to repeat one of.
    addPullRequests(240, now.getTime() - DAY + HOUR, now.getTime() - 2 * HOUR);
    sim.faults.set(SEARCH_LIST, { repeatPage: 2 });
  }
  if (run === SHIFT_RUN) {
    // Added at the front right after page 1 is served: page 2 starts with the last item of page 1 again.
    sim.faults.set(MEMBERS, { afterPage: { page: 1, change: () => void org.members.unshift({ login: 'early-joiner', id: org.nextId++, admin: false, twoFactor: true }) } });
    // The members stream lists the repositories first (for its outside collaborators): its pass re-arms the fault, so
    // the shift happens while branch_protection pages.
    const addRepo = () => void org.repos.unshift({ name: 'aaa-new', id: org.nextId++, archived: false, protection: 'classic', approvals: 2, denied: false });
    sim.faults.set(REPOS, { afterPage: { page: 1, change: () => void sim.faults.set(REPOS, { afterPage: { page: 1, change: addRepo } }) } });
    addPullRequests(240, now.getTime() - DAY + HOUR, now.getTime() - 2 * HOUR);
    // Merged half an hour ago, so newest first it lands on page 1; the next run's one-hour overlap reads it.
    sim.faults.set(SEARCH_LIST, { afterPage: { page: 1, change: () => void addPullRequests(1, now.getTime() - HOUR / 2, now.getTime() - HOUR / 2) } });
    // The repository count is read after the listing: it counts aaa-new, which the shifted listing did not show, so the
    // stream lists once more and records it in this run (the member count is read before the member listing: not yet owed).
    addedWhilePaging = { members: ['user:early-joiner'], repos: [], pullRequests: ['sim-corp/service-0#' + String((prNumbers.get('service-0') ?? 0) + 1)] };
  }
  org.repos.find((repo) => repo.name === 'service-40')!.denied = run === DENY_RUN;
  if (run === TRUNCATE_RUN) sim.faults.set(MEMBERS, { truncate: true });
}

function expectedMembers(): Map<string, { privileged: boolean; mfa: string }> {
  const expected = new Map<string, { privileged: boolean; mfa: string }>();
  for (const user of [...org.members, ...org.collaborators]) expected.set(`user:${user.login}`, { privileged: user.admin, mfa: user.twoFactor ? 'enabled' : 'disabled' });
  for (const key of addedWhilePaging.members) expected.delete(key);
  return expected;
}

function expectedProtection(): Map<string, { present: boolean; source?: string; requiredApprovals?: number; archived?: true }> {
  const expected = new Map<string, { present: boolean; source?: string; requiredApprovals?: number; archived?: true }>();
  for (const repo of org.repos) {
    // An archived repository is recorded read-only, its protection unread.
    if (repo.archived) expected.set(`sim-corp/${repo.name}@main`, { present: false, archived: true });
    if (repo.archived || repo.denied) continue;
    const classic = repo.protection === 'classic' || repo.protection === 'both';
    const ruleset = repo.protection === 'ruleset' || repo.protection === 'both';
    expected.set(`sim-corp/${repo.name}@main`, { present: repo.protection !== 'none', source: repo.protection, requiredApprovals: Math.max(classic ? repo.approvals : 0, ruleset ? 1 : 0) });
  }
  for (const key of addedWhilePaging.repos) expected.delete(key);
  return expected;
}

function expectedPullRequests(now: Date): string[] {
  const keys = org.pullRequests.filter((pr) => pr.mergedAtMs >= FIRST_SINCE && pr.mergedAtMs < now.getTime()).map((pr) => `sim-corp/${pr.repo}#${pr.number}`);
  return keys.filter((key) => !addedWhilePaging.pullRequests.includes(key)).sort();
}

async function heldFields(locker: Locker, stream: string, pick: (data: Record<string, unknown>) => unknown): Promise<Map<string, unknown>> {
  return new Map((await heldRecords(locker, stream)).map((record) => [record.key, pick(record.data)]));
}

async function assertLockerMatches(run: number, now: Date, locker: Locker, manifest: Manifest): Promise<void> {
  const status = (stream: string) => streamOf(manifest, `github/${stream}`);
  // Members: exactly the accounts, with the current privilege and 2FA state (a truncated run is checked on its own).
  if (run !== TRUNCATE_RUN) {
    expect({ run, status: status('members').status, error: status('members').error }).toEqual({ run, status: 'complete', error: null });
    const held = await heldRecords(locker, 'github/members');
    // The simulated organization has no SAML SSO: recorded as a fact beside the accounts.
    expect({ run, saml: held.filter((record) => record.kind === 'access.config').map((record) => record.data) }).toEqual({ run, saml: [{ target: 'sim-corp', setting: 'saml_sso', present: false, settings: { provider: false } }] });
    const members = new Map(held.filter((record) => record.kind === 'access.account').map((record) => [record.key, { privileged: record.data.privileged, mfa: record.data.mfa }]));
    expect({ run, members: [...members.keys()].sort() }).toEqual({ run, members: [...expectedMembers().keys()].sort() });
    expect({ run, members: Object.fromEntries(members) }).toEqual({ run, members: Object.fromEntries(expectedMembers()) });
  }
  // Branch protection: one record per active, readable repository, with its current protection, and one per archived one.
  expect({ run, status: status('branch_protection').status, error: status('branch_protection').error }).toEqual({ run, status: 'complete', error: null });
  const protection = await heldFields(locker, 'github/branch_protection', (data) => {
    const settings = data.settings as Record<string, unknown>;
    if (settings.archived === true) return { present: data.present, archived: true };
    return { present: data.present, source: settings.source, requiredApprovals: settings.requiredApprovals };
  });
  expect({ run, repos: [...protection.keys()].sort() }).toEqual({ run, repos: [...expectedProtection().keys()].sort() });
  expect({ run, repos: Object.fromEntries(protection) }).toEqual({ run, repos: Object.fromEntries(expectedProtection()) });
  // Pull requests: every PR merged in the collected range, each once.
  expect({ run, status: status('pull_requests').status, error: status('pull_requests').error }).toEqual({ run, status: 'complete', error: null });
  const pullRequests = await heldKeys(locker, 'github/pull_requests');
  expect(new Set(pullRequests).size).toBe(pullRequests.length);
  expect({ run, pullRequests }).toEqual({ run, pullRequests: expectedPullRequests(now) });
}

describe('GitHub soak: 30 daily runs against the simulated GitHub', () => {
  beforeAll(async () => {
    // 330 members (four pages of role=member), 210 repositories (three pages), most archived so a run stays quick.
    org = generateSimOrg({ archivedPerTen: 9 });
    addPullRequests(250, FIRST_SINCE + HOUR, START.getTime() - HOUR);
    sim = await startGitHubSimulator(org);
  });
  afterAll(() => sim.close());

  it('holds exactly what GitHub holds after every run, through revalidations, repeated and shifted pages', async () => {
    let revalidatedBefore = 0;
    await soak({
      connectorsYaml: simulatorConnectorYaml(sim),
      env: { GITHUB_TOKEN: SIMULATOR_TOKEN },
      runs: RUNS,
      start: START,
      beforeRun(run, now) {
        addedWhilePaging = { members: [], repos: [], pullRequests: [] };
        sim.faults.clear();
        // Runs 2 and 3 change nothing: the third run is where a replayed 304 once cut every list to its first page.
        if (run > 3) changeDay(run, now);
        injectFaults(run, now);
        revalidatedBefore = sim.counts().rest304;
      },
      async afterRun({ run, now, manifest, locker }) {
        expect(sim.unexpected).toEqual([]);
        // Every injected repeat and mid-listing change fired (each is one-shot and removes itself when it does).
        for (const [list, fault] of sim.faults) expect({ run, list, pending: fault.repeatPage ?? fault.afterPage?.page ?? null }).toEqual({ run, list, pending: null });
        if (run > 1) expect(sim.counts().rest304).toBeGreaterThan(revalidatedBefore);
        if (run === DENY_RUN) {
          // No include list: the denied repository is out of scope, named, and the stream stays complete.
          expect(streamOf(manifest, 'github/branch_protection').itemGaps).toEqual([
            { item: 'repository sim-corp/service-40', reason: expect.stringMatching(/^HTTP 403 Resource not accessible by personal access token on the branch of sim-corp\/service-40@main/), inScope: false },
          ]);
        }
        if (run === TRUNCATE_RUN) {
          const members = streamOf(manifest, 'github/members');
          expect(members.status).toBe('partial');
          expect(members.error).toMatch(/^received \d+ of \d+ organization members \(membersWithRole\.totalCount\) the source reports$/);
        }
        await assertLockerMatches(run, now, locker, manifest);
      },
    });
  }, 600_000);
});
