/** The report's readiness section: every status shown, and evidence text escaped by the one escaping function. */
import { describe, expect, it } from '@jest/globals';
import { computeReadiness, frameworkScope } from '@evidentia/audit';
import type { ReportModel } from './model.js';
import { readinessSection } from './readiness-section.js';

const readiness = computeReadiness({
  framework: 'soc2',
  scope: frameworkScope(['soc2'], []),
  period: { since: new Date('2026-01-01T00:00:00Z'), until: new Date('2026-04-01T00:00:00Z') },
  now: new Date('2026-04-02T00:00:00Z'),
  ledger: { streams: [] },
  checks: [],
  requests: null,
  reviews: [{ id: 'access-review <b>x</b>', criteria: ['CC6.2'], evidenced: true, summary: '1 review', problems: [{ status: 'exceptions', text: '<script>alert(1)</script>' }, { status: 'gaps', text: 'review of slack missing' }] }],
});

const section = (ready: typeof readiness[]) => String(readinessSection({ readiness: ready } as Pick<ReportModel, 'readiness'> as ReportModel));

describe('the readiness section', () => {
  it('shows every status of a requirement and escapes what comes from evidence', () => {
    const text = section([readiness]);
    expect(text).toMatch(/<tr><td>CC6\.2<\/td><td>[^<]*<\/td><td><span class="status exception">exceptions<\/span> \+ <span class="status exception">gaps<\/span><\/td>/);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).toContain('<code>access-review &lt;b&gt;x&lt;/b&gt;</code>');
    expect(text).not.toContain('<script>');
    expect(text).toContain('<span class="status not-covered">no evidence path</span> no connector, check or request maps here');
  });

  it('is left out without readiness (no configuration)', () => {
    expect(section([])).toBe('');
  });
});
