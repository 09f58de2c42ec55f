import { describe, expect, it } from '@jest/globals';
import { getCriterion } from '@evidentia/catalog';
import { type CheckOutcome, frameworkScope } from '@evidentia/audit';
import type { CriterionRow, CriterionStatus } from '../report/model.js';
import { findingsOf, type FindingContext } from './findings.js';
import { checkObservationUuid } from './observations.js';

function check(id: string, criteria: string[], counts: Partial<CheckOutcome['counts']>): CheckOutcome {
  return { id, title: id, description: '', criteria, reads: [], settings: null, counts: { pass: 0, exception: 0, 'not-assessable': 0, 'not-assessed': 0, ...counts }, result: 'pass', findings: [], omitted: 0, error: null };
}

function row(id: string, status: CriterionStatus, checks: CheckOutcome[] = [], gapStreams: string[] = [], unreadStreams: string[] = []): CriterionRow {
  return { id, label: getCriterion(id)!.label, group: id.split('.')[0]!, status, evidence: [{ kind: 'change.request', items: 3 }], checks, gapStreams, unreadStreams, unconfiguredStreams: [], requestProblems: [], documents: [] };
}

const SCOPE = frameworkScope(['iso27001'], ['security']);

function context(framework: FindingContext['framework'], coverageKnown = true): FindingContext {
  return { key: 'test', lockerResource: null, asOf: '2026-07-01T00:00:00Z', framework, coverageKnown, gapObservations: new Map([['github/members', ['gap-uuid']]]) };
}

const stateOf = (findings: ReturnType<typeof findingsOf>['findings'], target: string) => findings.find((finding) => finding.target['target-id'] === `${target}_smt`)?.target.status;

describe('findings per requirement', () => {
  const rows = [
    row('CC8.1', 'pass', [check('pull-request-approved', ['CC8.1'], { pass: 4 })]),
    row('CC6.2', 'pass', [check('leavers-deprovisioned', ['CC6.2'], { pass: 2 })]),
    row('CC6.1', 'pass', [check('mfa-enabled', ['CC6.1'], { pass: 5 })], ['github/members']),
    row('CC7.2', 'not-assessable', [check('cloudtrail-logging', ['CC7.2'], { pass: 1, 'not-assessable': 1 })]),
    row('CC7.3', 'exception', [check('incident-handled', ['CC7.3'], { exception: 1 })]),
    row('CC1.4', 'evidence'),
  ];

  it('satisfies a SOC 2 criterion only when its checks pass and coverage shows no open gap', () => {
    const { findings, reviewed } = findingsOf(context('soc2'), rows, SCOPE);
    expect(reviewed).toEqual(['CC8.1', 'CC6.2', 'CC6.1', 'CC7.2', 'CC7.3', 'CC1.4']);
    expect(stateOf(findings, 'CC8.1')).toEqual({ state: 'satisfied', reason: 'pass' });
    expect(stateOf(findings, 'CC6.1')).toEqual({ state: 'not-satisfied', reason: 'other' });
    expect(stateOf(findings, 'CC7.2')).toEqual({ state: 'not-satisfied', reason: 'other' });
    expect(stateOf(findings, 'CC7.3')).toEqual({ state: 'not-satisfied', reason: 'fail' });
    expect(stateOf(findings, 'CC1.4')).toEqual({ state: 'not-satisfied', reason: 'other' });
    const gap = findings.find((finding) => finding.title.startsWith('CC6.1'))!;
    expect(gap.description).toContain('open coverage gap in github/members');
    expect(gap['related-observations']).toEqual([{ 'observation-uuid': checkObservationUuid({ key: 'test' }, 'mfa-enabled') }, { 'observation-uuid': 'gap-uuid' }]);
    expect(findings.find((finding) => finding.title.startsWith('CC1.4'))!.description).toContain('no check judges them');
  });

  it('never satisfies a criterion with something not assessed, and says so', () => {
    const partly = [row('CC6.1', 'not-assessed', [check('mfa-enabled', ['CC6.1'], { pass: 5, 'not-assessed': 1 })])];
    const { findings } = findingsOf(context('soc2'), partly, SCOPE);
    expect(stateOf(findings, 'CC6.1')).toEqual({ state: 'not-satisfied', reason: 'other' });
    expect(findings[0]!.description).toContain('not assessed: 1 part(s) had no evidence of the period to judge (mfa-enabled), which is never satisfied');
  });

  it('never satisfies a criterion whose stream could not read an item in scope, and says which', () => {
    const denied = [row('CC8.1', 'pass', [check('branch-protection', ['CC8.1'], { pass: 4 })], [], ['github/branch_protection'])];
    const { findings } = findingsOf(context('soc2'), denied, SCOPE);
    expect(stateOf(findings, 'CC8.1')).toEqual({ state: 'not-satisfied', reason: 'other' });
    expect(findings[0]!.description).toContain('items in scope could not be read by github/branch_protection');
    // Nor is an ISO requirement carried across by it.
    expect(stateOf(findingsOf(context('iso27001'), denied, SCOPE).findings, 'A.8.32')).toEqual({ state: 'not-satisfied', reason: 'other' });
  });

  it('satisfies nothing when coverage could not be judged', () => {
    const { findings } = findingsOf(context('soc2', false), rows, SCOPE);
    expect(findings.every((finding) => finding.target.status.state === 'not-satisfied')).toBe(true);
    expect(findings[0]!.description).toContain('coverage could not be judged');
  });

  it('judges another framework through the mappings, never satisfied by partial support', () => {
    const { findings, reviewed, unmapped } = findingsOf(context('iso27001'), rows, SCOPE);
    expect(reviewed).toContain('A.8.32');
    expect(reviewed).not.toContain('A.5.2');
    expect(unmapped).toBeGreaterThan(0);
    // CC8.1 superset-of A.8.32: carried across.
    expect(stateOf(findings, 'A.8.32')).toEqual({ state: 'satisfied', reason: 'pass' });
    // CC6.2 subset-of A.5.16: satisfied, but it serves only part of the requirement.
    expect(stateOf(findings, 'A.5.16')).toEqual({ state: 'not-satisfied', reason: 'other' });
    const partial = findings.find((finding) => finding.target['target-id'] === 'A.5.16_smt')!;
    expect(partial.description).toContain('partial support never counts as satisfied');
    expect(partial.description).toContain('CC6.2 subset-of (partial support only): satisfied');
    // CC7.3 equal-to A.5.25, with an exception.
    expect(stateOf(findings, 'A.5.25')).toEqual({ state: 'not-satisfied', reason: 'fail' });
    // 7.2 has a token ID of its own.
    expect(findings.some((finding) => finding.target['target-id'] === 'iso27001-7.2_smt')).toBe(true);
  });
});
