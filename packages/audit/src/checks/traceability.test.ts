/** change-ticket-linked on a real locker: each way a merged PR can fail to trace to an approved change ticket, the exemptions, and what is not judged. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import changeTicketLinked from './library/change-ticket-linked.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { pullRequestRecord } from './synthetic-records.js';
import { findingsOf, outcomeOf } from './test-support.js';

const GH = 'github:acme';
const JIRA = 'jira:acme.atlassian.net';
const PERIOD = '2026-02-01..2026-02-28';
const approved = (login: string, at: string) => ({ reviewer: { login }, state: 'approved' as const, at, revision: null });
const pending = (login: string) => ({ reviewer: { login, name: 'Dave Approver' }, state: 'pending' as const, at: null, revision: null });
const ticket = (id: string, data: Parameters<typeof pullRequestRecord>[2] = {}) =>
  pullRequestRecord(JIRA, id, { headRevision: null, headRevisionAt: null, author: { login: 'acc-1' }, target: 'CHG', mergedAt: '2026-02-03T09:00:00Z', approvals: [approved('acc-2', '2026-02-01T09:00:00Z')], status: 'Done', resolution: 'Done', ...data });
const pr = (id: string, data: Parameters<typeof pullRequestRecord>[2] = {}) => pullRequestRecord(GH, id, { defaultBranch: 'main', ...data });

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const status = (findings: Array<{ item: string; status: string }>) => Object.fromEntries(findings.map((f) => [f.item.split(' ')[0], f.status]));

describe('change-ticket-linked', () => {
  beforeEach(async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      {
        stream: 'jira/changes',
        type: 'event',
        records: [
          ticket('CHG-1'),
          ticket('CHG-2', { approvals: [pending('acc-4')], status: 'Awaiting approval', resolution: null, mergedAt: null }),
          ticket('CHG-3', { approvals: [approved('acc-2', '2026-02-02T15:00:00Z')] }),
          ticket('CHG-5', { linkedChanges: ['acme/api#10'] }),
          ticket('CHG-6', { approvals: [approved('acc-1', '2026-02-01T09:00:00Z')] }),
          ticket('CHG-7', { resolution: "Won't Do" }),
          // Done before the period (within the look-back), approved before the PR that links it.
          ticket('CHG-8', { mergedAt: '2026-01-10T09:00:00Z', approvals: [approved('acc-2', '2026-01-05T09:00:00Z')] }),
        ],
      },
      {
        stream: 'github/pull_requests',
        type: 'event',
        records: [
          pr('acme/api#1', { linkedTickets: ['CHG-1'], ticketSources: { 'CHG-1': ['title', 'branch'] } }),
          pr('acme/api#2'),
          pr('acme/api#3', { linkedTickets: ['CHG-404'] }),
          pr('acme/api#4', { linkedTickets: ['CHG-2'] }),
          pr('acme/api#5', { linkedTickets: ['CHG-3'] }),
          pr('acme/api#6', { linkedTickets: ['CHG-3'], emergency: true }),
          pr('acme/api#7', { author: { login: 'dependabot[bot]', bot: true } }),
          pr('acme/api#8', { labels: ['No-Ticket'] }),
          pr('acme/api#9', { target: 'acme/api:release' }),
          pr('acme/api#10'),
          pr('acme/api#11', { linkedTickets: ['CHG-6'] }),
          pr('acme/api#12', { linkedTickets: ['CHG-7'] }),
          pr('acme/api#13', { linkedTickets: ['CHG-8'], ticketSources: { 'CHG-8': ['body'] } }),
          pr('acme/api#14', { linkedTickets: ['ACME-231', 'CHG-404', 'CHG-1'] }),
          pr('acme/sandbox#1', { target: 'acme/sandbox:main' }),
          // Collected before the default branch was kept: judged.
          pr('acme/api#15', { target: 'acme/api:develop', defaultBranch: undefined }),
        ],
      },
    ]);
  });

  it('passes a PR linked to a ticket approved before the merge, and names why each other one fails', async () => {
    const findings = await findingsOf(changeTicketLinked, synthetic.locker, PERIOD, { settings: { exemptLabels: ['no-ticket'], exemptRepositories: ['sandbox'] }, aliases: {} });
    expect(status(findings)).toEqual({
      'acme/api#1': 'pass',
      'acme/api#2': 'exception',
      'acme/api#3': 'exception',
      'acme/api#4': 'exception',
      'acme/api#5': 'exception',
      'acme/api#6': 'pass',
      'acme/api#7': 'not-assessable',
      'acme/api#8': 'not-assessable',
      'acme/api#10': 'pass',
      'acme/api#11': 'exception',
      'acme/api#12': 'exception',
      'acme/api#13': 'pass',
      'acme/api#14': 'pass',
      'acme/api#15': 'exception',
      'acme/sandbox#1': 'not-assessable',
    });
    // Exempt, not passing: each names the setting that exempted it.
    const exempt = Object.fromEntries(findings.filter((f) => f.exempt).map((f) => [f.item.split(' ')[0], f.exempt]));
    expect(exempt).toEqual({ 'acme/api#7': 'exemptAuthors', 'acme/api#8': 'exemptLabels', 'acme/sandbox#1': 'exemptRepositories' });
    const reason = (item: string) => findings.find((f) => f.item.split(' ')[0] === item)!.reason;
    expect(reason('acme/api#1')).toBe('merged at 2026-02-02T12:00:00Z into acme/api:main; links CHG-1 (from title, branch): CHG-1 approved by acc-2 at 2026-02-01T09:00:00Z, before the merge');
    expect(reason('acme/api#2')).toContain('without a change ticket: no ticket key in its title, branch or body, and no ticket links to it');
    expect(reason('acme/api#3')).toContain('CHG-404 is not among the 7 change tickets collected around the period (from jira:acme.atlassian.net)');
    expect(reason('acme/api#4')).toContain('CHG-2 is still awaiting approval by Dave Approver (acc-4) (status Awaiting approval)');
    expect(reason('acme/api#5')).toContain('CHG-3 was approved only after the merge (acc-2 at 2026-02-02T15:00:00Z)');
    expect(reason('acme/api#6')).toContain('see emergency-change-reviewed');
    expect(reason('acme/api#7')).toContain('its author dependabot[bot] is exempt (exemptAuthors)');
    expect(reason('acme/api#8')).toContain('exempt label "No-Ticket"');
    expect(reason('acme/api#10')).toContain("CHG-5 (from the ticket's development links)");
    expect(reason('acme/api#11')).toContain('CHG-6 has no independent approval');
    expect(reason('acme/api#12')).toContain("CHG-7 was closed as Won't Do");
    expect(reason('acme/sandbox#1')).toContain('exempt (exemptRepositories: sandbox)');
    // The finding rests on the PR and on the ticket that decided it.
    expect(findings.find((f) => f.item.startsWith('acme/api#1 '))!.records).toHaveLength(2);
    expect(findings.find((f) => f.item.startsWith('acme/api#2 '))!.records).toHaveLength(1);
  });

  it('counts only the configured change projects, and says which keys it set aside', async () => {
    const findings = await findingsOf(changeTicketLinked, synthetic.locker, PERIOD, { settings: { projects: ['OPS'] } });
    const acme = findings.find((f) => f.item.startsWith('acme/api#14 '))!;
    expect(acme.status).toBe('exception');
    expect(acme.reason).toContain('it names ACME-231, CHG-404, CHG-1, outside the change projects OPS');
  });

  it('exempts nobody the settings do not name: the dependency bot list can be emptied', async () => {
    const findings = await findingsOf(changeTicketLinked, synthetic.locker, PERIOD, { settings: { exemptAuthors: [] } });
    expect(findings.find((f) => f.item.startsWith('acme/api#7 '))!.status).toBe('exception');
    expect(findings.find((f) => f.item.startsWith('acme/api#8 '))!.status).toBe('exception');
  });
});

describe('change-ticket-linked with little to judge', () => {
  it('is not assessed when no pull request was merged in the period', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      { stream: 'github/pull_requests', type: 'event', records: [pr('acme/api#1', { mergedAt: '2026-01-20T12:00:00Z', linkedTickets: [] })] },
      { stream: 'jira/changes', type: 'event', records: [ticket('CHG-1')] },
    ]);
    const outcome = await outcomeOf(changeTicketLinked, synthetic.locker, PERIOD);
    expect(outcome.result).toBe('not-assessed');
    expect(outcome.counts.pass).toBe(0);
  });

  it('never passes on exempt PRs alone: a period of dependency-bot merges traced nothing', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', records: [pr('acme/api#1', { author: { login: 'dependabot[bot]', bot: true } }), pr('acme/api#2', { author: { login: 'renovate[bot]', bot: true } })] }]);
    const outcome = await outcomeOf(changeTicketLinked, synthetic.locker, PERIOD);
    expect(outcome.counts).toEqual({ pass: 0, exception: 0, 'not-assessable': 2, 'not-assessed': 1 });
    expect(outcome.exempt).toBe(2);
    expect(outcome.result).toBe('not-assessed');
  });

  it('cannot judge a linked ticket when no change tickets were collected, but still fails a PR with no link', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [{ stream: 'github/pull_requests', type: 'event', records: [pr('acme/api#1', { linkedTickets: ['CHG-1'] }), pr('acme/api#2')] }]);
    const findings = await findingsOf(changeTicketLinked, synthetic.locker, PERIOD);
    expect(status(findings)).toEqual({ 'acme/api#1': 'not-assessable', 'acme/api#2': 'exception' });
    expect(findings.find((f) => f.item.startsWith('acme/api#1 '))!.reason).toContain('no change tickets were collected around the period');
  });
});
