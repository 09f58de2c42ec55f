/** access-review-performed: reviews on schedule, every account decided, revokes judged from later inventories. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { hashCanonical } from '@evidentia/evidence';
import { buildReview } from '../../access-reviews/build.js';
import type { DecisionEntry, DecisionsBody } from '../../access-reviews/types.js';
import { createSyntheticLocker, type SyntheticLocker } from '../synthetic-locker.js';
import { accountRecord } from '../synthetic-records.js';
import { findingsOf, verdicts } from '../test-support.js';
import accessReviewPerformed from './access-review-performed.js';

const GITHUB = 'github:acme';
const SLACK = 'slack:acme';
const stream = 'github/members';
const PERIOD = '2026-02-01..2026-02-28';
const settings = { systems: [GITHUB], frequency: 'monthly', revokeSlaDays: 14 };

let synthetic: SyntheticLocker;
beforeEach(async () => {
  synthetic = await createSyntheticLocker();
});
afterEach(async () => synthetic.cleanup());

const inventory = (at: string, logins: string[], suspended: string[] = []) =>
  synthetic.run(at, [{ stream, type: 'state', records: [...logins.map((login) => accountRecord(GITHUB, login)), ...suspended.map((login) => accountRecord(GITHUB, login, { status: 'suspended' }))] }]);

/** A review of the latest inventory, stored at the locker's current time, with these decisions (by account; by `reviewer` unless `reviewers` names another). */
async function review(decided: Record<string, DecisionEntry['decision']>, reviewers: Record<string, string> = {}): Promise<string> {
  const body = await buildReview(synthetic.locker, { system: GITHUB, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
  const reviewId = `AR-${Object.keys(decided).join('-') || 'none'}`;
  await synthetic.locker.appendAccessReview({ reviewId, kind: 'review', system: GITHUB, addedBy: 'grc@acme.example', body });
  const decisions = body.rows.filter((row) => decided[row.account]).map((row) => ({ row: row.row, account: row.account, decision: decided[row.account]!, reviewer: reviewers[row.account] ?? 'lead@acme.example', comment: '' }));
  if (decisions.length > 0) {
    const batch: DecisionsBody = { decisions, partial: decisions.length < body.rows.length, file: { name: 'review.xlsx', sha256: 'a'.repeat(64) } };
    await synthetic.locker.appendAccessReview({ reviewId, kind: 'decisions', system: GITHUB, addedBy: 'grc@acme.example', body: batch });
  }
  return reviewId;
}

describe('access-review-performed', () => {
  it('passes a complete review and a revoke a later inventory shows done in time; a revoke still active past its SLA is an exception', async () => {
    await inventory('2026-02-05T00:00:00Z', ['alice', 'bob', 'carol', 'dan']);
    const id = await review({ alice: 'keep', bob: 'revoke', carol: 'revoke', dan: 'revoke' });
    // Bob gone and Dan suspended a week later; Carol still there after her deadline (2026-02-19).
    await inventory('2026-02-12T00:00:00Z', ['alice', 'carol'], ['dan']);
    await inventory('2026-02-25T00:00:00Z', ['alice', 'carol'], ['dan']);
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    expect(verdicts(findings)).toEqual([
      [`monthly review 2026-02-01..2026-02-28 @ ${GITHUB}`, 'pass'],
      [`revoke bob (review ${id} row 2) @ ${GITHUB}`, 'pass'],
      [`revoke carol (review ${id} row 3) @ ${GITHUB}`, 'exception'],
      [`revoke dan (review ${id} row 4) @ ${GITHUB}`, 'pass'],
    ]);
    const reason = (account: string) => findings.find((finding) => finding.item.startsWith(`revoke ${account} `))!.reason;
    expect(reason('bob')).toBe('decided 2026-02-05T00:00:00.000Z by lead@acme.example; gone in the inventory of 2026-02-12T00:00:00.000Z, within 14 days');
    expect(reason('dan')).toBe('decided 2026-02-05T00:00:00.000Z by lead@acme.example; suspended in the inventory of 2026-02-12T00:00:00.000Z, within 14 days');
    expect(reason('carol')).toBe('decided 2026-02-05T00:00:00.000Z by lead@acme.example; still active in the inventory of 2026-02-25T00:00:00.000Z, past its deadline 2026-02-19T00:00:00.000Z');
  });

  it('needs the revoke shown in every stream of the system that holds the account: gone from the admins inventory, still active among the members is an exception', async () => {
    await inventory('2026-02-05T00:00:00Z', ['alice', 'bob']);
    const id = await review({ alice: 'keep', bob: 'revoke' });
    // A second account stream of the same system, taken at other times: Bob holds a role there until the 12th.
    const admins = (at: string, logins: string[]) =>
      synthetic.run(at, [{ stream: 'github/admins', type: 'state', records: logins.map((login) => ({ ...accountRecord(GITHUB, login, { privileged: true }), key: `role-holder:${login}` })) }]);
    await admins('2026-02-06T01:00:00Z', ['bob']);
    await admins('2026-02-12T01:00:00Z', []);
    await inventory('2026-02-12T00:00:00Z', ['alice', 'bob']);
    await inventory('2026-02-25T00:00:00Z', ['alice', 'bob']);
    await admins('2026-02-25T01:00:00Z', []);
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    const bob = findings.find((finding) => finding.item === `revoke bob (review ${id} row 2)`)!;
    expect([bob.status, bob.reason]).toEqual(['exception', 'github/members: decided 2026-02-05T00:00:00.000Z by lead@acme.example; still active in the inventory of 2026-02-25T00:00:00.000Z, past its deadline 2026-02-19T00:00:00.000Z']);
  });

  it('judges a revoke on the account by the id a rename keeps: a login renamed after the decision is the same account, a login taken over by another is not', async () => {
    const accounts = (at: string, held: [login: string, id: string, status?: 'active' | 'suspended'][]) =>
      synthetic.run(at, [{ stream, type: 'state', records: held.map(([login, sourceId, status = 'active']) => accountRecord(GITHUB, login, { sourceId, status })) }]);
    await accounts('2026-02-05T00:00:00Z', [['alice', '1'], ['bob', '2'], ['carol', '3']]);
    const id = await review({ alice: 'keep', bob: 'revoke', carol: 'revoke' });
    // Bob renamed himself and kept his access; Carol's account was renamed and suspended, and another person took her login.
    await accounts('2026-02-12T00:00:00Z', [['alice', '1'], ['bob-new', '2'], ['carol', '9'], ['carol-old', '3', 'suspended']]);
    await accounts('2026-02-25T00:00:00Z', [['alice', '1'], ['bob-new', '2'], ['carol', '9'], ['carol-old', '3', 'suspended']]);
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    const revoke = (account: string, row: number) => findings.find((finding) => finding.item === `revoke ${account} (review ${id} row ${row})`)!;
    expect([revoke('bob', 2).status, revoke('bob', 2).reason]).toEqual(['exception', 'decided 2026-02-05T00:00:00.000Z by lead@acme.example; still active in the inventory of 2026-02-25T00:00:00.000Z, past its deadline 2026-02-19T00:00:00.000Z']);
    expect([revoke('carol', 3).status, revoke('carol', 3).reason]).toEqual(['pass', 'decided 2026-02-05T00:00:00.000Z by lead@acme.example; suspended in the inventory of 2026-02-12T00:00:00.000Z, within 14 days']);
  });

  it('follows a renamed account of a review started before rows carried the id, by the id its inventory held at the decision', async () => {
    // The review was built from an inventory without ids; the one in effect when the revoke was decided has them.
    await inventory('2026-02-05T00:00:00Z', ['alice', 'bob']);
    const body = await buildReview(synthetic.locker, { system: GITHUB, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
    const old = { ...body, rows: body.rows.map(({ sourceId: _, ...rest }) => rest) };
    await synthetic.locker.appendAccessReview({ reviewId: 'AR-old', kind: 'review', system: GITHUB, addedBy: 'grc@acme.example', body: old });
    const accounts = (at: string, held: [login: string, id: string][]) => synthetic.run(at, [{ stream, type: 'state', records: held.map(([login, sourceId]) => accountRecord(GITHUB, login, { sourceId })) }]);
    await accounts('2026-02-06T00:00:00Z', [['alice', '1'], ['bob', '2']]);
    const decisions = old.rows.map((row) => ({ row: row.row, account: row.account, decision: row.account === 'bob' ? ('revoke' as const) : ('keep' as const), reviewer: 'lead@acme.example', comment: '' }));
    await synthetic.locker.appendAccessReview({ reviewId: 'AR-old', kind: 'decisions', system: GITHUB, addedBy: 'grc@acme.example', body: { decisions, partial: false, file: { name: 'review.xlsx', sha256: 'b'.repeat(64) } } });
    await accounts('2026-02-12T00:00:00Z', [['alice', '1'], ['bob-new', '2']]);
    await accounts('2026-02-25T00:00:00Z', [['alice', '1'], ['bob-new', '2']]);
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    const bob = findings.find((finding) => finding.item === 'revoke bob (review AR-old row 2)')!;
    expect([bob.status, bob.reason]).toEqual(['exception', 'decided 2026-02-06T00:00:00.000Z by lead@acme.example; still active in the inventory of 2026-02-25T00:00:00.000Z, past its deadline 2026-02-20T00:00:00.000Z']);
  });

  it('leaves a revoke no later inventory can judge not assessed, and an undecided review is an exception', async () => {
    await inventory('2026-02-05T00:00:00Z', ['alice', 'bob']);
    const id = await review({ bob: 'revoke' });
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    expect(verdicts(findings)).toEqual([
      [`monthly review 2026-02-01..2026-02-28 @ ${GITHUB}`, 'exception'],
      [`revoke bob (review ${id} row 2) @ ${GITHUB}`, 'not-assessed'],
    ]);
    expect(findings.find((finding) => finding.status === 'exception')!.reason).toBe(`review ${id} started 2026-02-05T00:00:00.000Z: 1 of 2 account(s) have no decision`);
    expect(findings.find((finding) => finding.status === 'not-assessed')!.reason).toBe(
      'decided 2026-02-05T00:00:00.000Z by lead@acme.example; overdue since 2026-02-19T00:00:00.000Z: no inventory of github:acme was taken after the decision, so no later inventory shows it carried out',
    );
  });

  it('never passes a window on a review that lists no account: it reviewed nothing', async () => {
    await inventory('2026-02-05T00:00:00Z', ['alice']);
    // As a locker written before `access-review start` refused such a review holds it (an inventory of suspended accounts only).
    const body = await buildReview(synthetic.locker, { system: GITHUB, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
    await synthetic.locker.appendAccessReview({ reviewId: 'AR-empty', kind: 'review', system: GITHUB, addedBy: 'grc@acme.example', body: { ...body, rows: [], population: hashCanonical([]).hash } });
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    expect(findings.map(({ item, status, reason }) => [item, status, reason])).toEqual([
      ['monthly review 2026-02-01..2026-02-28', 'not-assessed', 'review AR-empty started 2026-02-05T00:00:00.000Z lists no account (its inventory held no active or invited account of github:acme), so it shows no access reviewed'],
    ]);
  });

  it('never passes a window on a complete review built from an inventory older than the window: accounts added since went unreviewed', async () => {
    await inventory('2026-01-20T00:00:00Z', ['alice', 'bob']);
    // The connector stopped reporting; a February review can only be built from January's inventory.
    await synthetic.run('2026-02-10T00:00:00Z', [{ stream: 'slack/users', type: 'state', records: [accountRecord(SLACK, 'alice')] }]);
    const id = await review({ alice: 'keep', bob: 'keep' });
    const findings = (await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings })).filter((finding) => finding.item.startsWith('monthly'));
    expect(findings.map(({ item, status, reason }) => [item, status, reason])).toEqual([
      [
        'monthly review 2026-02-01..2026-02-28',
        'exception',
        `review ${id} started 2026-02-10T00:00:00.000Z has every account decided, but its population is the inventory of ${stream} at 2026-01-20T00:00:00.000Z, taken before the window began, so accounts added since were not reviewed`,
      ],
    ]);
  });

  it('never passes a window on a review where an account was decided by its own holder', async () => {
    await inventory('2026-02-05T00:00:00Z', ['alice', 'bob']);
    const id = await review({ alice: 'keep', bob: 'keep' }, { alice: 'Alice' });
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    expect(findings.map(({ status, reason }) => [status, reason])).toEqual([
      ['exception', `review ${id} started 2026-02-05T00:00:00.000Z has every account decided, but row 1 (alice) was decided by Alice, who holds it: nobody decides their own access`],
    ]);
  });

  it('finds a window without a review an exception, a running one not assessed, and nothing in scope never a pass', async () => {
    await synthetic.run('2026-01-10T00:00:00Z', [
      { stream, type: 'state', records: [accountRecord(GITHUB, 'alice')] },
      { stream: 'slack/users', type: 'state', records: [accountRecord(SLACK, 'alice')] },
    ]);
    await synthetic.run('2026-02-27T00:00:00Z', [{ stream, type: 'state', records: [accountRecord(GITHUB, 'alice')] }]);
    // The period's end is cut to now in real runs; here the second month has not ended when the period does.
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, '2026-01-01..2026-02-14', { settings });
    expect(verdicts(findings)).toEqual([
      [`monthly review 2026-01-01..2026-01-31 @ ${GITHUB}`, 'exception'],
      [`monthly review 2026-02-01..2026-02-14 @ ${GITHUB}`, 'not-assessed'],
    ]);
    const none = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings: {} });
    expect(none.map((finding) => finding.status)).not.toContain('pass');
    expect(none.find((finding) => finding.item === '(no system in scope)')?.status).toBe('not-assessed');
  });

  it('counts review windows in calendar days of the audit zone, not UTC days', async () => {
    // 21:00 on 28 February in New York is already 1 March in UTC.
    await inventory('2026-03-01T02:00:00Z', ['alice']);
    await review({ alice: 'keep' });
    const zoned = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings, timezone: 'America/New_York' });
    expect(verdicts(zoned)).toEqual([[`monthly review 2026-02-01..2026-02-28 @ ${GITHUB}`, 'pass']]);
    // Read in UTC, the same review falls after the period, so February has none (and no inventory of the period either).
    const utc = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    expect(verdicts(utc).filter(([item]) => item.startsWith('monthly'))).toEqual([[`monthly review 2026-02-01..2026-02-28 @ ${GITHUB}`, 'exception']]);
    // A March window in the zone starts at 05:00 UTC on 1 March: the review above is not in it.
    const march = await findingsOf(accessReviewPerformed, synthetic.locker, '2026-03-01..2026-03-31', { settings, timezone: 'America/New_York' });
    expect(verdicts(march).filter(([item]) => item.startsWith('monthly'))).toEqual([[`monthly review 2026-03-01..2026-03-31 @ ${GITHUB}`, 'exception']]);
  });
  it('never passes a window on a review whose decisions were recorded after the window ended: it was completed late', async () => {
    await inventory('2026-02-05T00:00:00Z', ['alice', 'bob']);
    const body = await buildReview(synthetic.locker, { system: GITHUB, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
    await synthetic.locker.appendAccessReview({ reviewId: 'AR-late', kind: 'review', system: GITHUB, addedBy: 'grc@acme.example', body });
    const batch = (row: number, account: string, partial: boolean, sha: string): DecisionsBody => ({ decisions: [{ row, account, decision: 'keep', reviewer: 'lead@acme.example', comment: '' }], partial, file: { name: 'review.xlsx', sha256: sha.repeat(64) } });
    await synthetic.locker.appendAccessReview({ reviewId: 'AR-late', kind: 'decisions', system: GITHUB, addedBy: 'grc@acme.example', body: batch(1, 'alice', true, 'a') });
    // Bob's decision is recorded on 10 March, after February's window ended.
    await synthetic.run('2026-03-10T00:00:00Z', [{ stream: 'slack/users', type: 'state', records: [accountRecord(SLACK, 'alice')] }]);
    await synthetic.locker.appendAccessReview({ reviewId: 'AR-late', kind: 'decisions', system: GITHUB, addedBy: 'grc@acme.example', body: batch(2, 'bob', false, 'b') });
    const findings = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    expect(findings.map(({ item, status, reason }) => [item, status, reason])).toEqual([
      [
        'monthly review 2026-02-01..2026-02-28',
        'exception',
        'review AR-late started 2026-02-05T00:00:00.000Z has every account decided, but 1 account(s) were decided after the window ended at 2026-03-01T00:00:00.000Z, the last (row 2, bob) at 2026-03-10T00:00:00.000Z, so the review was completed late',
      ],
    ]);
  });
  it('judges a revoke decided in the period on a review started before it: it was never judged in either period', async () => {
    await inventory('2026-02-25T00:00:00Z', ['alice', 'bob']);
    const body = await buildReview(synthetic.locker, { system: GITHUB, reviewer: null, aliases: {}, now: new Date('2026-12-31T00:00:00Z'), inactiveDays: 90, directorySystems: [] });
    await synthetic.locker.appendAccessReview({ reviewId: 'AR-feb', kind: 'review', system: GITHUB, addedBy: 'grc@acme.example', body });
    // The decisions come in on 3 March; Bob is still there on 20 March, past his deadline (17 March).
    await inventory('2026-03-03T00:00:00Z', ['alice', 'bob']);
    const decisions: DecisionsBody = {
      decisions: body.rows.map((row) => ({ row: row.row, account: row.account, decision: row.account === 'bob' ? 'revoke' : 'keep', reviewer: 'lead@acme.example', comment: '' })),
      partial: false,
      file: { name: 'review.xlsx', sha256: 'a'.repeat(64) },
    };
    await synthetic.locker.appendAccessReview({ reviewId: 'AR-feb', kind: 'decisions', system: GITHUB, addedBy: 'grc@acme.example', body: decisions });
    await inventory('2026-03-20T00:00:00Z', ['alice', 'bob']);
    const march = await findingsOf(accessReviewPerformed, synthetic.locker, '2026-03-01..2026-03-31', { settings });
    expect(march.filter((finding) => finding.item.startsWith('revoke')).map(({ item, status, reason }) => [item, status, reason])).toEqual([
      ['revoke bob (review AR-feb row 2)', 'exception', 'decided 2026-03-03T00:00:00.000Z by lead@acme.example; still active in the inventory of 2026-03-20T00:00:00.000Z, past its deadline 2026-03-17T00:00:00.000Z'],
    ]);
    // February's results still show it, open: its deadline is after February.
    const february = await findingsOf(accessReviewPerformed, synthetic.locker, PERIOD, { settings });
    expect(verdicts(february).filter(([item]) => item.startsWith('revoke'))).toEqual([[`revoke bob (review AR-feb row 2) @ ${GITHUB}`, 'not-assessed']]);
  });
});
