/** The coverage page never calls a stream covered while an in-scope item of it went unread, as `evidentia coverage` does not. */
import { describe, expect, it } from '@jest/globals';
import type { StreamCoverage } from '@evidentia/audit';
import { coveragePage } from './coverage.js';

function stream(name: string, itemGaps: StreamCoverage['itemGaps']): StreamCoverage {
  return { stream: name, type: 'state', schedule: '0 2 * * *', timezone: 'UTC', controls: ['CC8.1'], expected: 10, successful: 10, failed: 0, lastSuccessAt: '2026-01-10T02:00:00.000Z', covered: true, gaps: [], itemGaps };
}

const view = (streams: StreamCoverage[]) => ({ streams: streams.map((coverage) => ({ coverage, days: [] })), requests: null, runs: [], judgedUntil: '2026-01-11T00:00:00.000Z', openGaps: 0, closedGaps: 0, offered: [], period: '2026-01-01..2026-01-10', typedPeriods: true });

describe('coverage page', () => {
  it('says a stream with an in-scope item it never read again is not covered, and one read again since is', () => {
    const denied = { item: 'acme/secret-repo', reason: 'denied <403>', inScope: true, collections: 3, lastAt: '2026-01-09T02:00:00.000Z', readAgainAt: null };
    const readAgain = { ...denied, item: 'acme/flaky', readAgainAt: '2026-01-10T02:00:00.000Z' };
    const outOfScope = { ...denied, item: 'acme/archived', inScope: false };
    const page = coveragePage(view([stream('github/repos', [denied]), stream('github/branches', [readAgain, outOfScope])])).toString();
    expect(page).toContain('1 of 2 streams covered');
    expect(page).toContain('1 stream could not read an in-scope item');
    expect(page).toMatch(/<h3>github\/repos <span class="status exception">not covered: an in-scope item not read<\/span><\/h3>/);
    expect(page).toMatch(/<h3>github\/branches <span class="status pass">covered<\/span><\/h3>/);
    expect(page).toContain('acme/secret-repo (denied &lt;403&gt;, in scope, 3×, last 2026-01-09T02:00:00.000Z, NOT read again since)');
    expect(page).toContain('acme/flaky (denied &lt;403&gt;, in scope, 3×, last 2026-01-09T02:00:00.000Z, read again 2026-01-10T02:00:00.000Z)');
    expect(page).toContain('acme/archived (denied &lt;403&gt;, out of scope, 3×, last 2026-01-09T02:00:00.000Z)');
  });
});
