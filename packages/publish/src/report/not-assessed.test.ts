/**
 * Never a silent pass: every check of the library, with its evidence missing
 * in each way it can be (no stream at all, a configured stream never
 * collected, an inventory older than its staleness, a stream that ran but
 * holds nothing of the period, a failed stream), says not-assessed with the
 * reason, per system, and its result is never a pass.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { RecordKind } from '@evidentia/evidence';
import { builtInChecks, checkResultsWriter, PeopleDirectory, renderCheckRun, runChecks, type CheckDefinition, type SourcePlan } from '@evidentia/audit';
import { accountRecord, auditEventRecord, configRecord, createSyntheticLocker, incidentRecord, outcomeOf, personnelRecord, pullRequestRecord, verdicts, type SyntheticLocker, type SyntheticRecord, type SyntheticStream } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { buildReportModel } from './model.js';
import { renderReport } from './render.js';

const GH = 'github:acme';
const JIRA = 'jira:acme.atlassian.net';
const AWS = 'aws:123456789012';
const SLACK = 'slack:acme';
const PERIOD = '2026-02-01..2026-02-28';
/** Long before the period: older than any staleness. */
const STALE = '2025-12-01T02:00:00Z';
/** After the period, so an event collection covers all of it. */
const AFTER = '2026-03-01T02:00:00Z';

interface Fixture {
  stream: string;
  connector: string;
  kind: RecordKind;
  type: 'state' | 'event';
  /** Records the check would judge as passing, when inside the period. */
  passing: SyntheticRecord[];
  /** Event streams: records the check reads that lie outside the period. */
  outside?: SyntheticRecord[];
  /** A stream the check reads only to judge another's items (change tickets for the PRs): it names no finding of its own. */
  context?: true;
}

const approval = { reviewer: { login: 'bob' }, state: 'approved' as const, at: '2026-02-02T11:00:00Z', revision: 'head' };
const protection = configRecord('change.config', GH, 'acme/api@main', 'branch_protection', { requiresPullRequest: true, requiredApprovals: 1, enforceAdmins: true, allowForcePushes: false });
const trail = configRecord('change.config', AWS, 'trail/main', 'trail', { name: 'main', isLogging: true, isMultiRegionTrail: true });
const members: Fixture = { stream: 'github/members', connector: 'github', kind: 'access.account', type: 'state', passing: [accountRecord(GH, 'alice', { email: 'alice@acme.example' })] };

/** Per check: the streams it judges, shaped so that, with evidence of the period, the check would pass. */
const FIXTURES: Record<string, Fixture[]> = {
  'pull-request-approved': [
    { stream: 'github/pull_requests', connector: 'github', kind: 'change.request', type: 'event', passing: [pullRequestRecord(GH, 'acme/api#1', { approvals: [approval] })], outside: [pullRequestRecord(GH, 'acme/api#0', { mergedAt: '2026-01-20T12:00:00Z' })] },
  ],
  'change-ticket-approved': [
    {
      stream: 'jira/changes',
      connector: 'jira',
      kind: 'change.request',
      type: 'event',
      passing: [pullRequestRecord(JIRA, 'CHG-1', { headRevision: null, headRevisionAt: null, approvals: [{ ...approval, revision: null }] })],
      outside: [pullRequestRecord(JIRA, 'CHG-0', { mergedAt: '2026-01-20T12:00:00Z' })],
    },
  ],
  'change-ticket-linked': [
    // A dependency bot's PR is exempt, but exempt PRs alone are no pass: one traces to a ticket approved before its merge.
    {
      stream: 'github/pull_requests',
      connector: 'github',
      kind: 'change.request',
      type: 'event',
      passing: [pullRequestRecord(GH, 'acme/api#1', { linkedTickets: ['CHG-1'], defaultBranch: 'main' }), pullRequestRecord(GH, 'acme/api#2', { author: { login: 'renovate[bot]', bot: true }, defaultBranch: 'main' })],
      outside: [pullRequestRecord(GH, 'acme/api#0', { mergedAt: '2026-01-20T12:00:00Z' })],
    },
    {
      stream: 'jira/changes',
      connector: 'jira',
      kind: 'change.request',
      type: 'event',
      context: true,
      passing: [pullRequestRecord(JIRA, 'CHG-1', { headRevision: null, headRevisionAt: null, author: { login: 'acc-1' }, target: 'CHG', mergedAt: '2026-02-03T09:00:00Z', approvals: [{ ...approval, reviewer: { login: 'acc-2' }, at: '2026-02-01T09:00:00Z', revision: null }], status: 'Done', resolution: 'Done' })],
    },
  ],
  'emergency-change-reviewed': [
    // Outside the period nothing is an emergency: a change in the period that is not one leaves nothing to judge too.
    { stream: 'github/pull_requests', connector: 'github', kind: 'change.request', type: 'event', passing: [pullRequestRecord(GH, 'acme/api#1', { emergency: true, approvals: [approval] })], outside: [pullRequestRecord(GH, 'acme/api#2')] },
  ],
  'branch-protection': [{ stream: 'github/branch_protection', connector: 'github', kind: 'change.config', type: 'state', passing: [protection] }],
  'mfa-enabled': [members],
  'outside-collaborator-access': [{ ...members, passing: [accountRecord(GH, 'olivia', { accountType: 'outside_collaborator', roles: ['outside_collaborator'], attributes: { repositories: [{ repository: 'acme/web', permission: 'read' }] } })] }],
  'sso-identity-linked': [{ ...members, passing: [accountRecord(GH, 'alice', { ssoIdentity: 'alice@acme.example', attributes: { sso: 'linked' } })] }],
  'access-keys': [
    {
      stream: 'aws/iam_users',
      connector: 'aws',
      kind: 'access.account',
      type: 'state',
      passing: [accountRecord(AWS, 'deploy', { credentials: [{ id: 'key-1', type: 'access_key', status: 'active', createdAt: '2025-11-20T00:00:00Z', lastUsedAt: '2025-11-30T00:00:00Z' }] })],
    },
  ],
  'accounts-have-owner': [{ ...members, stream: 'workspace/users', connector: 'google-workspace', passing: [accountRecord('google-workspace:acme.example', 'alice@acme.example', { email: 'alice@acme.example' })] }],
  'leavers-deprovisioned': [
    { stream: 'hr/lifecycle', connector: 'hr', kind: 'personnel.event', type: 'event', passing: [personnelRecord('hr:export', 'E-9:leaver', { person: { email: 'frank@acme.example', name: 'Frank', id: 'E-9' } })], outside: [personnelRecord('hr:export', 'E-8:leaver', { effectiveAt: '2026-01-10T00:00:00Z' })] },
    members,
  ],
  'incident-handled': [
    { stream: 'jira/incidents', connector: 'jira', kind: 'incident.record', type: 'event', passing: [incidentRecord('jira:acme', 'INC-1')], outside: [incidentRecord('jira:acme', 'INC-0', { openedAt: '2026-01-05T00:00:00Z' })] },
  ],
  'cloudtrail-logging': [{ stream: 'aws/account_config', connector: 'aws', kind: 'change.config', type: 'state', passing: [trail] }],
  'cloudtrail-never-stopped': [
    { stream: 'aws/cloudtrail_events', connector: 'aws', kind: 'audit.event', type: 'event', passing: [auditEventRecord(AWS, 'e-1')], outside: [auditEventRecord(AWS, 'e-0', { at: '2026-01-20T12:00:00Z' })] },
  ],
};

const plans = (fixtures: Fixture[]): SourcePlan[] => fixtures.map(({ stream, connector, kind, type }) => ({ stream, connector, kind, type, maxStalenessHours: 36 }));
const stream = (fixture: Fixture, records: SyntheticRecord[], status: SyntheticStream['status'] = 'complete'): SyntheticStream => ({ stream: fixture.stream, type: fixture.type, records, status });
const byId = (id: string) => builtInChecks.find((check) => check.id === id)!;
/**
 * Checks whose evidence is not a stream's records: access-review-performed judges the locker's signed
 * access reviews under the config's accessReviews: (its own tests cover no system configured, no review,
 * undecided rows and windows still running: never a pass); here only that with nothing configured it
 * says not assessed.
 */
const NOT_STREAM_FED = ['access-review-performed'];
const checks = builtInChecks.filter((check) => !NOT_STREAM_FED.includes(check.id)).map((check): [string, CheckDefinition<unknown>] => [check.id, check]);

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

/** Every finding is not-assessed with a reason, the result says so, and a reason says `expected`. */
async function expectNotAssessed(definition: CheckDefinition<unknown>, expected: RegExp, sources?: SourcePlan[]) {
  const outcome = await outcomeOf(definition, synthetic.locker, PERIOD, { sources });
  expect(outcome.result).toBe('not-assessed');
  expect(outcome.counts.pass).toBe(0);
  expect(outcome.counts['not-assessed']).toBeGreaterThan(0);
  expect(outcome.findings.map((finding) => finding.status)).toEqual(outcome.findings.map(() => 'not-assessed'));
  expect(outcome.findings.filter((finding) => finding.reason === '')).toEqual([]);
  expect(outcome.findings.map((finding) => finding.reason)).toContainEqual(expect.stringMatching(expected));
  return outcome;
}

describe('every check of the library says not assessed, with the reason, when its evidence is missing', () => {
  it('covers every check of the library', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(builtInChecks.map((check) => check.id).filter((id) => !NOT_STREAM_FED.includes(id)).sort());
  });

  it.each(NOT_STREAM_FED)('%s: with nothing configured and no review it says not assessed, never pass', async (id) => {
    await expectNotAssessed(byId(id), /./);
  });

  it.each(checks)('%s: no stream collects what it reads', async (_id, definition) => {
    await expectNotAssessed(definition, /no stream collects [a-z.]+ records: none is configured and the locker holds none/);
  });

  it.each(checks)('%s: its streams are configured but were never collected', async (id, definition) => {
    const outcome = await expectNotAssessed(definition, /is configured but has never been collected/, plans(FIXTURES[id]!));
    expect(outcome.findings.map((finding) => finding.item).sort()).toEqual([...new Set(FIXTURES[id]!.filter((f) => !f.context).map((f) => `(all ${f.kind} records from ${f.stream})`))].sort());
  });

  it.each(checks)('%s: what it would pass, seen only long before the period, is not a pass', async (id, definition) => {
    for (const fixture of FIXTURES[id]!) await synthetic.run(fixture.type === 'state' ? STALE : '2025-12-31T02:00:00Z', [stream(fixture, fixture.type === 'state' ? fixture.passing : (fixture.outside ?? []))]);
    const state = FIXTURES[id]!.find((fixture) => fixture.type === 'state');
    await expectNotAssessed(definition, state ? /no inventory from [a-z_/]+ inside the period or within its staleness of 36 h before it \(the last one before it is from 2025-12-01/ : /no complete collection from [a-z_/]+ reaches into the period/, plans(FIXTURES[id]!));
  });

  it.each(checks)('%s: a stream that failed in the period names its failure', async (id, definition) => {
    for (const fixture of FIXTURES[id]!) await synthetic.run('2026-02-10T02:00:00Z', [stream(fixture, [], 'failed')]);
    await expectNotAssessed(definition, /1 run\(s\) of it in the period did not complete \(last failed: synthetic failure\)/, plans(FIXTURES[id]!));
  });

  it.each(checks.filter(([id]) => FIXTURES[id]!.some((fixture) => fixture.type === 'event')))(
    '%s: a collection that covers the period but holds nothing of it leaves nothing to judge',
    async (id, definition) => {
      for (const fixture of FIXTURES[id]!) await synthetic.run(fixture.type === 'state' ? '2026-02-15T02:00:00Z' : AFTER, [stream(fixture, fixture.outside ?? fixture.passing)]);
      await expectNotAssessed(definition, /nothing to judge|nobody left during the period/, plans(FIXTURES[id]!));
    },
  );

  it.each(checks)('%s: with evidence of the period it passes (the fixtures are fair)', async (id, definition) => {
    for (const fixture of FIXTURES[id]!) await synthetic.run(fixture.type === 'state' ? '2026-02-15T02:00:00Z' : AFTER, [stream(fixture, fixture.passing)]);
    const outcome = await outcomeOf(definition, synthetic.locker, PERIOD, { sources: plans(FIXTURES[id]!) });
    expect(outcome.findings.filter((finding) => finding.status !== 'pass' && finding.exempt === undefined)).toEqual([]);
    expect(outcome.result).toBe('pass');
  });
});

describe('not assessed per system', () => {
  it('judges the systems with evidence and says which system had none', async () => {
    const slack: Fixture = { ...members, stream: 'slack/users', connector: 'slack', passing: [accountRecord(SLACK, 'alice', { email: 'alice@acme.example' })] };
    await synthetic.run(STALE, [stream(slack, slack.passing)]);
    await synthetic.run('2026-02-15T02:00:00Z', [stream(members, members.passing)]);
    const outcome = await outcomeOf(byId('mfa-enabled'), synthetic.locker, PERIOD, { sources: plans([members, slack]) });
    expect(verdicts(outcome.findings)).toEqual([
      [`(all access.account records from slack/users) @ ${SLACK}`, 'not-assessed'],
      [`alice <alice@acme.example> @ ${GH}`, 'pass'],
      [`alice <alice@acme.example> @ ${SLACK}`, 'not-assessed'],
    ]);
    expect(outcome.findings.find((f) => f.item.startsWith('alice') && f.system === SLACK)!.reason).toBe(
      'no inventory from slack/users inside the period or within its staleness of 36 h before it (the last one before it is from 2025-12-01T02:00:00.000Z); older evidence showed: MFA enabled in the inventory of 2025-12-01T02:00:00.000Z',
    );
    expect(outcome.result).toBe('not-assessed');
  });

  it('leavers: a system without an account inventory near the period is not assessed for each leaver, never "no account matched in no system"', async () => {
    const hr = FIXTURES['leavers-deprovisioned']![0]!;
    const slack: Fixture = { ...members, stream: 'slack/users', connector: 'slack', passing: [accountRecord(SLACK, 'frank', { email: 'frank@acme.example' })] };
    await synthetic.run(STALE, [stream(slack, slack.passing)]);
    await synthetic.run('2026-02-15T02:00:00Z', [stream(members, members.passing)]);
    await synthetic.run(AFTER, [stream(hr, hr.passing)]);
    const outcome = await outcomeOf(byId('leavers-deprovisioned'), synthetic.locker, PERIOD, { sources: plans([hr, members, slack]) });
    const frank = outcome.findings.filter((finding) => finding.item === 'frank@acme.example');
    expect(frank.map((finding) => [finding.system, finding.status])).toEqual([
      [SLACK, 'not-assessed'],
      [GH, 'pass'],
    ]);
    expect(frank[0]!.reason).toMatch(/^no inventory from slack\/users inside the period .*; older evidence showed: left on 2026-02-10T00:00:00.000Z/);
    expect(outcome.result).toBe('not-assessed');
  });

  it('leavers: with no account inventory in any system a leaver is not assessed', async () => {
    const hr = FIXTURES['leavers-deprovisioned']![0]!;
    await synthetic.run(AFTER, [stream(hr, hr.passing)]);
    const outcome = await outcomeOf(byId('leavers-deprovisioned'), synthetic.locker, PERIOD);
    expect(verdicts(outcome.findings)).toEqual([
      ['(all access.account records)', 'not-assessed'],
      ['frank@acme.example', 'not-assessed'],
    ]);
    expect(outcome.findings.find((f) => f.item === 'frank@acme.example')!.reason).toBe('left on 2026-02-10T00:00:00.000Z; no account inventory of any system to look in');
  });

  it('looks only at the streams a check applies to', async () => {
    const trails = FIXTURES['cloudtrail-logging']![0]!;
    const branches = FIXTURES['branch-protection']![0]!;
    await synthetic.run('2026-02-15T02:00:00Z', [stream(branches, branches.passing)]);
    // The AWS stream was never collected: branch protection does not depend on it, CloudTrail logging does.
    const sources = plans([trails, branches]);
    expect((await outcomeOf(byId('branch-protection'), synthetic.locker, PERIOD, { sources })).result).toBe('pass');
    const cloudtrail = await outcomeOf(byId('cloudtrail-logging'), synthetic.locker, PERIOD, { sources });
    expect(verdicts(cloudtrail.findings)).toEqual([['(all change.config records from aws/account_config)', 'not-assessed']]);
  });
});

describe('not assessed in every output', () => {
  it('is NOT ASSESSED in the terminal table, the results JSON and the HTML report, never ok or a pass', async () => {
    await synthetic.run(STALE, [stream(members, members.passing)]);
    const period = parsePeriod(PERIOD);
    let json = '';
    const writer = checkResultsWriter(period, (text) => {
      json += text;
    });
    await writer.begin();
    const run = await runChecks({ locker: synthetic.locker, period, checks: [{ definition: byId('mfa-enabled'), settings: byId('mfa-enabled').settings.parse({}) }], people: new PeopleDirectory(), sources: plans([members]), ...writer });
    await writer.end();
    expect(renderCheckRun(run)).toMatch(/mfa-enabled\s+CC6\.1\s+0\s+0\s+0\s+2\s+NOT ASSESSED\n/);
    expect(renderCheckRun(run)).toContain('NOT ASSESSED (no evidence to judge: never a pass)');
    expect(renderCheckRun(run)).toContain('1 check(s) NOT ASSESSED in whole or part in 1 checks');
    const results = JSON.parse(json) as { checks: { result: string; counts: Record<string, number>; findings: { status: string }[] }[] };
    expect(results.checks[0]).toMatchObject({ result: 'not-assessed', counts: { pass: 0, 'not-assessed': 2 } });
    expect(results.checks[0]!.findings.map((finding) => finding.status)).toEqual(['not-assessed', 'not-assessed']);
    const model = await buildReportModel({ locker: synthetic.locker, period, run });
    expect(model.criteria.find((row) => row.id === 'CC6.1')!.status).toBe('not-assessed');
    const html = renderReport(model);
    expect(html).toContain('<span class="status not-assessed">2 NOT ASSESSED</span>');
    expect(html).toContain('partly not assessed: no evidence of the period to judge');
  });
  it('counts no criterion "with evidence" in the summary when the locker holds nothing of the period', async () => {
    const period = parsePeriod(PERIOD);
    const run = await runChecks({ locker: synthetic.locker, period, checks: [{ definition: byId('mfa-enabled'), settings: byId('mfa-enabled').settings.parse({}) }], people: new PeopleDirectory(), sources: plans([members]) });
    const html = renderReport(await buildReportModel({ locker: synthetic.locker, period, run }));
    // CC6.1 is not assessed for want of evidence: that is not a criterion with evidence.
    expect(html).toContain('partly not assessed: no evidence of the period to judge');
    expect(html).toMatch(/<strong>0 \/ \d+<\/strong>criteria with evidence in the period/);
  });
});
