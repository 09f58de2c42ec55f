/** Accepted exceptions: marked on the exceptions they name while they hold, never a pass, lapsing after their last day in the audit zone. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parsePeriod, TimeZone } from '@evidentia/time';
import type { ExceptionAcceptance } from '@evidentia/locker';
import { acceptanceEnd, acceptancesFor, acceptanceStatus } from './acceptances.js';
import branchProtection from './library/branch-protection.js';
import { PeopleDirectory } from './people.js';
import { renderCheckRun } from './render.js';
import { checkResultsWriter } from './results-json.js';
import { failed, runChecks } from './runner.js';
import { createSyntheticLocker, type SyntheticLocker } from './synthetic-locker.js';
import { configRecord } from './synthetic-records.js';

const GH = 'github:acme';
const stream = 'github/branch_protection';
const unprotected = (target: string) => configRecord('change.config', GH, target, 'branch_protection', {}, false);
const protectedBranch = (target: string) => configRecord('change.config', GH, target, 'branch_protection', { requiresPullRequest: true, requiredApprovals: 1, enforceAdmins: true, allowForcePushes: false });
const item = (target: string) => `${target}:branch_protection`;

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const accept = (target: string, until: string) =>
  synthetic.locker.acceptException({ check: 'branch-protection', item: item(target), reason: `legacy ${target}`, approver: 'ciso@acme.example', until, recordedBy: 'grc@acme.example' });

async function judged(period: string, timezone = 'UTC') {
  const parsed = parsePeriod(period, { timezone });
  const acceptances = await acceptancesFor(synthetic.locker, parsed, { timezone });
  const checks = [{ definition: branchProtection, settings: branchProtection.settings.parse({}) }];
  return runChecks({ locker: synthetic.locker, period: parsed, checks, people: new PeopleDirectory({}), acceptances });
}

describe('accepted exceptions in a check run', () => {
  it('marks the exceptions an acceptance in effect names; they stay exceptions, the check stays failed, and an unused acceptance is listed', async () => {
    await synthetic.run('2026-02-02T02:00:00Z', [{ stream, type: 'state', records: [unprotected('acme/a@main'), unprotected('acme/b@main'), protectedBranch('acme/c@main')] }]);
    await accept('acme/a@main', '2026-02-28');
    await accept('acme/b@main', '2026-02-27');
    await accept('acme/c@main', '2026-12-31');
    const run = await judged('2026-02-01..2026-02-28');
    const [check] = run.checks;
    expect(check!.counts).toMatchObject({ exception: 2, pass: 1 });
    expect(check!.accepted).toBe(1);
    expect(check!.result).toBe('exceptions');
    expect(failed(check!)).toBe(true);
    const mark = (target: string) => check!.findings.find((finding) => finding.item === item(target))!.acceptance;
    expect(mark('acme/a@main')).toEqual({ id: 1, status: 'accepted', reason: 'legacy acme/a@main', approver: 'ciso@acme.example', until: '2026-02-28' });
    // Its last day ended before the period's: it lapsed, and the exception stands unaccepted.
    expect(mark('acme/b@main')).toMatchObject({ id: 2, status: 'lapsed' });
    expect(mark('acme/c@main')).toBeUndefined();
    expect(run.acceptances!.unused.map((acceptance) => acceptance.id)).toEqual([3]);
    expect(run.acceptances!.accepted).toBe(1);

    const text = renderCheckRun(run);
    expect(text).toMatch(/\nbranch-protection +CC8\.1 +1 +2 +0 +0 +EXCEPTIONS \(1 accepted\)\n/);
    expect(text).toContain('ACCEPTED (#1) until 2026-02-28, approved by ciso@acme.example: legacy acme/a@main');
    expect(text).toContain('acceptance #2 lapsed after 2026-02-27');
    expect(text).toMatch(/UNUSED ACCEPTANCES[^\n]*\n[^\n]*\n[^\n]*\n3 +branch-protection +acme\/c@main:branch_protection +2026-12-31/);
    expect(text).toContain('2 exception(s) (1 accepted, still exceptions)');
  });

  it('says "all accepted" but never ok when every exception is accepted, and a revoked acceptance no longer holds', async () => {
    await synthetic.run('2026-02-02T02:00:00Z', [{ stream, type: 'state', records: [unprotected('acme/a@main')] }]);
    await accept('acme/a@main', '2026-03-31');
    let run = await judged('2026-02-01..2026-02-28');
    expect(renderCheckRun(run)).toMatch(/ EXCEPTIONS \(all accepted\)\n/);
    expect(failed(run.checks[0]!)).toBe(true);

    await synthetic.run('2026-03-01T12:00:00Z', []);
    await synthetic.locker.revokeAcceptance({ revokes: 1, reason: 'protection turned on', approver: 'ciso@acme.example', recordedBy: 'grc@acme.example' });
    // Judged at a period end before the revocation it still held; after it, it does not.
    expect((await judged('2026-02-01..2026-02-28')).checks[0]!.accepted).toBe(1);
    run = await judged('2026-02-01..2026-03-02');
    expect(run.checks[0]!.accepted).toBe(0);
    expect(run.checks[0]!.findings[0]!.acceptance).toMatchObject({ status: 'revoked' });
  });

  it('writes the acceptance into the results JSON', async () => {
    await synthetic.run('2026-02-02T02:00:00Z', [{ stream, type: 'state', records: [unprotected('acme/a@main')] }]);
    await accept('acme/a@main', '2026-03-31');
    const period = parsePeriod('2026-02-01..2026-02-28');
    let text = '';
    const writer = checkResultsWriter(period, (chunk) => void (text += chunk));
    await writer.begin();
    const run = await runChecks({ locker: synthetic.locker, period, checks: [{ definition: branchProtection, settings: branchProtection.settings.parse({}) }], people: new PeopleDirectory({}), acceptances: await acceptancesFor(synthetic.locker, period, null), ...writer });
    await writer.end(undefined, run.acceptances);
    const results = JSON.parse(text) as { checks: { accepted: number; result: string; findings: { status: string; acceptance?: { status: string } }[] }[]; acceptances: { accepted: number; unused: unknown[] } };
    expect(results.checks[0]).toMatchObject({ accepted: 1, result: 'exceptions' });
    expect(results.checks[0]!.findings[0]).toMatchObject({ status: 'exception', acceptance: { status: 'accepted' } });
    expect(results.acceptances).toMatchObject({ accepted: 1, unused: [] });
  });
});

describe('an acceptance\'s last day', () => {
  const acceptance = (until: string): ExceptionAcceptance => ({ id: 1, hash: '', check: 'c', item: 'i', reason: 'r', approver: 'a', until, recordedBy: 'b', recordedAt: '2026-01-01T00:00:00Z', revoked: null });

  it('ends at midnight after it in the audit zone', () => {
    const berlin = TimeZone.of('Europe/Berlin');
    expect(new Date(acceptanceEnd('2026-06-30', berlin)).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(acceptanceStatus(acceptance('2026-06-30'), Date.parse('2026-06-30T21:59:59Z'), berlin)).toBe('in effect');
    expect(acceptanceStatus(acceptance('2026-06-30'), Date.parse('2026-06-30T22:00:00Z'), berlin)).toBe('in effect');
    expect(acceptanceStatus(acceptance('2026-06-30'), Date.parse('2026-06-30T22:00:01Z'), berlin)).toBe('lapsed');
  });
});
