/**
 * incident-handled over incidents told in two tools: the merged incident is
 * judged once and counts as judged for each system it rests on, so the
 * channel's system is not reported "nothing to judge" beside it.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import incidentHandled from './incident-handled.js';
import { createSyntheticLocker, type SyntheticLocker } from '../synthetic-locker.js';
import { incidentRecord } from '../synthetic-records.js';
import { findingsOf } from '../test-support.js';

const PERIOD = '2026-02-01..2026-02-28';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

describe('incident-handled and the systems of a merged incident', () => {
  it('counts a ticket and the channel naming it as judged in both systems', async () => {
    await synthetic.run('2026-02-20T06:00:00Z', [
      { stream: 'jira/incidents', type: 'event', records: [incidentRecord('jira:acme', 'INC-1')] },
      { stream: 'slack/incident_channels', type: 'event', records: [incidentRecord('slack:acme', 'C01', { linkedTickets: ['INC-1'], severity: null, postMortem: null })] },
    ]);
    const findings = await findingsOf(incidentHandled, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.item, f.system, f.status])).toEqual([['INC-1 + C01 Incident INC-1', null, 'pass']]);
  });

  it('still says nothing to judge for a system with no incident of the period', async () => {
    await synthetic.run('2026-02-20T06:00:00Z', [
      { stream: 'jira/incidents', type: 'event', records: [incidentRecord('jira:acme', 'INC-1')] },
      { stream: 'slack/incident_channels', type: 'event', records: [incidentRecord('slack:acme', 'C01', { openedAt: '2026-01-10T08:00:00Z' })] },
    ]);
    const findings = await findingsOf(incidentHandled, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.item, f.system, f.status])).toEqual([
      ['(all incident.record records of slack:acme)', 'slack:acme', 'not-assessed'],
      ['INC-1 Incident INC-1', 'jira:acme', 'pass'],
    ]);
  });
});

describe('incident-handled judged as of when the incident was last known current', () => {
  const PLAN = (recollectsChanges: boolean) => [{ stream: 'jira/incidents', connector: 'jira', kind: 'incident.record' as const, type: 'event' as const, maxStalenessHours: 36, ...(recollectsChanges ? { recollectsChanges: true } : {}) }];
  /** INC-2 resolved on Feb 2nd without a post-mortem, collected on the 3rd; later complete runs on the 10th and 25th bring nothing new. */
  async function unchangedAfterwards() {
    const resolved = incidentRecord('jira:acme', 'INC-2', { resolvedAt: '2026-02-02T00:00:00Z', postMortem: null });
    await synthetic.run('2026-02-03T06:00:00Z', [{ stream: 'jira/incidents', type: 'event', records: [resolved], range: { since: '2026-01-01T00:00:00Z', until: '2026-02-03T06:00:00Z' } }]);
    await synthetic.run('2026-02-10T06:00:00Z', [{ stream: 'jira/incidents', type: 'event', records: [], range: { since: '2026-02-03T05:00:00Z', until: '2026-02-10T06:00:00Z' } }]);
    await synthetic.run('2026-02-25T06:00:00Z', [{ stream: 'jira/incidents', type: 'event', records: [], range: { since: '2026-02-10T05:00:00Z', until: '2026-02-25T06:00:00Z' } }]);
  }

  it('a stream that brings every changed ticket again: still no post-mortem at the last complete run is overdue', async () => {
    await unchangedAfterwards();
    const findings = await findingsOf(incidentHandled, synthetic.locker, PERIOD, { sources: PLAN(true) });
    expect(findings.map((f) => [f.item, f.status, f.reason])).toEqual([['INC-2 Incident INC-2', 'exception', 'no post-mortem 23 days after resolution (as collected at 2026-02-25T06:00:00.000Z)']]);
  });

  it('a stream that does not: the deadline is judged at the record\'s own collection, still open', async () => {
    await unchangedAfterwards();
    const findings = await findingsOf(incidentHandled, synthetic.locker, PERIOD, { sources: PLAN(false) });
    expect(findings.map((f) => [f.item, f.status])).toEqual([
      ['(nothing assessed)', 'not-assessed'],
      ['INC-2 Incident INC-2', 'not-assessable'],
    ]);
  });
});
