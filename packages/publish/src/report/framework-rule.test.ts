/**
 * The report's ISO 27001 table and the OSCAL findings judge a requirement by
 * one rule: a SOC 2 criterion carries it only when its checks passed and the
 * coverage ledger shows no open gap. Evidence no check judges, a gap, or a
 * report without a ledger never reads as covered. `check`'s framework tables
 * and readiness judge the checks by the same rule: an item the evidence could
 * not decide is never ready nor satisfied, an item exempt by configuration
 * neither blocks nor passes, and an overdue request keeps its criterion
 * unsatisfied.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { builtInChecks, computeReadiness, coveredCriteria, frameworkScope, PeopleDirectory, renderCheckRun, type RequestLine, runChecks, type CheckRun } from '@evidentia/audit';
import { accountRecord, createSyntheticLocker, pullRequestRecord, type SyntheticLocker, type SyntheticRecord } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { findingsOf } from '../oscal/findings.js';
import { buildReportModel, criterionSatisfied, type CoverageView } from './model.js';
import { renderReport } from './render.js';

const GH = 'github:acme';
const period = parsePeriod('2026-02-01..2026-02-28');
const scope = frameworkScope(['soc2', 'iso27001'], ['security']);
/** A.8.32 (change management) is reached through CC8.1 superset-of. */
const REQUIREMENT = 'A.8.32';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
  const approvals = [{ reviewer: { login: 'bob' }, state: 'approved' as const, at: '2026-02-02T11:00:00Z', revision: 'head' }];
  await synthetic.run('2026-03-01T02:00:00Z', [
    { stream: 'github/pull_requests', type: 'event', records: [pullRequestRecord(GH, 'acme/api#1', { approvals }), pullRequestRecord(GH, 'acme/api#2', { approvals })], range: { since: '2026-01-01T00:00:00Z', until: '2026-03-01T00:00:00Z' } },
  ]);
});
afterEach(async () => synthetic.cleanup());

async function checkRun(ids: string[]): Promise<CheckRun> {
  const checks = builtInChecks.filter((check) => ids.includes(check.id)).map((definition) => ({ definition, settings: definition.settings.parse({}) }));
  return runChecks({ locker: synthetic.locker, period, checks, people: new PeopleDirectory(), sources: null });
}

/** The pull requests stream is configured: its coverage is known. */
const PULLS_VIEW = { stream: 'github/pull_requests', covered: true, unreadItems: false, expected: 28, successful: 28, gaps: [] };
const ledger = (gapStreams: string[]): CoverageView => ({ streams: [{ ...PULLS_VIEW, covered: gapStreams.length === 0 }], criteria: [{ criterion: 'CC8.1', gapStreams, unreadStreams: [] }] });

async function statuses(ids: string[], coverage: CoverageView | null) {
  const model = await buildReportModel({ locker: synthetic.locker, period, run: await checkRun(ids), coverage, scope });
  const row = model.frameworks.find((table) => table.framework === 'iso27001')!.rows.find((candidate) => candidate.requirement === REQUIREMENT)!;
  const context = { key: 'test', lockerResource: null, asOf: '2026-03-02T00:00:00Z', framework: 'iso27001' as const, coverageKnown: coverage !== null, gapObservations: new Map<string, string[]>() };
  const finding = findingsOf(context, model.criteria, scope).findings.find((candidate) => candidate.title.startsWith(`${REQUIREMENT}:`))!;
  return { criterion: model.criteria.find((candidate) => candidate.id === 'CC8.1')!.status, table: row.status, oscal: finding.target.status.state };
}

describe("the report's framework tables and OSCAL share one rule", () => {
  it('covers a requirement through a criterion whose checks pass with no coverage gap', async () => {
    expect(await statuses(['pull-request-approved'], ledger([]))).toEqual({ criterion: 'pass', table: 'covered', oscal: 'satisfied' });
  });

  it('does not cover it on evidence that no check judges', async () => {
    expect(await statuses([], ledger([]))).toEqual({ criterion: 'evidence', table: 'not-covered', oscal: 'not-satisfied' });
  });

  it('does not cover it while a stream serving the criterion has an open gap', async () => {
    expect(await statuses(['pull-request-approved'], ledger(['github/pull_requests']))).toEqual({ criterion: 'pass', table: 'not-covered', oscal: 'not-satisfied' });
  });

  it('does not cover it while a stream its checks judged has an open gap or an unread item, whatever criteria that stream names', async () => {
    // The configuration links the pull requests stream to CC6.2 only; pull-request-approved (CC8.1) judged it all the same.
    const elsewhere = (view: { covered: boolean; unreadItems: boolean }): CoverageView => ({
      streams: [{ ...PULLS_VIEW, ...view }],
      criteria: [{ criterion: 'CC6.2', gapStreams: view.covered ? [] : ['github/pull_requests'], unreadStreams: view.unreadItems ? ['github/pull_requests'] : [] }],
    });
    expect(await statuses(['pull-request-approved'], elsewhere({ covered: true, unreadItems: false }))).toEqual({ criterion: 'pass', table: 'covered', oscal: 'satisfied' });
    expect(await statuses(['pull-request-approved'], elsewhere({ covered: false, unreadItems: false }))).toEqual({ criterion: 'pass', table: 'not-covered', oscal: 'not-satisfied' });
    expect(await statuses(['pull-request-approved'], elsewhere({ covered: true, unreadItems: true }))).toEqual({ criterion: 'pass', table: 'not-covered', oscal: 'not-satisfied' });
  });

  it('does not cover it while a stream its checks judged is no longer configured, its coverage unknown', async () => {
    // github/pull_requests was disabled: the ledger knows only branch protection, the checks still judge the stored pull requests.
    const disabled: CoverageView = { streams: [{ ...PULLS_VIEW, stream: 'github/branch_protection' }], criteria: [{ criterion: 'CC8.1', gapStreams: [], unreadStreams: [] }] };
    expect(await statuses(['pull-request-approved'], disabled)).toEqual({ criterion: 'pass', table: 'not-covered', oscal: 'not-satisfied' });
    const model = await buildReportModel({ locker: synthetic.locker, period, run: await checkRun(['pull-request-approved']), coverage: disabled, scope });
    const context = { key: 'test', lockerResource: null, asOf: '2026-03-02T00:00:00Z', framework: 'soc2' as const, coverageKnown: true, gapObservations: new Map<string, string[]>() };
    expect(findingsOf(context, model.criteria, scope).findings.find((finding) => finding.title.startsWith('CC8.1:'))!.description).toContain(
      'its checks judged github/pull_requests, which the configuration no longer names (disabled or removed), so their coverage of the period cannot be judged',
    );
  });

  it("marks the criterion's tile, which says its checks pass, with what keeps it unsatisfied: an unread item, a stream no longer configured", async () => {
    const tileOf = async (coverage: CoverageView) => {
      const model = await buildReportModel({ locker: synthetic.locker, period, run: await checkRun(['pull-request-approved']), coverage, scope });
      return /<li class="tile [^"]*" title="CC8\.1 [^"]*">/.exec(renderReport(model))?.[0];
    };
    const unread: CoverageView = { streams: [{ ...PULLS_VIEW, unreadItems: true }], criteria: [{ criterion: 'CC8.1', gapStreams: [], unreadStreams: ['github/pull_requests'] }] };
    expect(await tileOf(unread)).toMatch(/^<li class="tile pass gapped" title="CC8\.1 [^"]*: checks pass · items in scope not read by github\/pull_requests">$/);
    const disabled: CoverageView = { streams: [{ ...PULLS_VIEW, stream: 'github/branch_protection' }], criteria: [{ criterion: 'CC8.1', gapStreams: [], unreadStreams: [] }] };
    expect(await tileOf(disabled)).toMatch(/^<li class="tile pass gapped" title="CC8\.1 [^"]*: checks pass · coverage unknown: github\/pull_requests no longer configured">$/);
    expect(await tileOf(ledger([]))).toMatch(/^<li class="tile pass" title="CC8\.1 [^"]*: checks pass">$/);
  });

  it('does not cover it when there is no ledger to judge coverage by', async () => {
    expect(await statuses(['pull-request-approved'], null)).toEqual({ criterion: 'pass', table: 'not-covered', oscal: 'not-satisfied' });
  });
});

describe('check, readiness, the report and OSCAL agree on a criterion', () => {
  const MEMBERS = 'github/members';
  const view: CoverageView = { streams: [{ ...PULLS_VIEW, stream: MEMBERS }], criteria: [{ criterion: 'CC6.1', gapStreams: [], unreadStreams: [] }] };
  const members = { stream: MEMBERS, type: 'state' as const, schedule: '0 2 * * *', timezone: 'UTC', controls: ['CC6.1'], expected: 28, successful: 28, failed: 0, lastSuccessAt: null, covered: true, gaps: [], itemGaps: [] };
  const request = (status: 'overdue' | 'open'): RequestLine => ({
    id: 'mfa-attestation',
    title: 'MFA attestation',
    criteria: ['CC6.1'],
    owner: 'security lead',
    frequency: 'once',
    expected: 1,
    fulfilled: 0,
    late: 0,
    open: status === 'open' ? 1 : 0,
    overdue: status === 'overdue' ? 1 : 0,
    occurrences: [{ label: 'the period', from: '2026-02-01', to: '2026-02-28', due: status === 'open' ? '2026-03-10' : '2026-02-10', deadline: status === 'open' ? '2026-03-10' : '2026-02-10', status, documents: [], cause: 'none yet' }],
  });

  async function judged(accounts: SyntheticRecord[], requests: RequestLine[] = []) {
    await synthetic.run('2026-02-15T02:00:00Z', [{ stream: MEMBERS, type: 'state', records: accounts }]);
    const mfa = builtInChecks.find((check) => check.id === 'mfa-enabled')!;
    const run = await runChecks({ locker: synthetic.locker, period, checks: [{ definition: mfa, settings: mfa.settings.parse({}) }], people: new PeopleDirectory(), sources: null });
    const model = await buildReportModel({ locker: synthetic.locker, period, run, coverage: view, requests: { requests }, scope });
    const context = { key: 'test', lockerResource: null, asOf: '2026-03-02T00:00:00Z', framework: 'soc2' as const, coverageKnown: true, gapObservations: new Map<string, string[]>() };
    const finding = findingsOf(context, model.criteria, scope).findings.find((candidate) => candidate.title.startsWith('CC6.1:'))!;
    const readiness = computeReadiness({ framework: 'soc2', scope, period, now: new Date('2026-03-02T00:00:00Z'), ledger: { streams: [members] }, checks: run.checks, requests: { requests } });
    const row = readiness.requirements.find((candidate) => candidate.requirement === 'CC6.1')!;
    return {
      verdicts: { check: coveredCriteria(run.checks).has('CC6.1'), readiness: row.statuses, report: criterionSatisfied(model.criteria.find((candidate) => candidate.id === 'CC6.1')!, true), oscal: finding.target.status.state },
      missing: row.missing.map((problem) => problem.text),
      description: finding.description,
      printed: renderCheckRun(run),
      report: renderReport(model),
    };
  }

  it('never says ready or satisfied on records that no check judged', async () => {
    await synthetic.run('2026-02-15T02:00:00Z', [{ stream: MEMBERS, type: 'state', records: [accountRecord(GH, 'alice')] }]);
    const run = await runChecks({ locker: synthetic.locker, period, checks: [], people: new PeopleDirectory(), sources: null });
    const model = await buildReportModel({ locker: synthetic.locker, period, run, coverage: view, scope });
    const context = { key: 'test', lockerResource: null, asOf: '2026-03-02T00:00:00Z', framework: 'soc2' as const, coverageKnown: true, gapObservations: new Map<string, string[]>() };
    const finding = findingsOf(context, model.criteria, scope).findings.find((candidate) => candidate.title.startsWith('CC6.1:'))!;
    const judge = (framework: 'soc2' | 'iso27001') => computeReadiness({ framework, scope, period, now: new Date('2026-03-02T00:00:00Z'), ledger: { streams: [members] }, checks: run.checks, requests: null });
    const row = judge('soc2').requirements.find((candidate) => candidate.requirement === 'CC6.1')!;
    expect({ check: coveredCriteria(run.checks).has('CC6.1'), readiness: row.statuses, report: criterionSatisfied(model.criteria.find((candidate) => candidate.id === 'CC6.1')!, true), oscal: finding.target.status.state }).toEqual({
      check: false,
      readiness: ['not-assessed'],
      report: false,
      oscal: 'not-satisfied',
    });
    expect(row.missing).toEqual([{ status: 'not-assessed', source: null, text: 'github/members collected evidence of the period, but no check, request or review judged it' }]);
    expect(finding.description).toContain('no check judges them');
  });

  it('never says ready or satisfied while an item could not be decided (MFA unknown)', async () => {
    const { verdicts, missing, printed } = await judged([accountRecord(GH, 'alice'), accountRecord(GH, 'bob', { mfa: 'unknown' })]);
    expect(verdicts).toEqual({ check: false, readiness: ['not-assessed'], report: false, oscal: 'not-satisfied' });
    expect(printed).toMatch(/mfa-enabled +CC6\.1 +1 +0 +1 +0 +partly NOT ASSESSABLE/);
    expect(missing).toEqual(['check mfa-enabled: 1 item not assessable (bob: the system did not report MFA in the inventory of 2026-02-15T02:00:00.000Z)']);
  });

  it('satisfies it beside an account exempt by configuration, and shows the exemption with its reason', async () => {
    const { verdicts, description, printed } = await judged([accountRecord(GH, 'alice'), accountRecord(GH, 'ci-bot', { accountType: 'bot' })]);
    expect(verdicts).toEqual({ check: true, readiness: ['ready'], report: true, oscal: 'satisfied' });
    expect(printed).toMatch(/mfa-enabled +CC6\.1 +1 +0 +0 +0 +ok \(1 exempt\)/);
    expect(printed).toMatch(/EXEMPT \(by a setting of the configuration[^\n]*\n[^]*ci-bot +bot account: MFA does not apply \(setting exemptAccountTypes\)/);
    expect(description).toContain('1 item(s) exempt by configuration (mfa-enabled)');
  });

  it('never satisfies it on exempt accounts alone', async () => {
    const { verdicts } = await judged([accountRecord(GH, 'ci-bot', { accountType: 'bot' }), accountRecord(GH, 'deploy', { accountType: 'service' })]);
    expect(verdicts).toEqual({ check: false, readiness: ['not-assessed'], report: false, oscal: 'not-satisfied' });
  });

  it('never satisfies it while a request for it is overdue, and names the request; one not yet due is fine', async () => {
    const overdue = await judged([accountRecord(GH, 'alice')], [request('overdue')]);
    expect(overdue.verdicts).toEqual({ check: true, readiness: ['overdue'], report: false, oscal: 'not-satisfied' });
    expect(overdue.description).toContain('request mfa-attestation overdue since 2026-02-11: no document for the period (owner: security lead)');
    expect(overdue.report).toContain('<span class="status exception">request mfa-attestation overdue since 2026-02-11');
    expect(overdue.report).toMatch(/title="CC6\.1 [^"]*: checks pass · 1 evidence request problem\(s\): overdue, late or not judged"/);
    const open = await judged([accountRecord(GH, 'alice')], [request('open')]);
    expect(open.verdicts).toEqual({ check: true, readiness: ['open'], report: true, oscal: 'satisfied' });
  });
});
