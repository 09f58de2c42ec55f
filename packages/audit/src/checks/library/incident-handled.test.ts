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
