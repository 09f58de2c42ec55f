/** The requests page never reads as "nothing expected" for a request that could not be judged. */
import { describe, expect, it } from '@jest/globals';
import type { RequestLine } from '@evidentia/audit';
import { requestsPage } from './requests.js';

const unwatched: RequestLine = {
  id: 'background-checks',
  title: 'Background check for each new hire',
  criteria: ['CC1.4'],
  owner: 'people lead',
  frequency: 'per-event',
  expected: 0,
  fulfilled: 0,
  late: 0,
  open: 0,
  overdue: 0,
  occurrences: [],
  unwatched: 'no configured stream collects personnel.event records: no joiner of the period can be told, so none is expected (configure an <HR> connector)',
};

describe('requests page', () => {
  it('says a per-event request with no personnel stream is not judged (escaped), not that nothing is expected', () => {
    const page = requestsPage({
      view: { ledger: { first: '2026-01-01', last: '2026-03-31', today: '2026-04-02', requests: [unwatched], overdue: 0 }, documents: [], reviews: [] },
      offered: ['2026-01-01..2026-03-31'],
      period: '2026-01-01..2026-03-31',
      typedPeriods: false,
    }).toString();
    expect(page).toContain('<td colspan="4">NOT JUDGED: no configured stream collects personnel.event records: no joiner of the period can be told, so none is expected (configure an &lt;HR&gt; connector)</td>');
    expect(page).not.toContain('nothing expected in the period');
  });
});
