/** buildReview: a review's rows from the system's latest account inventory, and the reviews it refuses to start. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { UsageError } from '../errors.js';
import { createSyntheticLocker, type SyntheticLocker } from '../checks/synthetic-locker.js';
import { accountRecord, personnelRecord } from '../checks/synthetic-records.js';
import { buildReview } from './build.js';

const GITHUB = 'github:acme';
const options = { system: GITHUB, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] };

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

describe('buildReview', () => {
  it('refuses a system whose latest inventory holds no active or invited account, saying what it holds', async () => {
    await synthetic.run('2026-02-01T00:00:00Z', [{ stream: 'github/members', type: 'state', records: [accountRecord(GITHUB, 'alice')] }]);
    const leftOnly = [accountRecord(GITHUB, 'alice', { status: 'suspended' }), accountRecord(GITHUB, 'bob', { status: 'suspended' }), accountRecord(GITHUB, 'cy', { status: 'deleted' })];
    await synthetic.run('2026-02-05T00:00:00Z', [{ stream: 'github/members', type: 'state', records: leftOnly }]);
    const refused = buildReview(synthetic.locker, options);
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow('--system github:acme: nothing to review: its latest account inventory holds no active or invited account, only 2 suspended, 1 deleted, so a review would decide nothing');
  });

  it('suggests leaver for a person who left, not for one who left and was hired again since', async () => {
    const person = (email: string) => ({ email, name: null, id: null });
    const events = [
      personnelRecord('hr:acme', 'HR-1', { type: 'leaver', person: person('ola@acme.example'), effectiveAt: '2026-02-10T00:00:00Z' }),
      personnelRecord('hr:acme', 'HR-2', { type: 'joiner', person: person('ola@acme.example'), effectiveAt: '2026-04-01T00:00:00Z' }),
      personnelRecord('hr:acme', 'HR-3', { type: 'leaver', person: person('pia@acme.example'), effectiveAt: '2026-03-10T00:00:00Z' }),
      // Pia was hired before she left: that joiner is not a return.
      personnelRecord('hr:acme', 'HR-0', { type: 'joiner', person: person('pia@acme.example'), effectiveAt: '2025-01-06T00:00:00Z' }),
    ];
    const records = [accountRecord(GITHUB, 'ola', { email: 'ola@acme.example' }), accountRecord(GITHUB, 'pia', { email: 'pia@acme.example' })];
    await synthetic.run('2026-05-01T00:00:00Z', [{ stream: 'github/members', type: 'state', records }, { stream: 'hr/lifecycle', type: 'event', records: events }]);
    const body = await buildReview(synthetic.locker, options);
    expect(body.rows.map(({ account, suggestedAction, suggestionReason }) => [account, suggestedAction, suggestionReason])).toEqual([
      ['ola', 'keep', ''],
      ['pia', 'leaver', 'pia@acme.example has left (personnel record)'],
    ]);
  });

  it('keeps one row per active or invited account, leaving the others out', async () => {
    const records = [accountRecord(GITHUB, 'bob', { status: 'invited' }), accountRecord(GITHUB, 'alice'), accountRecord(GITHUB, 'cy', { status: 'suspended' })];
    await synthetic.run('2026-02-05T00:00:00Z', [{ stream: 'github/members', type: 'state', records }]);
    const body = await buildReview(synthetic.locker, options);
    expect(body.rows.map(({ row, account, status }) => [row, account, status])).toEqual([
      [1, 'alice', 'active'],
      [2, 'bob', 'invited'],
    ]);
  });
});
