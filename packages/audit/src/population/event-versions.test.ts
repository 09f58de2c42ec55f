/**
 * An event item read twice in one run with different content (a Jira issue
 * edited while the listing was paged, so it is on two pages) has two stored
 * versions from the same run. The population, the population page and the
 * locker's record listing show the version read last, as the locker's own
 * "previous record" does, not whichever one's hash sorts first.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { parsePeriod } from '@evidentia/time';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { pullRequestRecord } from '../checks/synthetic-records.js';
import { population } from './population.js';
import { populationPage } from './population-page.js';

const PERIOD = parsePeriod('2026-02-01..2026-02-28');
let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

describe('an event item read twice in one run', () => {
  // Several pairs, so that a pick by hash order could not pass them all by chance.
  it.each([
    ['Draft', 'Approved'],
    ['Approved', 'Draft'],
    ['x1', 'x2'],
    ['y1', 'y2'],
    ['z2', 'z1'],
  ])('is the version read last: %s, then %s', async (first, last) => {
    await synthetic.run('2026-03-01T02:00:00Z', [{ stream: 'jira/changes', type: 'event', records: [first, last].map((title) => pullRequestRecord('jira:acme', 'CHG-1', { title })) }]);
    const rows = [];
    for await (const row of population(synthetic.locker, { period: PERIOD, kind: 'change.request' })) rows.push(row.summary);
    expect(rows).toEqual([last]);
    const page = await populationPage(synthetic.locker, { period: PERIOD, kind: 'change.request', offset: 0, limit: 10 });
    expect(page.items.map((item) => item.summary)).toEqual([last]);
    const listed = [];
    for await (const record of synthetic.locker.records({ kind: 'change.request' })) listed.push((record.data as { title: string }).title);
    expect(listed).toEqual([last]);
  });
});
