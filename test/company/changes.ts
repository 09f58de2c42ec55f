/**
 * Acme's changes and incidents over the six months, added to the timeline
 * of systems.ts: change tickets (Jira CHG) with their approvals, the pull
 * requests that name them, incidents in Jira and their Slack channels. The
 * traps (roster.ts TRAPS) are tagged where they are made. Ticket keys are
 * numbered in creation order; creation asserts the simulator agrees.
 */
import type { SimReview } from '../../connectors/github/src/simulator-org.js';
import { ORG, PEOPLE, person } from './roster.js';
import { at, FIELD, HOUR, MINUTE, on, type Simulators } from './systems.js';

const DAY = 24 * HOUR;
const engineers = PEOPLE.filter((p) => p.github && p.department === 'Engineering' && !p.leftAt && p.id !== 'kim.lee');

interface Ticket {
  key: string;
  reporter: number;
  /** The resolution of its done status, when not Done (Won't Do). */
  resolution?: string;
  /** Remote links (Jira's development links), e.g. to the PR it covers. */
  links?: string[];
  created: number;
  /** Who moves it to Approved and when; absent: never approved. */
  approval?: { by: number; at: number };
  deployed: number;
  emergency?: boolean;
}

/** Jira numbers tickets in creation order, so keys are given once every ticket is declared (numberTickets). */
interface TicketRef {
  key: string;
  created: number;
}
const tickets: TicketRef[] = [];
function ticket(spec: Omit<Ticket, 'key'>, summary: string): TicketRef {
  const ref = { key: '', created: spec.created };
  tickets.push(ref);
  on(spec.created, 'ticket', (s) => {
    const issue = s.jira.create({ project: 'CHG', type: 'Change', summary, status: 'Open', at: spec.created, reporter: spec.reporter });
    if (issue.key !== ref.key) throw new Error(`expected ${ref.key}, the simulator made ${issue.key}`);
    if (spec.emergency) s.jira.label(ref.key, 'emergency', spec.created + MINUTE, spec.reporter);
    if (spec.resolution) issue.resolutionName = spec.resolution;
    if (spec.links) issue.remoteLinks = spec.links;
  });
  const moves = [...(spec.approval ? [{ at: spec.approval.at, to: 'Approved', by: spec.approval.by }] : []), { at: spec.deployed, to: spec.resolution ? 'Done' : 'Deployed', by: spec.reporter }].sort((a, b) => a.at - b.at);
  for (const move of moves) on(move.at, `ticket ${move.to}`, (s) => s.jira.transition(ref.key, move.to, move.at, move.by));
  return ref;
}

let prNumber = 0;
interface PullRequest {
  repo: string;
  merged: number;
  title: () => string;
  author: { login: string; bot?: boolean };
  reviews: SimReview[];
  branch?: () => string;
  base?: string;
  headPushedMinutesBeforeMerge?: number;
  reviewDecision?: 'APPROVED' | 'CHANGES_REQUESTED' | 'REVIEW_REQUIRED' | null;
}
function pullRequest(pr: PullRequest): string {
  const number = ++prNumber;
  on(pr.merged, `PR #${number}`, (s: Simulators) => {
    s.github.pullRequests.push({ repo: pr.repo, number, mergedAtMs: pr.merged, title: pr.title(), reviewers: [], reviews: pr.reviews, author: pr.author, ...(pr.branch ? { branch: pr.branch() } : {}), ...(pr.base ? { base: pr.base } : {}), ...(pr.headPushedMinutesBeforeMerge !== undefined ? { headPushedMinutesBeforeMerge: pr.headPushedMinutesBeforeMerge } : {}), ...(pr.reviewDecision !== undefined ? { reviewDecision: pr.reviewDecision } : {}) });
  });
  return `${ORG}/${pr.repo}#${number}`;
}

const approve = (login: string, minutesBeforeMerge = 30): SimReview => ({ login, state: 'APPROVED', minutesBeforeMerge });
const REPOS = ['api', 'web', 'billing', 'infra'];

/** The ordinary month: two tickets approved by a colleague, each shipped by a PR a colleague approved. */
export const ORDINARY: string[] = [];
const ordinaryTickets: TicketRef[] = [];
for (let m = 0; m < 6; m++) {
  for (let k = 0; k < 2; k++) {
    const author = engineers[(2 * m + k) % engineers.length]!;
    const reviewer = engineers[(2 * m + k + 1) % engineers.length]!;
    const merged = at(`2026-${String(6 + m).padStart(2, '0')}-${k === 0 ? '08' : '22'}`, '14:00');
    const key = ticket({ reporter: author.jira, created: merged - 3 * DAY, approval: { by: reviewer.jira, at: merged - 2 * DAY }, deployed: merged + HOUR }, `Release ${m}.${k}`);
    ordinaryTickets.push(key);
    ORDINARY.push(pullRequest({ repo: REPOS[(2 * m + k) % 4]!, merged, title: () => `${key.key}: release ${m}.${k}`, author: { login: author.github! }, reviews: [approve(reviewer.github!)] }));
  }
}

const a = (id: string) => person(id);
const ruth = a('ruth.adler');
const erin = a('erin.walsh');
const dana = a('dana.reyes');
const tom = a('tom.baker');
const sofia = a('sofia.martin');

// deployed-awaiting-approval: CHG-5, and the PR naming it.
const awaiting = ticket({ reporter: dana.jira, created: at('2026-07-20', '09:00'), deployed: at('2026-07-21', '15:00') }, 'Rotate session keys');
export const PR_AWAITING = pullRequest({ repo: 'api', merged: at('2026-07-21', '14:00'), title: () => `${awaiting.key}: rotate session keys`, author: { login: dana.github! }, reviews: [approve(ruth.github!)] });
// self-approved-ticket: CHG-6, approved by its reporter.
const selfApproved = ticket({ reporter: tom.jira, created: at('2026-08-03', '09:00'), approval: { by: tom.jira, at: at('2026-08-03', '10:00') }, deployed: at('2026-08-04', '15:00') }, 'Upgrade Postgres driver');
export const PR_SELF_APPROVED_TICKET = pullRequest({ repo: 'billing', merged: at('2026-08-04', '14:00'), title: () => `${selfApproved.key}: postgres driver`, author: { login: tom.github! }, reviews: [approve(ruth.github!)] });
// emergency-change: CHG-10 deployed at once, approved the next morning; its hotfix PR reviewed ten hours after the merge.
const hotfix = ticket({ reporter: erin.jira, created: at('2026-09-05', '01:00'), deployed: at('2026-09-05', '02:30'), approval: { by: ruth.jira, at: at('2026-09-05', '09:00') }, emergency: true }, 'Payment timeout');
export const PR_HOTFIX_REVIEWED = pullRequest({ repo: 'billing', merged: at('2026-09-05', '02:00'), title: () => `hotfix: ${hotfix.key} payment timeout`, author: { login: erin.github! }, reviews: [approve(ruth.github!, -600)], reviewDecision: 'APPROVED' });
// emergency-change: CHG-18 never approved; its hotfix PR never reviewed.
const unreviewed = ticket({ reporter: dana.jira, created: at('2026-10-20', '23:00'), deployed: at('2026-10-21', '00:30'), emergency: true }, 'Disable flaky export');
export const PR_HOTFIX_UNREVIEWED = pullRequest({ repo: 'api', merged: at('2026-10-21', '00:15'), title: () => `hotfix: ${unreviewed.key} disable flaky export`, author: { login: dana.github! }, reviews: [], reviewDecision: null });

// standing-changes-requested: approved by Ruth, Tom's request for changes still stands at the merge.
const standing = ticket({ reporter: sofia.jira, created: at('2026-08-17', '09:00'), approval: { by: erin.jira, at: at('2026-08-17', '11:00') }, deployed: at('2026-08-19', '15:00') }, 'New invoice layout');
export const PR_STANDING_CHANGES = pullRequest({ repo: 'web', merged: at('2026-08-19', '14:00'), title: () => `${standing.key}: invoice layout`, author: { login: sofia.github! }, reviews: [{ login: tom.github!, state: 'CHANGES_REQUESTED', minutesBeforeMerge: 300 }, approve(ruth.github!, 60)], reviewDecision: 'CHANGES_REQUESTED' });
// changes-requested-then-approved: Tom asked for changes, then approved.
const settled = ticket({ reporter: sofia.jira, created: at('2026-09-14', '09:00'), approval: { by: erin.jira, at: at('2026-09-14', '11:00') }, deployed: at('2026-09-16', '15:00') }, 'Search ranking');
export const PR_SETTLED = pullRequest({ repo: 'web', merged: at('2026-09-16', '14:00'), title: () => `${settled.key}: search ranking`, author: { login: sofia.github! }, reviews: [{ login: tom.github!, state: 'CHANGES_REQUESTED', minutesBeforeMerge: 600 }, approve(tom.github!, 60)] });
// ticket-in-branch: the key only in the head branch.
const branchOnly = ticket({ reporter: ruth.jira, created: at('2026-10-05', '09:00'), approval: { by: erin.jira, at: at('2026-10-05', '12:00') }, deployed: at('2026-10-07', '15:00') }, 'Cache warmup');
export const PR_TICKET_IN_BRANCH = pullRequest({ repo: 'infra', merged: at('2026-10-07', '14:00'), title: () => 'Warm the cache on deploy', branch: () => `feature/${branchOnly.key}-cache-warmup`, author: { login: ruth.github! }, reviews: [approve(erin.github!)] });
// pr-without-ticket
export const PR_WITHOUT_TICKET = pullRequest({ repo: 'api', merged: at('2026-10-12', '14:00'), title: () => 'Refactor request logging', author: { login: ruth.github! }, reviews: [approve(dana.github!)] });
// self-and-bot-approval: approved by its author and a CI bot only (its ticket is fine).
const botApproved = ticket({ reporter: tom.jira, created: at('2026-11-02', '09:00'), approval: { by: ruth.jira, at: at('2026-11-02', '12:00') }, deployed: at('2026-11-04', '15:00') }, 'Bump build image');
export const PR_SELF_AND_BOT = pullRequest({ repo: 'infra', merged: at('2026-11-04', '14:00'), title: () => `${botApproved.key}: build image`, author: { login: tom.github! }, reviews: [approve(tom.github!, 90), { login: 'ci-approver', state: 'APPROVED', minutesBeforeMerge: 60, bot: true }] });
// dependency-bot: one approved by a human, one auto-merged.
export const PR_DEPENDABOT_REVIEWED = pullRequest({ repo: 'web', merged: at('2026-07-07', '10:00'), title: () => 'Bump lodash from 4.17.20 to 4.17.21', branch: () => 'dependabot/npm_and_yarn/lodash-4.17.21', author: { login: 'dependabot', bot: true }, reviews: [approve(ruth.github!)] });
export const PR_DEPENDABOT_AUTOMERGED = pullRequest({ repo: 'api', merged: at('2026-10-27', '10:00'), title: () => 'Bump axios from 1.7.2 to 1.7.4', branch: () => 'dependabot/npm_and_yarn/axios-1.7.4', author: { login: 'dependabot', bot: true }, reviews: [], reviewDecision: null });

// ticket-wont-do: CHG-16 turned down, the PR naming it merged anyway.
const wontDo = ticket({ reporter: sofia.jira, created: at('2026-10-12', '09:00'), deployed: at('2026-10-13', '09:00'), resolution: "Won't Do" }, 'Drop legacy export');
export const PR_WONT_DO = pullRequest({ repo: 'web', merged: at('2026-10-14', '14:00'), title: () => `${wontDo.key}: drop legacy export`, author: { login: sofia.github! }, reviews: [approve(ruth.github!)] });
// ticket-links-pr: CHG-19 names PR #26 in its development links; the PR names no ticket.
const linking = ticket({ reporter: ruth.jira, created: at('2026-10-26', '09:00'), approval: { by: erin.jira, at: at('2026-10-26', '11:00') }, deployed: at('2026-10-28', '15:00'), links: [`https://github.com/${ORG}/api/pull/26`] }, 'Tune connection pool');
// emergency-window-open: CHG-23 approved in time; its hotfix PR merged at 22:00 on November 30th, unreviewed at the next morning's collection.
const lateNight = ticket({ reporter: erin.jira, created: at('2026-11-30', '18:00'), approval: { by: ruth.jira, at: at('2026-11-30', '19:00') }, deployed: at('2026-11-30', '22:30') }, 'Certificate renewal');
export const PR_WINDOW_OPEN = pullRequest({ repo: 'api', merged: at('2026-11-30', '22:00'), title: () => `hotfix: ${lateNight.key} certificate renewal`, author: { login: erin.github! }, reviews: [], reviewDecision: null });
export const PR_LINKED_BY_TICKET = pullRequest({ repo: 'api', merged: at('2026-10-28', '14:00'), title: () => 'Tune connection pool', author: { login: ruth.github! }, reviews: [approve(dana.github!)] });
if (PR_LINKED_BY_TICKET !== `${ORG}/api#26`) throw new Error(`CHG-19's development link names ${ORG}/api#26, the PR is ${PR_LINKED_BY_TICKET}`);

// Follow-up PRs under October's first ordinary ticket (approved October 6th), so no new ticket renumbers the others.
const october = ordinaryTickets[8]!;
// stale-approval: Erin approved, then Sofia pushed a commit; the repository keeps approvals on push, so GitHub's decision still reads APPROVED.
export const PR_STALE_APPROVAL = pullRequest({ repo: 'web', merged: at('2026-10-09', '11:00'), title: () => `${october.key}: follow-up, retry banner`, author: { login: sofia.github! }, reviews: [{ ...approve(erin.github!, 240), onEarlierCommit: true }], headPushedMinutesBeforeMerge: 60, reviewDecision: 'APPROVED' });
// stale-approval: the same push, then Erin approved again on the head: a pass.
export const PR_STALE_REAPPROVED = pullRequest({ repo: 'web', merged: at('2026-10-09', '16:00'), title: () => `${october.key}: follow-up, banner copy`, author: { login: sofia.github! }, reviews: [{ ...approve(erin.github!, 300), onEarlierCommit: true }, approve(erin.github!, 30)], headPushedMinutesBeforeMerge: 120 });
// dismissed-approval: Ruth's approval dismissed before the merge (an admin merged past the rule); nobody else approved.
export const PR_DISMISSED_APPROVAL = pullRequest({ repo: 'api', merged: at('2026-10-15', '17:00'), title: () => `${october.key}: follow-up, rate limits`, author: { login: dana.github! }, reviews: [{ login: ruth.github!, state: 'DISMISSED', minutesBeforeMerge: 120 }], reviewDecision: 'REVIEW_REQUIRED' });
// non-default-branch: merged into a release branch with no ticket: in the change population, outside the default-branch ticket rule; approved, so a pass where judged.
export const PR_INTO_RELEASE_BRANCH = pullRequest({ repo: 'infra', merged: at('2026-11-12', '10:00'), title: () => 'Backport TLS cipher list', base: 'release/2026.11', branch: () => 'backport/tls-ciphers', author: { login: ruth.github! }, reviews: [approve(erin.github!)] });

// ---------------------------------------------------------------- incidents

let incNumber = 0;
function incident(severity: string, opened: number, resolved: number, postMortem: string | null): string {
  const number = ++incNumber;
  const key = `INC-${number}`;
  on(opened, `incident ${key}`, (s) => {
    const issue = s.jira.create({ project: 'INC', type: 'Incident', summary: `Incident ${number}`, status: 'Open', at: opened, reporter: erin.jira, custom: { [FIELD.severity]: { value: severity } } });
    if (issue.key !== key) throw new Error(`expected ${key}, the simulator made ${issue.key}`);
  });
  on(resolved, `${key} resolved`, (s) => s.jira.transition(key, 'Resolved', resolved, erin.jira));
  if (postMortem) on(resolved + DAY, `${key} post-mortem`, (s) => s.jira.setField(key, FIELD.postMortem, postMortem, postMortem, resolved + DAY, erin.jira));
  return key;
}

function channel(id: string, name: string, opened: number, messages: Array<[number, string, string]>): void {
  on(opened, `channel #${name}`, (s) => void s.slack.addChannel({ id, name, created: Math.floor(opened / 1000), creator: erin.slack, is_private: false, is_archived: false, purpose: '', topic: '', members: [s.slack.bot.userId] }));
  for (const [when, user, text] of messages) on(when, `#${name} message`, (s) => void s.slack.post(id, user, text, when));
}

// incident-in-two-tools: the post-mortem only in Jira.
export const INC_DB = incident('SEV1', at('2026-09-03', '07:00'), at('2026-09-03', '11:00'), 'https://wiki.example.com/postmortems/db-outage');
export const CHANNEL_DB = 'C0INCDB001';
channel(CHANNEL_DB, 'inc-db-outage', at('2026-09-03', '07:05'), [
  [at('2026-09-03', '07:06'), erin.slack, `Primary database down, tracking in ${INC_DB}`],
  [at('2026-09-03', '11:00'), ruth.slack, 'Resolved: failover complete'],
]);
// incident-without-post-mortem
export const INC_NO_PM = incident('SEV2', at('2026-10-10', '13:00'), at('2026-10-11', '09:00'), null);
// incident-in-two-tools: the post-mortem only in Slack, as <url|label>.
export const INC_CACHE = incident('SEV3', at('2026-11-05', '08:00'), at('2026-11-05', '12:00'), null);
export const CHANNEL_CACHE = 'C0INCCACHE';
channel(CHANNEL_CACHE, 'inc-cache-storm', at('2026-11-05', '08:10'), [
  [at('2026-11-05', '08:11'), ruth.slack, `Cache stampede on web, see ${INC_CACHE}`],
  [at('2026-11-05', '12:00'), ruth.slack, 'Mitigated, cache warmed'],
  [at('2026-11-09', '10:00'), erin.slack, `<https://wiki.example.com/postmortems/cache-storm|Post-mortem ${INC_CACHE}>`],
]);
// slack-only-incident: severity in the channel name, the post-mortem a bare link.
export const CHANNEL_LOGIN = 'C0INCLOGIN';
channel(CHANNEL_LOGIN, 'inc-sev2-login-errors', at('2026-10-02', '08:00'), [
  [at('2026-10-02', '08:01'), ruth.slack, 'Login errors spiking for SSO users'],
  [at('2026-10-02', '12:00'), ruth.slack, 'Resolved after the IdP certificate rollback'],
  [at('2026-10-06', '10:00'), erin.slack, 'Write-up: <https://wiki.example.com/postmortems/login-errors>'],
]);
// slack-incident-overdue: resolved November 10th with no write-up; first collected November 21st (not yet due), never again (no new messages).
export const CHANNEL_QUEUE = 'C0INCQUEUE';
channel(CHANNEL_QUEUE, 'inc-sev3-queue-backlog', at('2026-11-10', '08:00'), [
  [at('2026-11-10', '08:01'), erin.slack, 'Job queue backlog growing on workers'],
  [at('2026-11-10', '12:00'), erin.slack, 'Resolved: scaled the workers'],
]);
// incident-post-mortem-pending
export const INC_PENDING = incident('SEV2', at('2026-11-28', '09:00'), at('2026-11-29', '09:00'), null);

// Number the change tickets as Jira will: in creation order.
[...tickets].sort((x, y) => x.created - y.created).forEach((ref, i) => (ref.key = `CHG-${i + 1}`));
export const TICKETS = { awaiting, selfApproved, hotfix, unreviewed, standing, settled, branchOnly, botApproved, wontDo, linking, lateNight };
