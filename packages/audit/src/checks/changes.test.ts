/** Change-management checks on a real locker with synthetic pull requests and tickets: independent approval, last revision, bots, emergency changes. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import changeTicketApproved from './library/change-ticket-approved.js';
import emergencyChangeReviewed from './library/emergency-change-reviewed.js';
import pullRequestApproved from './library/pull-request-approved.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { pullRequestRecord } from './synthetic-records.js';
import { findingsOf, verdicts } from './test-support.js';

const GH = 'github:acme';
const JIRA = 'jira:acme.atlassian.net';
const PERIOD = '2026-02-01..2026-02-28';
const approve = (login: string, at: string, revision: string | null = 'head', extra: { bot?: boolean; state?: 'approved' | 'dismissed' | 'changes_requested' | 'commented' } = {}) => ({
  reviewer: { login, bot: extra.bot ?? false },
  state: extra.state ?? ('approved' as const),
  at,
  revision,
});

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

describe('pull-request-approved', () => {
  it('passes an approval by another person on the merged head before the merge, and names every kind of failure', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      {
        stream: 'github/pull_requests',
        type: 'event',
        records: [
          pullRequestRecord(GH, 'acme/api#1', { approvals: [approve('bob', '2026-02-02T11:00:00Z')] }),
          pullRequestRecord(GH, 'acme/api#2', { approvals: [approve('bob', '2026-02-01T09:30:00Z', 'older')] }),
          pullRequestRecord(GH, 'acme/api#3', { approvals: [approve('alice', '2026-02-02T11:00:00Z')] }),
          pullRequestRecord(GH, 'acme/api#4', { approvals: [approve('renovate[bot]', '2026-02-02T11:00:00Z'), approve('ci', '2026-02-02T11:00:00Z', 'head', { bot: true })] }),
          pullRequestRecord(GH, 'acme/api#5', { approvals: [approve('bob', '2026-02-02T13:00:00Z')] }),
          pullRequestRecord(GH, 'acme/api#6', { approvals: [approve('bob', '2026-02-02T11:00:00Z', 'head', { state: 'dismissed' })] }),
          // The source did not say which revision was approved: the approval time must follow the head commit.
          pullRequestRecord(GH, 'acme/api#7', { approvals: [approve('bob', '2026-02-01T11:00:00Z', null)] }),
          pullRequestRecord(GH, 'acme/api#8', { approvals: [approve('bob', '2026-02-01T09:30:00Z', null)] }),
          pullRequestRecord(GH, 'acme/api#9', { emergency: true, approvals: [approve('bob', '2026-02-03T09:00:00Z')] }),
          pullRequestRecord(GH, 'acme/api#10', { emergency: true, approvals: [approve('bob', '2026-02-09T09:00:00Z')] }),
          // Merged before the period: not in it.
          pullRequestRecord(GH, 'acme/api#0', { mergedAt: '2026-01-20T12:00:00Z' }),
        ],
      },
    ]);
    const findings = await findingsOf(pullRequestApproved, synthetic.locker, PERIOD, { aliases: { 'alice@acme.example': ['alice', 'alice-alt'] } });
    const status = Object.fromEntries(findings.map((f) => [f.item.split(' ')[0], f.status]));
    expect(status).toEqual({
      'acme/api#1': 'pass',
      'acme/api#2': 'exception',
      'acme/api#3': 'exception',
      'acme/api#4': 'exception',
      'acme/api#5': 'exception',
      'acme/api#6': 'exception',
      'acme/api#7': 'pass',
      'acme/api#8': 'exception',
      'acme/api#9': 'pass',
      'acme/api#10': 'exception',
    });
    const reason = (item: string) => findings.find((f) => f.item.split(' ')[0] === item)!.reason;
    expect(reason('acme/api#2')).toContain('was on revision older, not the merged head head');
    expect(reason('acme/api#3')).toContain('alice is the author');
    expect(reason('acme/api#4')).toContain('renovate[bot] is a bot');
    expect(reason('acme/api#5')).toContain('approved only after the merge');
    expect(reason('acme/api#6')).toContain("bob's approval was dismissed");
    expect(reason('acme/api#9')).toContain('reviewed afterwards by bob');
    expect(findings.every((f) => f.records.length === 1 && /^[0-9a-f]{64}$/.test(f.records[0]!))).toBe(true);
  });

  it('fails a merge while another reviewer\'s request for changes still stands, judging each reviewer by their latest opinion', async () => {
    const objects = (login: string, at: string) => approve(login, at, 'head', { state: 'changes_requested' });
    await synthetic.run('2026-03-01T02:00:00Z', [
      {
        stream: 'github/pull_requests',
        type: 'event',
        records: [
          // bob approved; carol's request for changes still stood at the merge (12:00).
          pullRequestRecord(GH, 'acme/api#1', { approvals: [objects('carol', '2026-02-02T10:00:00Z'), approve('bob', '2026-02-02T11:00:00Z')] }),
          // carol asked for changes, then approved: her latest opinion is the approval.
          pullRequestRecord(GH, 'acme/api#2', { approvals: [objects('carol', '2026-02-02T10:00:00Z'), approve('carol', '2026-02-02T11:00:00Z')] }),
          // carol's request was dismissed (GitHub marks the review itself dismissed).
          pullRequestRecord(GH, 'acme/api#3', { approvals: [approve('carol', '2026-02-02T10:00:00Z', 'head', { state: 'dismissed' }), approve('bob', '2026-02-02T11:00:00Z')] }),
          // A comment after the request changes nothing; the request still stands.
          pullRequestRecord(GH, 'acme/api#4', { approvals: [objects('carol', '2026-02-02T10:00:00Z'), approve('carol', '2026-02-02T10:30:00Z', 'head', { state: 'commented' }), approve('bob', '2026-02-02T11:00:00Z')] }),
          // Asked after the merge: it did not stand at the merge.
          pullRequestRecord(GH, 'acme/api#5', { approvals: [approve('bob', '2026-02-02T11:00:00Z'), objects('carol', '2026-02-02T13:00:00Z')] }),
          // The same person under an alias withdrew the request by approving.
          pullRequestRecord(GH, 'acme/api#6', { approvals: [objects('carol', '2026-02-02T10:00:00Z'), approve('carol-alt', '2026-02-02T11:00:00Z')] }),
          // An approval then a request by the same reviewer: the request is the latest opinion.
          pullRequestRecord(GH, 'acme/api#7', { approvals: [approve('bob', '2026-02-02T09:00:00Z'), approve('carol', '2026-02-02T10:00:00Z'), objects('carol', '2026-02-02T11:00:00Z')] }),
        ],
      },
    ]);
    const findings = await findingsOf(pullRequestApproved, synthetic.locker, PERIOD, { aliases: { 'carol@acme.example': ['carol', 'carol-alt'] } });
    expect(Object.fromEntries(findings.map((f) => [f.item.split(' ')[0], f.status]))).toEqual({
      'acme/api#1': 'exception',
      'acme/api#2': 'pass',
      'acme/api#3': 'pass',
      'acme/api#4': 'exception',
      'acme/api#5': 'pass',
      'acme/api#6': 'pass',
      'acme/api#7': 'exception',
    });
    expect(findings.find((f) => f.item.startsWith('acme/api#1 '))!.reason).toContain('while changes requested by carol at 2026-02-02T10:00:00Z still stood');
  });

  it("uses GitHub's review decision: CHANGES_REQUESTED fails a merge when no review came after it; REVIEW_REQUIRED is only noted", async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      {
        stream: 'github/pull_requests',
        type: 'event',
        records: [
          // The listed reviews show only bob's approval, but GitHub says changes were requested.
          pullRequestRecord(GH, 'acme/api#1', { reviewDecision: 'changes_requested', approvals: [approve('bob', '2026-02-02T11:00:00Z')] }),
          // A review after the merge: the decision read now need not be the one at the merge.
          pullRequestRecord(GH, 'acme/api#2', { reviewDecision: 'changes_requested', approvals: [approve('bob', '2026-02-02T11:00:00Z'), approve('carol', '2026-02-03T09:00:00Z', 'head', { state: 'changes_requested' })] }),
          pullRequestRecord(GH, 'acme/api#3', { reviewDecision: 'review_required', approvals: [approve('bob', '2026-02-02T11:00:00Z')] }),
          pullRequestRecord(GH, 'acme/api#4', { reviewDecision: 'approved', approvals: [approve('bob', '2026-02-02T11:00:00Z')] }),
        ],
      },
    ]);
    const findings = await findingsOf(pullRequestApproved, synthetic.locker, PERIOD);
    expect(Object.fromEntries(findings.map((f) => [f.item.split(' ')[0], f.status]))).toEqual({ 'acme/api#1': 'exception', 'acme/api#2': 'pass', 'acme/api#3': 'pass', 'acme/api#4': 'pass' });
    expect(findings.find((f) => f.item.startsWith('acme/api#1 '))!.reason).toContain("GitHub's review decision was CHANGES_REQUESTED");
    expect(findings.find((f) => f.item.startsWith('acme/api#3 '))!.reason).toContain('note: GitHub\'s review decision reads REVIEW_REQUIRED');
  });

  it('treats an alias of the author as the author', async () => {
    await synthetic.run('2026-03-01T02:00:00Z', [
      { stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord(GH, 'acme/api#1', { approvals: [approve('alice-alt', '2026-02-02T11:00:00Z')] })] },
    ]);
    const without = await findingsOf(pullRequestApproved, synthetic.locker, PERIOD);
    expect(without[0]!.status).toBe('pass');
    const withAlias = await findingsOf(pullRequestApproved, synthetic.locker, PERIOD, { aliases: { 'alice@acme.example': ['alice', 'alice-alt'] } });
    expect(withAlias[0]!.status).toBe('exception');
  });
});

describe('change-ticket-approved and emergency-change-reviewed', () => {
  beforeEach(async () => {
    const ticket = (id: string, data: Parameters<typeof pullRequestRecord>[2]) =>
      pullRequestRecord(JIRA, id, { headRevision: null, headRevisionAt: null, author: { login: 'acc-1', name: 'Rita Reporter' }, ...data });
    await synthetic.run('2026-03-01T02:00:00Z', [
      {
        stream: 'jira/changes',
        type: 'event',
        records: [
          ticket('CHG-1', { approvals: [approve('acc-2', '2026-02-02T10:00:00Z', null)] }),
          ticket('CHG-2', { approvals: [approve('acc-2', '2026-02-02T13:00:00Z', null)] }),
          ticket('CHG-3', { approvals: [approve('acc-1', '2026-02-02T10:00:00Z', null)] }),
          ticket('CHG-4', { emergency: true, approvals: [approve('acc-2', '2026-02-03T10:00:00Z', null)] }),
          ticket('CHG-5', { emergency: true }),
          ticket('CHG-6', { mergedAt: null, closedAt: null }),
          // Deployed while the named approver had not approved yet.
          ticket('CHG-7', { status: 'Deployed', approvals: [{ reviewer: { login: 'acc-3', name: 'Ann Approver' }, state: 'pending', at: null, revision: null }] }),
          // Closed as turned down: nothing shipped.
          ticket('CHG-8', { status: 'Closed', resolution: "Won't Do" }),
        ],
      },
      { stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord(GH, 'acme/api#1', { emergency: true, mergedAt: '2026-02-27T12:00:00Z' })] },
    ]);
  });

  it('judges only tickets from systems that are not code hosts, done in the period', async () => {
    const findings = await findingsOf(changeTicketApproved, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`CHG-1 Change CHG-1 @ ${JIRA}`, 'pass'],
      [`CHG-2 Change CHG-2 @ ${JIRA}`, 'exception'],
      [`CHG-3 Change CHG-3 @ ${JIRA}`, 'exception'],
      [`CHG-4 Change CHG-4 @ ${JIRA}`, 'pass'],
      [`CHG-5 Change CHG-5 @ ${JIRA}`, 'exception'],
      [`CHG-7 Change CHG-7 @ ${JIRA}`, 'exception'],
      [`CHG-8 Change CHG-8 @ ${JIRA}`, 'pass'],
    ]);
    expect(findings.find((f) => f.item.startsWith('CHG-2 '))!.reason).toContain('approved only afterwards by acc-2');
    expect(findings.find((f) => f.item.startsWith('CHG-7 '))!.reason).toBe('done at 2026-02-02T12:00:00Z without a prior approval; it is still awaiting approval by Ann Approver (acc-3) (status Deployed)');
    expect(findings.find((f) => f.item.startsWith('CHG-8 '))!.reason).toContain("closed as Won't Do");
    const selfApproved = await findingsOf(changeTicketApproved, synthetic.locker, PERIOD, { settings: { requireIndependentApprover: false } });
    expect(selfApproved.find((f) => f.item.startsWith('CHG-3 '))!.status).toBe('pass');
  });

  it('needs a review of every emergency change within the window, and waits while the window is open', async () => {
    const findings = await findingsOf(emergencyChangeReviewed, synthetic.locker, PERIOD);
    expect(verdicts(findings)).toEqual([
      [`acme/api#1 Change acme/api#1 @ ${GH}`, 'not-assessable'],
      [`CHG-4 Change CHG-4 @ ${JIRA}`, 'pass'],
      [`CHG-5 Change CHG-5 @ ${JIRA}`, 'exception'],
    ]);
    expect(findings.find((f) => f.item.startsWith('acme/api#1 '))!.reason).toContain('the window runs until 2026-03-02T12:00:00.000Z');
  });
});
