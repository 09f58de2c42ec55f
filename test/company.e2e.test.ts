/**
 * Acme, the second demo company (test/company): 42 people, five systems,
 * six months. The whole company is collected through the real config
 * loader, runner and SDK clients against the five simulators over twelve
 * runs (a backfill, then monthly and leaver-day runs), every built-in check
 * judges June to November, and the findings must equal the hand-written
 * expected findings exactly: a missing one is a missed exception, an extra
 * one a false exception (or a false listing).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { configuredChecks, PeopleDirectory, population, runChecks, sourcePlans, type Finding, type PopulationItem } from '../packages/audit/src/index.js';
import { parsePeriod } from '@evidentia/time';
import { collectCompany, type Company } from './company/collect.js';
import { PR_INTO_RELEASE_BRANCH, PR_STALE_APPROVAL, PR_STALE_REAPPROVED } from './company/changes.js';
import { EXPECTED, UNTRACEABLE_NAMED, type Expected } from './company/expected-findings.js';
import { PERIOD } from './company/roster.js';

interface Judged extends Finding {
  check: string;
}

const matches = (expected: Expected, finding: Judged) =>
  expected.check === finding.check && expected.system === finding.system && expected.status === finding.status && (finding.item === expected.item || finding.item.startsWith(`${expected.item} `));

/** Both directions: expectations no finding meets (missed), and non-pass findings no expectation names (false). */
function compare(findings: Judged[]): string[] {
  const notPassing = findings.filter((f) => f.status !== 'pass');
  const lines: string[] = [];
  for (const expected of EXPECTED) {
    const met = notPassing.filter((f) => matches(expected, f));
    if (met.length === 0) {
      const other = findings.find((f) => f.check === expected.check && f.system === expected.system && (f.item === expected.item || f.item.startsWith(`${expected.item} `)));
      lines.push(`- missing  ${expected.check} ${expected.status} ${expected.item} @ ${expected.system} (${expected.why})${other ? `\n           found ${other.status}: ${other.reason}` : '\n           no finding for it at all'}`);
    }
    if (met.length > 1) lines.push(`- twice    ${expected.check} ${expected.status} ${expected.item} @ ${expected.system}: ${met.length} findings`);
  }
  for (const finding of notPassing) {
    if (!EXPECTED.some((expected) => matches(expected, finding))) lines.push(`+ extra    ${finding.check} ${finding.status} ${finding.item} @ ${finding.system}\n           ${finding.reason}`);
  }
  return lines;
}

describe('Acme: every built-in check against the hand-written findings', () => {
  let company: Company;
  let findings: Judged[] = [];
  let errors: string[] = [];

  beforeAll(async () => {
    company = await collectCompany();
    const run = await runChecks({
      locker: company.locker,
      period: parsePeriod(PERIOD),
      // Acme's access reviews (workbooks decided by people) are not in the roster yet: that check has its
      // own end-to-end test (access-reviews.e2e) and is left out here rather than expected as not assessed.
      checks: (await configuredChecks(company.config)).filter((check) => check.definition.id !== 'access-review-performed'),
      people: new PeopleDirectory(company.config.people.aliases),
      sources: sourcePlans(company.config),
      keep: 100_000,
    });
    errors = run.checks.flatMap((outcome) => (outcome.error ? [`${outcome.id}: ${outcome.error}`] : []));
    findings = run.checks.flatMap((outcome) => outcome.findings.map((finding) => ({ ...finding, check: outcome.id })));
  }, 180_000);
  afterAll(async () => company?.close());

  it('collects every stream completely on every run', () => {
    const incomplete = company.runs.flatMap((run) => run.streams.filter((s) => s.status !== 'complete').map((s) => `${run.day} ${s.stream}: ${s.status} ${s.error ?? ''}`));
    expect(incomplete).toEqual([]);
  });

  it('finds exactly the expected exceptions and listings, no more, no fewer', () => {
    expect(errors).toEqual([]);
    const diff = compare(findings);
    if (diff.length > 0) throw new Error(`findings differ from test/company/expected-findings.ts (- missed, + false):\n${diff.join('\n')}`);
  });

  it('judges every check on something: no check passes on nothing', () => {
    const judged = new Set(findings.filter((f) => f.status === 'pass' || f.status === 'exception').map((f) => f.check));
    expect([...new Set(findings.map((f) => f.check))].filter((check) => !judged.has(check))).toEqual([]);
  });

  it('names the untraceable accounts beside the leaver passes of their system', () => {
    for (const [system, name] of Object.entries(UNTRACEABLE_NAMED)) {
      const passes = findings.filter((f) => f.check === 'leavers-deprovisioned' && f.system === system && f.status === 'pass' && f.reason.includes('no account of theirs'));
      expect({ system, passes: passes.length > 0 }).toEqual({ system, passes: true });
      for (const pass of passes) expect(pass.reason).toContain(name);
    }
  });

  it('holds every merged PR in the change population, the one into a release branch too, with the review state at merge', async () => {
    const rows: PopulationItem[] = [];
    for await (const row of population(company.locker, { period: parsePeriod(PERIOD), kind: 'change.request' })) rows.push(row);
    const row = (id: string) => rows.find((r) => r.details['change_id'] === id);
    expect(row(PR_INTO_RELEASE_BRANCH)?.details['target']).toBe(`${PR_INTO_RELEASE_BRANCH.split('#')[0]}:release/2026.11`);
    expect(findings.filter((f) => f.check === 'change-ticket-linked' && f.item.startsWith(`${PR_INTO_RELEASE_BRANCH} `))).toEqual([]);
    expect(row(PR_STALE_APPROVAL)?.details['review_decision']).toBe('approved an earlier commit');
    expect(row(PR_STALE_REAPPROVED)?.details['review_decision']).toBe('approved');
  });
});
