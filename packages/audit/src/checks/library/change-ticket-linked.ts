/**
 * Change traceability (CC8.1): every pull request merged in the period into
 * the default branch of its repository links to a change ticket that was
 * approved before the merge. A link is a ticket key the PR names (title,
 * head branch or body, as the connector recorded it) or a ticket whose
 * development links name the PR. Dependency bots, labels and repositories
 * can be exempted; an exempt PR is listed as exempt with the rule that
 * exempted it, so the population stays whole: the configuration's judgement,
 * which neither counts against the check nor passes it (a period of only
 * exempt PRs traced nothing).
 */
import { z } from 'zod';
import { CODE_HOST_DEFAULTS, describeActor, isCodeHost, sourceFrom, type ChangeData } from '../approvals.js';
import { judgeTicket, readTickets, REJECTED_RESOLUTIONS, type TicketIndex, type TicketRules } from '../change-tickets.js';
import { defineCheck, type Finding } from '../define.js';
import { DAY_MS } from '../period.js';

const names = (fallback: string[], what: string) => z.array(z.string().min(1)).default(fallback).describe(what);

const Settings = z
  .object({
    codeHosts: names(CODE_HOST_DEFAULTS, 'system prefixes that are code hosts (their change.request records are pull requests)'),
    bots: names([], 'more logins whose ticket approvals do not count'),
    projects: names([], 'ticket key prefixes that are change tickets (e.g. CHG); empty: any key'),
    exemptAuthors: names(['dependabot', 'dependabot[bot]', 'renovate', 'renovate[bot]'], 'PR authors exempt from the ticket requirement (dependency bots)'),
    exemptLabels: names([], 'labels that exempt a PR (e.g. no-ticket-needed), compared without case'),
    exemptRepositories: names([], 'repositories exempt from the rule, `owner/repo` or `repo`, * as a wildcard'),
    rejectedResolutions: names(REJECTED_RESOLUTIONS, 'ticket resolutions that mean the change was turned down'),
    ticketLookbackDays: z.number().int().nonnegative().default(180).describe('how long before the period a linked ticket may have been done'),
    ticketLookaheadDays: z.number().int().nonnegative().default(90).describe('how long after the period a linked ticket may have been done'),
  })
  .strict();
type Settings = z.infer<typeof Settings>;

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');

/** The repository (`owner/repo`) and branch of a target `owner/repo:branch`. */
function targetOf(change: ChangeData): { repository: string; branch: string } {
  const at = change.target.lastIndexOf(':');
  return at < 0 ? { repository: change.target, branch: '' } : { repository: change.target.slice(0, at), branch: change.target.slice(at + 1) };
}

/** Why a PR is exempt and the setting that exempts it, or null. */
function exemption(change: ChangeData, settings: Settings): { setting: string; why: string } | null {
  const login = change.author?.login?.toLowerCase();
  if (login && settings.exemptAuthors.some((author) => author.toLowerCase() === login)) return { setting: 'exemptAuthors', why: `its author ${describeActor(change.author)} is exempt (exemptAuthors)` };
  const label = (change.labels ?? []).find((name) => settings.exemptLabels.some((exempt) => exempt.toLowerCase() === name.toLowerCase()));
  if (label) return { setting: 'exemptLabels', why: `it carries the exempt label "${label}" (exemptLabels)` };
  const { repository } = targetOf(change);
  const repo = settings.exemptRepositories.find((pattern) => glob(pattern).test(pattern.includes('/') ? repository : (repository.split('/')[1] ?? '')));
  return repo ? { setting: 'exemptRepositories', why: `its repository ${repository} is exempt (exemptRepositories: ${repo})` } : null;
}

/** The ticket keys linking the PR, each with where the link was found. */
function linksOf(change: ChangeData, tickets: TicketIndex, settings: Settings): { keys: Map<string, string[]>; ignored: string[] } {
  const inProject = (key: string) => settings.projects.length === 0 || settings.projects.some((project) => key.toUpperCase().startsWith(`${project.toUpperCase()}-`));
  const keys = new Map<string, string[]>();
  for (const key of change.linkedTickets) if (inProject(key)) keys.set(key, change.ticketSources?.[key] ?? ['the PR']);
  for (const key of tickets.byChange.get(change.id) ?? []) keys.set(key, [...(keys.get(key) ?? []), 'the ticket\'s development links']);
  return { keys, ignored: change.linkedTickets.filter((key) => !inProject(key)) };
}

function judge(change: ChangeData, tickets: TicketIndex, settings: Settings, people: Parameters<typeof judgeTicket>[2]): Pick<Finding, 'status' | 'reason' | 'exempt'> & { tickets: string[] } {
  const into = `merged at ${change.mergedAt} into ${change.target}`;
  const exempt = exemption(change, settings);
  if (exempt) return { status: 'not-assessable', exempt: exempt.setting, reason: `${into}; exempt from the ticket requirement: ${exempt.why}`, tickets: [] };
  const { keys, ignored } = linksOf(change, tickets, settings);
  if (keys.size === 0) {
    const named = ignored.length > 0 ? ` (it names ${ignored.join(', ')}, outside the change projects ${settings.projects.join(', ')})` : '';
    return { status: 'exception', reason: `${into} without a change ticket: no ticket key in its title, branch or body, and no ticket links to it${named}`, tickets: [] };
  }
  const listed = [...keys].map(([key, from]) => `${key} (from ${from.join(', ')})`).join(', ');
  if (tickets.count === 0) return { status: 'not-assessable', reason: `${into}; links ${listed}, but no change tickets were collected around the period to judge them by`, tickets: [] };
  const rules: TicketRules = { bots: settings.bots, rejectedResolutions: settings.rejectedResolutions };
  const problems: string[] = [];
  const hashes: string[] = [];
  for (const key of keys.keys()) {
    const found = tickets.byKey.get(key) ?? [];
    if (found.length === 0) problems.push(`${key} is not among the ${tickets.count} change tickets collected around the period (from ${[...tickets.systems].sort().join(', ')})`);
    for (const ticket of found) {
      hashes.push(ticket.record.hash);
      const verdict = judgeTicket(ticket.data, change.mergedAt, people, rules);
      if (verdict.authorizes) return { status: 'pass', reason: `${into}; links ${listed}: ${verdict.reason}, before the merge`, tickets: [ticket.record.hash] };
      if (verdict.late && (change.emergency || ticket.data.emergency)) {
        return { status: 'pass', reason: `${into}; emergency change linked to ${listed}: ${verdict.reason} (see emergency-change-reviewed)`, tickets: [ticket.record.hash] };
      }
      problems.push(verdict.reason);
    }
  }
  return { status: 'exception', reason: `${into}; links ${listed}, but no approved change ticket: ${problems.join('; ')}`, tickets: hashes };
}

export default defineCheck({
  id: 'change-ticket-linked',
  title: 'Merged pull requests trace to an approved change ticket',
  description:
    'Each pull request merged in the period into its repository\'s default branch must link to a change ticket (a key in its title, head branch or body, or a ticket whose development links name it) that someone other than the ticket\'s author approved before the merge; a ticket closed as rejected does not count. An emergency change may have its ticket approved afterwards (judged by emergency-change-reviewed). Authors, labels and repositories can be exempted, and exempt PRs are listed as exempt with the rule that exempted them (never as passes). A PR into another branch is not judged.',
  criteria: ['CC8.1'],
  reads: ['change.request'],
  settings: Settings,
  appliesTo: (source, settings) => sourceFrom(source, settings.codeHosts),
  async *evaluate({ evidence, settings, people, period }) {
    const window = { since: new Date(period.since.getTime() - settings.ticketLookbackDays * DAY_MS), until: new Date(period.until.getTime() + settings.ticketLookaheadDays * DAY_MS) };
    const tickets = await readTickets(evidence, window, settings.codeHosts);
    for await (const record of evidence.events('change.request')) {
      if (!isCodeHost(record.system, settings.codeHosts)) continue;
      const change = record.data as ChangeData;
      if (change.mergedAt === null) continue;
      // A recorded default branch decides; without one (records collected before it was kept) the PR is judged.
      if (change.defaultBranch && targetOf(change).branch !== change.defaultBranch) continue;
      const { tickets: ticketHashes, ...verdict } = judge(change, tickets, settings, people);
      yield { item: `${change.id} ${change.title}`.trim(), system: record.system, ...verdict, records: [record.hash, ...ticketHashes] };
    }
  },
});
