/** The exceptions page never reads as "no exception" for a check that could not run to its end. */
import { describe, expect, it } from '@jest/globals';
import type { CheckOutcome, CheckRun } from '@evidentia/audit';
import { exceptionsPage } from './exceptions.js';

const period = { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-04-01T00:00:00Z') };

function outcome(id: string, overrides: Partial<CheckOutcome>): CheckOutcome {
  return { id, title: id, description: '', criteria: ['CC6.1'], reads: ['access.account'], settings: {}, counts: { pass: 0, exception: 0, 'not-assessable': 0, 'not-assessed': 0 }, result: 'pass', findings: [], omitted: 0, error: null, ...overrides };
}

const filter = { check: '', system: '', criterion: '', status: 'all' as const };
const view = (run: CheckRun, check = '') => ({ run, filter: { ...filter, check }, offered: ['2026-01-01..2026-03-31'], period: '2026-01-01..2026-03-31', typedPeriods: false });

describe('exceptions page', () => {
  it('says which checks stopped with an error (escaped) rather than list no exception for them', () => {
    const run: CheckRun = {
      period,
      checks: [
        outcome('mfa-enabled', { result: 'error', error: 'cannot read <b>users</b>' }),
        outcome('branch-protection', { criteria: ['CC8.1'], counts: { pass: 1, exception: 1, 'not-assessable': 0, 'not-assessed': 0 }, result: 'error', error: 'stopped', findings: [{ item: 'acme/api@main', system: 'github:acme', status: 'exception', reason: 'no review', records: [] }] }),
        outcome('offboarding', { criteria: ['CC6.2'] }),
      ],
    };
    const page = exceptionsPage(view(run)).toString();
    expect(page).toContain('mfa-enabled could not run to its end (cannot read &lt;b&gt;users&lt;/b&gt;)');
    expect(page).toContain('branch-protection could not run to its end (stopped)');
    expect(page).not.toContain('<b>users');
    // A filter on one check names only its own error; a check that ran names none.
    expect(exceptionsPage(view(run, 'branch-protection')).toString()).not.toContain('mfa-enabled could not run');
    expect(exceptionsPage(view(run, 'offboarding')).toString()).not.toContain('could not run');
  });
});
