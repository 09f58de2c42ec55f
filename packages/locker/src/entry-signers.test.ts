/**
 * Signed entries across a key rotation: an entry must be signed by the key in
 * effect when it was added, so whoever kept the retired key can add nothing
 * after the hand-over, nor slip an entry dated before it behind one the new
 * key signed; entries the old key signed before the rotation still verify.
 * And the locker refuses to write with a key a rotation retired after it was
 * chosen, rather than store an entry that would fail verification for good.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { openLocker, parsePublicKey, type KeyCustody, type KeyRotation, type Locker, type Signer } from './index.js';
import { collect, createTestLocker, type TestLocker } from './test-locker.js';

let test: TestLocker | undefined;
afterEach(async () => {
  await test?.cleanup();
  test = undefined;
});

const messages = async (locker: Locker) => (await locker.verify()).problems.map((problem) => `${problem.code}: ${problem.message}`);
const acceptance = (item: string, recordedBy: string) => ({ check: 'mfa-enabled', item, reason: 'contractor without MFA', approver: 'ceo', until: '2099-12-31', recordedBy });

/**
 * `write` done by someone who kept `signer` (a retired key) and can write the
 * files, with their own clock: the locker refuses a retired key, so they hide
 * the rotation records meanwhile and put them back.
 */
async function writtenWith(dir: string, signer: Signer, now: () => Date, write: (locker: Locker) => Promise<unknown>): Promise<void> {
  const custody: KeyCustody = { location: 'a kept copy of the retired key', signerFor: async () => signer, newSigner: async () => signer };
  const rotations = join(dir, 'keys', 'rotations');
  renameSync(rotations, `${rotations}.hidden`);
  const locker = await openLocker(dir, { custody, now });
  try {
    await write(locker);
  } finally {
    await locker.close();
    renameSync(`${rotations}.hidden`, rotations);
  }
}

/** A locker with one run signed by its first key, then rotated: the retired key's signer and when it was handed over. */
async function rotated(): Promise<{ retired: Signer; rotation: { to: string }; rotatedAt: string }> {
  test = await createTestLocker();
  const first = await collect(test.locker, ['alice']);
  const retired = (await test.keys.signerFor(first.keyId))!;
  const rotatedAt = test.clock.time.toISOString();
  const rotation = await test.locker.rotateKey();
  await collect(test.locker, ['alice', 'bob']);
  return { retired, rotation, rotatedAt };
}

describe('entries across a key rotation', () => {
  it('fails an acceptance and a catalog text import the retired key signed after its hand-over, naming the key and when it was handed over', async () => {
    const { retired, rotation, rotatedAt } = await rotated();
    await writtenWith(test!.dir, retired, () => new Date('2025-03-02T00:00:00.000Z'), async (attacker) => {
      await attacker.acceptException(acceptance('github:acme/bob', 'mallory'));
      await attacker.importCatalogText({ framework: 'iso27001', entries: [{ id: 'A.5.1', text: 'Policies.' }], sourceName: 'x.csv', sourceSha256: 'a'.repeat(64) });
    });
    const retirement = `which was retired at ${rotatedAt} (handed over to key ${rotation.to}); a retired key signs nothing new`;
    expect(await messages(test!.locker)).toEqual([
      `signature-invalid: catalog text import 1 (iso27001 from "x.csv"): signed at 2025-03-02T00:00:00.000Z with key ${retired.publicKey.keyId}, ${retirement}`,
      `signature-invalid: acceptance 1 (mfa-enabled, item "github:acme/bob"): signed at 2025-03-02T00:00:00.000Z with key ${retired.publicKey.keyId}, ${retirement}`,
    ]);
  });

  it('verifies entries of every chain the old key signed before the hand-over and the new key after it', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const add = async (by: string) => {
      await test!.locker.acceptException(acceptance(`github:acme/${by}`, by));
      await test!.locker.addDocuments([{ request: 'policy', fileName: `${by}.txt`, bytes: Buffer.from(by), addedBy: by, effective: '2025-03-01', subject: null, note: null, supersedes: null }]);
      await test!.locker.appendPortalLog([{ at: test!.clock.time.toISOString(), user: by, role: 'auditor', action: 'download', target: '/evidence/population.csv', outcome: '200', address: '127.0.0.1' }]);
      await test!.locker.appendAccessReview({ reviewId: `AR-${by}`, kind: 'review', system: 'github:acme', addedBy: by, body: { rows: [{ row: 1, account: 'alice' }] } });
      await test!.locker.importCatalogText({ framework: 'iso27001', entries: [{ id: 'A.5.1', text: `Policies (${by}).` }], sourceName: `${by}.csv`, sourceSha256: 'a'.repeat(64) });
    };
    await add('before');
    await test.locker.rotateKey();
    await add('after');
    await collect(test.locker, ['alice', 'bob']);
    const report = await test.locker.verify();
    expect(report).toMatchObject({ ok: true, problems: [], counts: { acceptances: 2, documents: 2, accessReviews: 2, portalLog: 2, catalogTextImports: 2 } });
  });

  it('fails an entry the retired key signed, dated before the hand-over, that follows one the new key signed', async () => {
    const { retired, rotation, rotatedAt } = await rotated();
    await test!.locker.acceptException(acceptance('github:acme/alice', 'grc'));
    const backdated = new Date(Date.parse(rotatedAt) - 60_000);
    await writtenWith(test!.dir, retired, () => backdated, (attacker) => attacker.acceptException(acceptance('github:acme/bob', 'mallory')));
    expect(await messages(test!.locker)).toEqual([
      `signature-invalid: acceptance 2 (mfa-enabled, item "github:acme/bob"): signed with key ${retired.publicKey.keyId}, older than key ${rotation.to} that signed acceptance 1 (mfa-enabled, item "github:acme/alice") before it; the signing key never goes back along a chain`,
    ]);
  });

  it('refuses an entry whose key a rotation retired after the locker chose it, storing nothing', async () => {
    test = await createTestLocker();
    await collect(test.locker, ['alice']);
    const first = parsePublicKey(await test.locker.publicKey()).keyId;
    const keys = test.keys;
    const rotator = test.locker;
    let rotation: KeyRotation | undefined;
    // Another process (the portal, say) gets the key in effect from its custody just as the rotation lands, before it takes the writer lock.
    const custody: KeyCustody = {
      location: keys.location,
      signerFor: async (keyId) => {
        if (keyId === first) rotation ??= await rotator.rotateKey();
        return keys.signerFor(keyId);
      },
      newSigner: () => keys.newSigner(),
    };
    const portal = await openLocker(test.dir, { custody });
    try {
      const refused = await portal.acceptException(acceptance('github:acme/alice', 'grc')).then(
        () => 'stored',
        (error: Error) => error.message,
      );
      expect(refused).toBe(`the locker's signing key was rotated from ${first} to ${rotation!.to} before this write took the writer lock: nothing was stored, try again`);
    } finally {
      await portal.close();
    }
    expect(await test.locker.verify()).toMatchObject({ ok: true, problems: [], counts: { acceptances: 0 } });
  });
});
