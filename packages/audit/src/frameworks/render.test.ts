import { describe, expect, it } from '@jest/globals';
import { renderCheckRun } from '../checks/render.js';
import type { CheckRun } from '../checks/runner.js';
import { renderLedger } from '../coverage/render.js';
import type { Ledger } from '../coverage/types.js';
import { frameworkScope } from './scope.js';
import { frameworkTables } from './status.js';

const scope = frameworkScope(['iso27001'], []);

describe('framework tables in terminal output', () => {
  it('adds a line per mapped requirement to the coverage criteria, covered only through equal-to or superset-of', () => {
    const ledger: Ledger = {
      period: { since: '2026-01-01T00:00:00.000Z', until: '2026-02-01T00:00:00.000Z' },
      now: '2026-03-01T00:00:00.000Z',
      evaluatedUntil: '2026-02-01T00:00:00.000Z',
      streams: [],
      criteria: [
        { criterion: 'CC8.1', streams: ['github/pull_requests'], covered: true, gapStreams: [], unreadStreams: [] },
        { criterion: 'CC6.2', streams: ['github/members'], covered: true, gapStreams: [], unreadStreams: [] },
      ],
      openGaps: 0,
      closedGaps: 0,
    };
    const text = renderLedger(ledger, frameworkTables(scope, ledger.criteria.filter((c) => c.covered).map((c) => c.criterion)));
    expect(text).toMatch(/A\.8\.32 .* covered +CC8\.1 superset-of/);
    expect(text).toMatch(/A\.5\.16 .* PARTIAL +CC6\.2 subset-of/);
    expect(text).toMatch(/A\.8\.16 .* NOT COVERED +CC7\.2 equal-to \(not covered\)/);
    expect(renderLedger(ledger)).not.toContain('ISO/IEC 27001');
  });

  it('lists only criteria in scope in the check summary and appends the framework tables', () => {
    const run: CheckRun = {
      period: { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-02-01T00:00:00Z') } as CheckRun['period'],
      checks: [
        { id: 'mixed', title: 'm', description: '', criteria: ['CC8.1', 'A1.2'], reads: [], settings: null, counts: { pass: 1, exception: 0, 'not-assessable': 0, 'not-assessed': 0 }, result: 'pass', findings: [], omitted: 0, error: null },
      ],
    };
    const text = renderCheckRun(run, { criteria: scope.criteria, frameworks: frameworkTables(scope, ['CC8.1'], new Set(['CC8.1'])) });
    expect(text).not.toContain('A1.2');
    expect(text).toMatch(/A\.8\.32 .* covered/);
    expect(renderCheckRun(run)).toContain('CC8.1 A1.2');
  });
});
