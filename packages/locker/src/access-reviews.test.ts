import { describe, it, expect, afterEach } from '@jest/globals';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { canonicalJson, sha256Hex } from '@evidentia/evidence';
import { LockerError, type AccessReviewInput, type VerifyReport } from './index.js';
import { attackerConnection, createTestLocker, objectCount, rowCount, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

const problemsOf = (report: VerifyReport) => report.problems.map((problem) => `${problem.code}: ${problem.message}`);
const objectPath = (dir: string, hash: string) => join(dir, 'objects', hash.slice(0, 2), hash.slice(2));

const review: AccessReviewInput = { reviewId: 'AR-1', kind: 'review', system: 'github:acme', addedBy: 'grc@example.com', body: { rows: [{ row: 1, account: 'ada' }, { row: 2, account: 'bob' }] } };
const decisions: AccessReviewInput = { ...review, kind: 'decisions', addedBy: 'lead@example.com', body: { decisions: [{ row: 2, account: 'bob', decision: 'revoke' }] } };

describe('access reviews in the locker', () => {
  it('stores signed, chained entries with their bodies, and verify accounts for them', async () => {
    test = await createTestLocker();
    const first = await test.locker.appendAccessReview(review);
    const second = await test.locker.appendAccessReview(decisions);
    // The test clock moves a second per reading.
    expect([first.sequence, second.sequence, second.addedAt]).toEqual([1, 2, '2025-03-01T09:00:01.000Z']);
    expect((await test.locker.accessReviews()).map((entry) => [entry.kind, entry.body])).toEqual([
      ['review', review.body],
      ['decisions', decisions.body],
    ]);
    const report = await test.locker.verify();
    expect(problemsOf(report)).toEqual([]);
    expect(report.counts.accessReviews).toBe(2);
  });

  it('keeps the files an entry names as objects, referenced by its signed entry, and names one that is gone', async () => {
    test = await createTestLocker();
    await test.locker.appendAccessReview(review);
    const workbook = Buffer.from('decided workbook\n');
    const decided = await test.locker.appendAccessReview({ ...decisions, files: [workbook] });
    const entry = JSON.parse((await test.locker.readObject(decided.hash)).toString('utf8')) as { files?: string[] };
    expect(entry.files).toEqual([sha256Hex(workbook)]);
    expect(await test.locker.readObject(sha256Hex(workbook))).toEqual(workbook);
    expect(problemsOf(await test.locker.verify())).toEqual([]);
    rmSync(objectPath(test.dir, sha256Hex(workbook)), { force: true });
    expect(problemsOf(await test.locker.verify())).toEqual([`object-missing: object ${sha256Hex(workbook)} (file of access-review entry 2 (decisions of review AR-1, github:acme)) is missing`]);
  });

  it('stores nothing when the guard refuses or the entry is malformed', async () => {
    test = await createTestLocker();
    await test.locker.appendAccessReview(review);
    const objects = objectCount(test.dir);
    await expect(
      test.locker.appendAccessReview(decisions, (stored) => {
        if (stored.length > 0) throw new LockerError('duplicate import');
      }),
    ).rejects.toThrow('duplicate import');
    await expect(test.locker.appendAccessReview({ ...review, reviewId: 'AR 2' })).rejects.toThrow('reviewId: expected letters, digits and dashes');
    expect(rowCount(test.dir, 'access_review_entries')).toBe(1);
    expect(objectCount(test.dir)).toBe(objects);
  });

  it('refuses a second review under a started review id, and decisions on a review not started or of another system', async () => {
    test = await createTestLocker();
    await test.locker.appendAccessReview(review);
    await test.locker.appendAccessReview(decisions);
    // Read back, a second review under the id replaced the first and dropped the decisions recorded on it.
    await expect(test.locker.appendAccessReview({ ...review, body: { rows: [] } })).rejects.toThrow(new LockerError('access review AR-1: already started (access-review entry 1); a new review takes a new id'));
    await expect(test.locker.appendAccessReview({ ...decisions, reviewId: 'AR-2' })).rejects.toThrow(new LockerError('access review AR-2: decisions on a review never started'));
    await expect(test.locker.appendAccessReview({ ...decisions, system: 'slack:acme' })).rejects.toThrow(new LockerError('access review AR-1: decisions for slack:acme on a review of github:acme'));
    expect(rowCount(test.dir, 'access_review_entries')).toBe(2);
  });

  it('names an edited decision, an edited row and a removed review', async () => {
    test = await createTestLocker();
    const started = await test.locker.appendAccessReview(review);
    const decided = await test.locker.appendAccessReview(decisions);
    const later = await test.locker.appendAccessReview({ ...decisions, reviewId: 'AR-1', body: { decisions: [{ row: 1, account: 'ada', decision: 'keep' }] } });
    // The decision's object rewritten to say keep: its bytes no longer hash to its name.
    const stored = JSON.parse((await test.locker.readObject(decided.hash)).toString('utf8')) as { body: { decisions: { decision: string }[] } };
    stored.body.decisions[0]!.decision = 'keep';
    const path = objectPath(test.dir, decided.hash);
    chmodSync(path, 0o644);
    writeFileSync(path, gzipSync(Buffer.from(canonicalJson(stored))));
    const db = attackerConnection(test.dir);
    db.prepare("UPDATE access_review_entries SET added_by = 'someone@example.com' WHERE sequence = 3").run();
    db.prepare('DELETE FROM access_review_entries WHERE sequence = 1').run();
    db.close();
    const problems = problemsOf(await test.locker.verify());
    const label = (sequence: number, kind: string) => `access-review entry ${sequence} (${kind} of review AR-1, github:acme)`;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^object-altered: object ${decided.hash} \\(${label(2, 'decisions').replace(/[()]/g, '\\$&')}\\)`)),
        `access-review-altered: ${label(3, 'decisions')}: added_by in the access_review_entries table differ from its entry ${later.hash}`,
        `access-review-altered: access-review entry 1 is missing: the chain goes from its start to ${label(2, 'decisions')}`,
        `chain-broken: ${label(2, 'decisions')} links to previous entry ${started.hash}, but it is the first entry`,
      ]),
    );
  });
});
