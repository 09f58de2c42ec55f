import { describe, it, expect, afterEach } from '@jest/globals';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '@evidentia/evidence';
import { ACCEPTANCE_FORMAT, acceptanceRowOf, type AcceptanceObject } from './acceptances.js';
import { LockerError, type AcceptanceInput, type VerifyReport } from './index.js';
import { ObjectStore } from './objects.js';
import { attackerConnection, createTestLocker, objectCount, rowCount, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

function input(extra: Partial<AcceptanceInput> = {}): AcceptanceInput {
  return { check: 'mfa-enabled', item: 'aws:svc-legacy', reason: 'hardware token on order', approver: 'ciso@example.com', until: '2025-06-30', recordedBy: 'grc@example.com', ...extra };
}

const problemsOf = (report: VerifyReport) => report.problems.map((problem) => `${problem.code}: ${problem.message}`);

describe('accepted exceptions', () => {
  it('stores signed, chained acceptances and a revocation as a new entry, both kept', async () => {
    test = await createTestLocker();
    const first = await test.locker.acceptException(input());
    const second = await test.locker.acceptException(input({ item: 'github:octocat', until: '2025-12-31' }));
    expect(first).toMatchObject({ id: 1, check: 'mfa-enabled', item: 'aws:svc-legacy', approver: 'ciso@example.com', until: '2025-06-30', recordedAt: '2025-03-01T09:00:00.000Z', revoked: null });
    const revoked = await test.locker.revokeAcceptance({ revokes: 1, reason: 'token arrived', approver: 'ciso@example.com', recordedBy: 'grc@example.com' });
    expect(revoked.revoked).toMatchObject({ id: 3, reason: 'token arrived' });
    expect((await test.locker.acceptances()).map(({ id, revoked: r }) => [id, r?.id ?? null])).toEqual([
      [1, 3],
      [2, null],
    ]);
    expect(second.hash).not.toBe(first.hash);
    expect(rowCount(test.dir, 'exception_acceptances')).toBe(3);
    const report = await test.locker.verify();
    expect(problemsOf(report)).toEqual([]);
    expect(report.counts.acceptances).toBe(3);
  });

  it('refuses a second revocation, an unknown acceptance and empty fields, storing nothing', async () => {
    test = await createTestLocker();
    await test.locker.acceptException(input());
    await test.locker.revokeAcceptance({ revokes: 1, reason: 'fixed', approver: 'ciso@example.com', recordedBy: 'grc@example.com' });
    const objects = objectCount(test.dir);
    await expect(test.locker.revokeAcceptance({ revokes: 1, reason: 'again', approver: 'ciso@example.com', recordedBy: 'grc@example.com' })).rejects.toThrow(/^acceptance 1 was already revoked by entry 2 at /);
    await expect(test.locker.revokeAcceptance({ revokes: 7, reason: 'x', approver: 'a', recordedBy: 'b' })).rejects.toThrow('acceptance 7 does not exist');
    await expect(test.locker.acceptException(input({ reason: '  ' }))).rejects.toThrow('reason: must not be empty');
    await expect(test.locker.acceptException(input({ approver: '' }))).rejects.toThrow('approver: must not be empty');
    await expect(test.locker.acceptException(input({ until: '2025-02-30' }))).rejects.toThrow(LockerError);
    expect(rowCount(test.dir, 'exception_acceptances')).toBe(2);
    expect(objectCount(test.dir)).toBe(objects);
  });

  it('names an edited, a removed and a forged acceptance', async () => {
    test = await createTestLocker();
    const first = await test.locker.acceptException(input());
    const second = await test.locker.acceptException(input({ item: 'github:octocat' }));
    const third = await test.locker.acceptException(input({ item: 'google:bob' }));
    // A forged fourth entry: a well-formed object and row, chained to the third, but with a signature the key never made.
    const forged: AcceptanceObject = { format: ACCEPTANCE_FORMAT, sequence: 4, previous: third.hash, action: 'accept', check: 'mfa-enabled', item: 'aws:root', reason: 'forged', approver: 'ciso@example.com', until: '2030-01-01', revokes: null, recordedBy: 'mallory', recordedAt: '2025-03-02T00:00:00.000Z' };
    const forgedHash = new ObjectStore(join(test.dir, 'objects')).putValue(forged);
    expect(forgedHash).toBe(sha256Hex(Buffer.from(canonicalJson(forged))));
    const db = attackerConnection(test.dir);
    db.prepare("UPDATE exception_acceptances SET until_day = '2099-12-31' WHERE sequence = 3").run();
    db.prepare('DELETE FROM exception_acceptances WHERE sequence = 2').run();
    const row = acceptanceRowOf(forged, forgedHash, db.prepare('SELECT signature FROM exception_acceptances WHERE sequence = 1').pluck().get() as string);
    db.prepare(`INSERT INTO exception_acceptances (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map((column) => `@${column}`).join(', ')})`).run(row);
    db.close();
    const problems = problemsOf(await test.locker.verify());
    const thirdLabel = 'acceptance 3 (mfa-enabled, item "google:bob")';
    expect(problems).toEqual(
      expect.arrayContaining([
        `acceptance-altered: ${thirdLabel}: until_day in the exception_acceptances table differ from its entry ${third.hash}`,
        `acceptance-altered: acceptance entry 2 is missing: the chain goes from acceptance 1 to ${thirdLabel}`,
        `chain-broken: ${thirdLabel} links to previous entry ${second.hash}, but acceptance 1 has hash ${first.hash}`,
        expect.stringMatching(/^signature-invalid: acceptance 4 \(mfa-enabled, item "aws:root"\): the signature over entry [0-9a-f]{64} does not verify with key /),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('names a revocation that revokes no earlier acceptance of its item', async () => {
    test = await createTestLocker();
    await test.locker.acceptException(input());
    await test.locker.revokeAcceptance({ revokes: 1, reason: 'fixed', approver: 'ciso@example.com', recordedBy: 'grc@example.com' });
    const db = attackerConnection(test.dir);
    db.prepare("UPDATE exception_acceptances SET item = 'aws:other' WHERE sequence = 2").run();
    db.close();
    expect(problemsOf(await test.locker.verify())).toEqual(
      expect.arrayContaining([expect.stringMatching(/^acceptance-altered: acceptance 2 \(revocation of 1, item "aws:other"\): revokes 1, which is no earlier acceptance of mfa-enabled for this item$/)]),
    );
  });
});
