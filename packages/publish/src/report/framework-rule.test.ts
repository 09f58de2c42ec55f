/**
 * The report's ISO 27001 table and the OSCAL findings judge a requirement by
 * one rule: a SOC 2 criterion carries it only when its checks passed and the
 * coverage ledger shows no open gap. Evidence no check judges, a gap, or a
 * report without a ledger never reads as covered.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { builtInChecks, frameworkScope, PeopleDirectory, runChecks, type CheckRun } from '@evidentia/audit';
import { createSyntheticLocker, pullRequestRecord, type SyntheticLocker } from '@evidentia/audit/testing';
import { parsePeriod } from '@evidentia/time';
import { findingsOf } from '../oscal/findings.js';
import { buildReportModel, type CoverageView } from './model.js';

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

  it('does not cover it when there is no ledger to judge coverage by', async () => {
    expect(await statuses(['pull-request-approved'], null)).toEqual({ criterion: 'pass', table: 'not-covered', oscal: 'not-satisfied' });
  });
});
