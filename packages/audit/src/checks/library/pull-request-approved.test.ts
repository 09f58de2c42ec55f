/**
 * pull-request-approved and an emergency change whose review window was
 * still open when it was last collected: not assessable yet (as
 * emergency-change-reviewed says), never an exception for a review that may
 * still come in time; once the window had closed unreviewed, an exception.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pullRequestApproved from './pull-request-approved.js';
import { createSyntheticLocker, type SyntheticLocker } from '../synthetic-locker.js';
import { pullRequestRecord } from '../synthetic-records.js';
import { findingsOf } from '../test-support.js';

const GH = 'github:acme';
const PERIOD = '2026-02-01..2026-02-28';

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

describe('pull-request-approved and the emergency window', () => {
  it('waits while the window was open at the last collection, and fails it once closed', async () => {
    await synthetic.run('2026-02-28T06:00:00Z', [
      {
        stream: 'github/pull_requests',
        type: 'event',
        records: [
          pullRequestRecord(GH, 'acme/api#1', { emergency: true, mergedAt: '2026-02-27T22:00:00Z' }),
          pullRequestRecord(GH, 'acme/api#2', { emergency: true, mergedAt: '2026-02-20T22:00:00Z' }),
        ],
      },
    ]);
    const findings = await findingsOf(pullRequestApproved, synthetic.locker, PERIOD);
    expect(findings.map((f) => [f.item, f.status, f.reason])).toEqual([
      ['acme/api#2 Change acme/api#2', 'exception', 'merged at 2026-02-20T22:00:00Z; it has no independent approval; emergency change not reviewed within the window'],
      ['acme/api#1 Change acme/api#1', 'not-assessable', 'emergency change merged at 2026-02-27T22:00:00Z; no review yet when last collected (2026-02-28T06:00:00.000Z), the window runs until 2026-03-02T22:00:00.000Z'],
    ]);
  });
});
