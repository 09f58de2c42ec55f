/**
 * The GitHub organization of the 30-day benchmark: a few hundred members,
 * 200 repositories with their default-branch protection and a few thousand
 * merged pull requests, served by the soak test's simulator
 * (connectors/github/src/simulator.ts, ETag/304 on every REST list). Each day
 * a member joins, one leaves, one changes admin or 2FA, a repository's
 * protection changes, a repository is added every fifth day, and tens of PRs
 * are merged.
 */
import { generateSimOrg, type SimProtection } from '../../connectors/github/src/simulator-org.js';
import { SIMULATOR_TOKEN, startGitHubSimulator } from '../../connectors/github/src/simulator.js';
import { DAY_MS, random, scaled, type SimulatedSystem } from './simulated-system.js';

const MEMBERS = scaled(300);
const PRS_PER_DAY = scaled(40);
const CYCLE: SimProtection[] = ['classic', 'ruleset', 'both', 'none'];
const HOUR_MS = 3_600_000;
const rand = random(33);

/** Sizes other than the 30-day benchmark's (bench/memory.ts collects the large org of issue 15). */
export interface GitHubSizes {
  /** Repositories (200 at scale 1). */
  repositories?: number;
  /** PRs merged in the 90 days before run 1, the first run's range (3,000 at scale 1); more are merged every day. */
  historyPullRequests?: number;
}

export async function githubSystem(start: Date, sizes: GitHubSizes = {}): Promise<SimulatedSystem> {
  const repositories = sizes.repositories ?? scaled(200);
  const historyPullRequests = sizes.historyPullRequests ?? scaled(3_000);
  const org = generateSimOrg({ members: MEMBERS, repositories });
  const prNumbers = new Map<string, number>();
  /** `count` PRs merged evenly over (fromMs, toMs), spread over the repositories at random. */
  const merge = (count: number, fromMs: number, toMs: number) => {
    for (let i = 0; i < count; i++) {
      const repo = org.repos[Math.floor(rand() * org.repos.length)]!.name;
      const number = (prNumbers.get(repo) ?? 0) + 1;
      prNumbers.set(repo, number);
      const mergedAtMs = Math.floor((fromMs + ((i + 0.5) * (toMs - fromMs)) / count) / 1000) * 1000;
      org.pullRequests.push({ repo, number, mergedAtMs, title: `${repo}: change ${number}`, reviewers: [`dev-${1 + Math.floor(rand() * (MEMBERS - 1))}`] });
    }
  };
  merge(historyPullRequests, start.getTime() - 89 * DAY_MS, start.getTime() - HOUR_MS);
  const sim = await startGitHubSimulator(org);
  const pick = <T>(items: T[]): T => items[Math.floor(rand() * items.length)]!;
  return {
    instance: 'github',
    scale: [`GitHub: ${MEMBERS.toLocaleString('en-US')} members and ${org.collaborators.length} outside collaborators (REST pages of 100), ${repositories} repositories, 1 in 10 archived, the rest with their default branch's protection read (branch, classic protection, rulesets); ${historyPullRequests.toLocaleString('en-US')} merged PRs in the 90 days before run 1, then ${PRS_PER_DAY} a day (GraphQL search pages of 100); each day 1 member joins, 1 leaves, 1 changes admin or 2FA, 1 repository's protection changes, and every fifth day a repository is added.`],
    yaml: ['  github:', '    config:', '      org: sim-corp', '      token: ${env:GITHUB_BENCH_TOKEN}', `      baseUrl: ${sim.baseUrl}`].join('\n'),
    env: { GITHUB_BENCH_TOKEN: SIMULATOR_TOKEN },
    beforeRun(run, now) {
      if (run === 1) return;
      org.members.push({ login: `joiner-${run}`, id: org.nextId++, admin: false, twoFactor: run % 4 !== 0 });
      org.members.splice(1 + Math.floor(rand() * (org.members.length - 1)), 1);
      const changed = pick(org.members);
      if (run % 2 === 0) changed.admin = !changed.admin;
      else changed.twoFactor = !changed.twoFactor;
      const repo = pick(org.repos.filter((r) => !r.archived));
      repo.protection = CYCLE[(CYCLE.indexOf(repo.protection) + 1) % CYCLE.length]!;
      repo.approvals = 1 + (run % 2);
      if (run % 5 === 0) org.repos.push({ name: `added-${run}`, id: org.nextId++, archived: false, protection: 'classic', approvals: 2, denied: false });
      merge(PRS_PER_DAY, now.getTime() - DAY_MS + HOUR_MS, now.getTime() - HOUR_MS);
    },
    close: () => sim.close(),
  };
}
