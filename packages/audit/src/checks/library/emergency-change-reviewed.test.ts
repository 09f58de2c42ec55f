/**
 * emergency-change-reviewed judged as of when the ticket was last known
 * current: a ticket stream that brings every changed ticket again shows, by
 * its later complete runs, that an unreviewed emergency stayed unreviewed
 * past the window.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import emergencyChangeReviewed from './emergency-change-reviewed.js';
import { createSyntheticLocker, type SyntheticLocker } from '../synthetic-locker.js';
import { pullRequestRecord } from '../synthetic-records.js';
import { findingsOf } from '../test-support.js';

const PERIOD = '2026-02-01..2026-02-28';
const PLAN = [{ stream: 'jira/changes', connector: 'jira', kind: 'change.request' as const, type: 'event' as const, maxStalenessHours: 36, recollectsChanges: true }];

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

describe('emergency-change-reviewed as of the last complete collection', () => {
  it('an emergency ticket done on Feb 2nd, collected that evening and unchanged at the run of the 10th, is an exception', async () => {
    const ticket = pullRequestRecord('jira:acme', 'CHG-9', { emergency: true, target: 'CHG', headRevision: null, headRevisionAt: null });
    await synthetic.run('2026-02-02T20:00:00Z', [{ stream: 'jira/changes', type: 'event', records: [ticket], range: { since: '2026-01-01T00:00:00Z', until: '2026-02-02T20:00:00Z' } }]);
    await synthetic.run('2026-02-10T06:00:00Z', [{ stream: 'jira/changes', type: 'event', records: [], range: { since: '2026-02-02T19:00:00Z', until: '2026-02-10T06:00:00Z' } }]);
    const findings = await findingsOf(emergencyChangeReviewed, synthetic.locker, PERIOD, { sources: PLAN });
    expect(findings.map((f) => [f.item, f.status])).toEqual([['CHG-9 Change CHG-9', 'exception']]);
    const unplanned = await findingsOf(emergencyChangeReviewed, synthetic.locker, PERIOD);
    expect(unplanned.map((f) => [f.item, f.status])).toEqual([
      ['(nothing assessed)', 'not-assessed'],
      ['CHG-9 Change CHG-9', 'not-assessable'],
    ]);
  });
});
