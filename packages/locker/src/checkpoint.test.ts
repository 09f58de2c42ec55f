/**
 * Checkpoints signed by a real locker, and the comparison of a chain with
 * them: behind, forked, forged, another locker, and a witness that lags; the
 * same for the signed entry chains a checkpoint names, and older checkpoints
 * that name none.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { CHECKPOINT_PURPOSE, checkpointBytes, checkpointLine, lockerIdOf, parseCheckpointLog, signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { checkpointKeys, compareCheckpoints } from './checkpoint-compare.js';
import { followRotations, type KeyChain } from './key-rotation.js';
import { parsePublicKey } from './keys.js';
import { signDocument } from './sign-document.js';
import { attackerConnection, createTestLocker, type TestLocker } from './test-locker.js';

let test: TestLocker;
beforeEach(async () => {
  test = await createTestLocker();
});
afterEach(() => test.cleanup());

/** The trusted keys when `pem` is the first key and there was no rotation. */
const only = (pem: string): KeyChain => followRotations(parsePublicKey(pem), []);

async function sealRun(): Promise<SignedCheckpoint> {
  const writer = await test.locker.beginRun({ trigger: 'manual', collectorVersion: 'test', parameters: {} });
  await writer.commit();
  return (await signCheckpoint(test.locker, new Date('2026-06-01T00:00:00Z')))!;
}

describe('checkpoints', () => {
  it('name the head of the chain, signed, and read back from a log line', async () => {
    expect(await signCheckpoint(test.locker, new Date())).toBeNull();
    const first = await sealRun();
    const second = await sealRun();
    const manifests = await test.locker.manifests();
    expect(second.checkpoint).toMatchObject({ format: 'evidentia.checkpoint/1', lockerId: manifests[0]!.hash, sequence: 2, head: manifests[1]!.hash, runId: manifests[1]!.runId, time: '2026-06-01T00:00:00.000Z' });
    const log = parseCheckpointLog(`${checkpointLine(first)}${checkpointLine(second)}\n{"x":1}\n`);
    expect(log.checkpoints).toEqual([first, second]);
    expect(log.malformed).toEqual([expect.stringMatching(/^line 4: not an evidentia\.checkpoint\/1 checkpoint/)]);
    const comparison = compareCheckpoints(manifests, log.checkpoints, only(await test.locker.publicKey()), manifests[0]!.hash);
    expect(comparison.problems).toEqual([]);
    expect(comparison.latest).toEqual(second);
  });

  it('find a chain behind, forked, forged or of another locker; a lagging witness is a note', async () => {
    const first = await sealRun();
    const second = await sealRun();
    const key = only(await test.locker.publicKey());
    const chain = await test.locker.manifests();
    const lockerId = chain[0]!.hash;
    const codes = (manifests: typeof chain, checkpoints: SignedCheckpoint[], id: string | null = lockerId) => compareCheckpoints(manifests, checkpoints, key, id).problems.map((p) => p.code);

    expect(codes(chain.slice(0, 1), [first, second])).toEqual(['witness-behind']);
    expect(codes([chain[0]!, { ...chain[1]!, hash: 'f'.repeat(64) }], [first, second])).toEqual(['witness-forked']);
    expect(codes(chain, [{ ...second, checkpoint: { ...second.checkpoint, sequence: 3 } }])).toEqual(['witness-signature-invalid']);
    const stranger = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(compareCheckpoints(chain, [first], only(stranger), lockerId).problems.map((p) => p.code)).toEqual(['witness-signature-invalid']);
    expect(codes([], [first], null)).toEqual(['witness-other-locker']);
    expect(codes(chain, [first], 'e'.repeat(64))).toEqual(['witness-other-locker']);

    const lagging = compareCheckpoints(chain, [first], key, lockerId);
    expect(lagging.problems).toEqual([]);
    expect(lagging.notes).toEqual(['its newest checkpoint is #1; run(s) #2–#2 are not witnessed here']);
    expect(compareCheckpoints(chain, [], key, lockerId).notes).toEqual(['holds no checkpoint yet']);
  });

  it('say which manifests the locker lacks when manifest #1 alone was deleted from locker.db, not that it is empty or another locker', async () => {
    const first = await sealRun();
    const second = await sealRun();
    const third = await sealRun();
    const held = await test.locker.manifests();
    // A manifest deleted inside the chain is lacked, not "behind": the chain goes on past it.
    expect(compareCheckpoints([held[0]!, held[2]!], [second], only(await test.locker.publicKey()), held[0]!.hash).problems).toEqual([
      { code: 'witness-behind', message: expect.stringMatching(/^the locker lacks manifest\(s\) #2, which the witness checkpointed \(checkpoint #2 .*\), though its chain goes on to #3: manifests were deleted from locker\.db$/) },
    ]);
    const db = attackerConnection(test.dir);
    try {
      db.exec('DELETE FROM manifests WHERE sequence = 1');
    } finally {
      db.close();
    }
    const chain = await test.locker.manifests();
    expect(chain.map((manifest) => manifest.sequence)).toEqual([2, 3]);

    const comparison = compareCheckpoints(chain, [first, third], only(await test.locker.publicKey()), lockerIdOf(chain));

    expect(comparison.problems).toEqual([
      {
        code: 'witness-behind',
        message: `the locker lacks manifest #1, which the witness saw: checkpoint #3 (head ${held[2]!.hash.slice(0, 16)}…, run ${held[2]!.runId}, ${third.checkpoint.time}) names it as this locker's first (${held[0]!.hash.slice(0, 16)}…), and the locker's chain starts at #2: manifests were deleted from locker.db`,
      },
    ]);
  });

  it('name each entry chain by count and head; a chain behind or rewritten is named; an older checkpoint without them is judged on its runs', async () => {
    await sealRun();
    const acceptance = { check: 'mfa-enabled', item: 'alice', reason: 'hardware key on order', approver: 'ciso@acme.example', until: '2026-12-31', recordedBy: 'grc' };
    await test.locker.acceptException(acceptance);
    await test.locker.acceptException({ ...acceptance, item: 'bob' });
    await test.locker.appendPortalLog([{ action: 'download', user: 'audrey', role: 'auditor', target: '/populations/population.csv?control=CC6.1', outcome: '200', address: '127.0.0.1', at: '2026-06-01T12:00:00.000Z' }]);
    const signed = (await signCheckpoint(test.locker, new Date('2026-06-02T00:00:00Z')))!;
    const links = await test.locker.chainLinks();
    expect(signed.checkpoint.entries).toEqual({ documents: { count: 0, head: null }, acceptances: { count: 2, head: links.acceptances[1]!.hash }, accessReviews: { count: 0, head: null }, portalLog: { count: 1, head: links.portalLog[0]!.hash } });
    expect(parseCheckpointLog(checkpointLine(signed)).checkpoints).toEqual([signed]);

    const key = only(await test.locker.publicKey());
    const chain = await test.locker.manifests();
    const compare = (held: Parameters<typeof compareCheckpoints>[4], checkpoints = [signed]) => compareCheckpoints(chain, checkpoints, key, chain[0]!.hash, held).problems;
    expect(compare(links)).toEqual([]);
    expect(compare({ ...links, acceptances: links.acceptances.slice(0, 1) })).toEqual([
      { code: 'witness-behind', message: expect.stringMatching(/^the acceptance chain is behind the witness: checkpoint #1 .* names acceptance entry #2 \([0-9a-f]{16}…\), which the locker lacks \(its acceptance chain ends at #1\)/) },
    ]);
    expect(compare({ ...links, acceptances: [links.acceptances[0]!, { sequence: 2, hash: 'f'.repeat(64) }] })).toEqual([
      { code: 'witness-forked', message: expect.stringMatching(/names acceptance entry #2 [0-9a-f]{16}…, the locker's acceptance entry #2 is ffffffffffffffff…: the acceptance chain was rewritten$/) },
    ]);
    // The portal's audit log is witnessed like the other chains: an event deleted is named.
    expect(compare({ ...links, portalLog: [] })).toEqual([{ code: 'witness-behind', message: expect.stringMatching(/^the portal-log chain is behind the witness: .* names portal-log entry #1 /) }]);
    // A chain that is not at hand (a bundle that does not carry it) is not compared.
    expect(compare({ documents: [] })).toEqual([]);

    // A checkpoint signed before entry chains were witnessed still verifies, and names no chain to compare.
    const { entries: _entries, ...older } = signed.checkpoint;
    const { signature } = await test.locker.signDocument(CHECKPOINT_PURPOSE, checkpointBytes(older));
    const read = parseCheckpointLog(checkpointLine({ checkpoint: older, signature })).checkpoints;
    expect(read).toHaveLength(1);
    expect(compare({ ...links, acceptances: [] }, read)).toEqual([]);
    // Entries that are not chain heads make the line malformed.
    const bad = JSON.stringify({ ...signed, checkpoint: { ...signed.checkpoint, entries: { documents: { count: 1, head: null } } } });
    expect(parseCheckpointLog(bad).malformed).toEqual([expect.stringMatching(/^line 1: not an evidentia\.checkpoint\/1 checkpoint/)]);
  });

  it('say which key signed a checkpoint the locker\'s keys do not reach: keys replaced, or a rotation record removed', async () => {
    const first = await sealRun();
    const chain = await test.locker.manifests();
    const root = parsePublicKey(await test.locker.publicKey());
    // Whoever can write the locker put their own key in keys/signing.pub and signed everything again.
    const replaced = parsePublicKey(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(compareCheckpoints(chain, [first], only(replaced.pem), chain[0]!.hash).problems).toEqual([
      {
        code: 'witness-signature-invalid',
        message: expect.stringMatching(
          new RegExp(`^checkpoint #1 \\(head [0-9a-f]{16}…, .*\\) is signed by key ${root.keyId}, which neither the locker's first key ${replaced.keyId} nor its rotation records reach: the locker's keys were replaced \\(keys/signing\\.pub, or a rotation record removed\\) or the checkpoint forged$`),
        ),
      },
    ]);
    // The rotation's checkpoint, signed by the new key, against a locker whose rotation record was removed.
    await test.locker.rotateKey();
    const rotated = (await signCheckpoint(test.locker, new Date('2026-06-02T00:00:00Z')))!;
    expect(compareCheckpoints(chain, [rotated], only(root.pem), chain[0]!.hash).problems.map((problem) => problem.message)).toEqual([
      expect.stringContaining(`is signed by key ${rotated.checkpoint.keyId}, which neither the locker's first key ${root.keyId} nor its rotation records reach`),
    ]);
    // Signed by a key of the chain, but not one trusted at its sequence, or altered: said as such.
    const keys = followRotations(root, await test.locker.keyRotations());
    const writer = await test.locker.beginRun({ trigger: 'manual', collectorVersion: 'test', parameters: {} });
    await writer.commit();
    const longer = await test.locker.manifests();
    const retired = (await test.keys.signerFor(root.keyId))!;
    const late = { ...first.checkpoint, sequence: 2, head: longer[1]!.hash };
    const byRetired = { checkpoint: late, signature: await signDocument(retired, CHECKPOINT_PURPOSE, checkpointBytes(late)) };
    expect(compareCheckpoints(longer, [byRetired], keys, chain[0]!.hash).problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(new RegExp(`^checkpoint #2 .* is signed by key ${root.keyId}, which is not trusted at #2 \\(key ${rotated.checkpoint.keyId} signs from manifest 2 on\\): a retired key signs no checkpoint after its hand-over$`)),
    ]);
    // The new key signing a checkpoint of a run before the one it first signs is not trusted either, and is not called retired.
    await test.locker.rotateKey();
    const later = followRotations(root, await test.locker.keyRotations());
    const newest = (await test.keys.signerFor(later.epochs[2]!.key.keyId))!;
    const early = { ...first.checkpoint, keyId: newest.publicKey.keyId };
    const byLater = { checkpoint: early, signature: await signDocument(newest, CHECKPOINT_PURPOSE, checkpointBytes(early)) };
    expect(compareCheckpoints(longer, [byLater], later, chain[0]!.hash).problems.map((problem) => problem.message)).toEqual([
      `checkpoint #1 (head ${first.checkpoint.head.slice(0, 16)}…, run ${first.checkpoint.runId}, ${first.checkpoint.time}) is signed by key ${newest.publicKey.keyId}, which is not trusted at #1 (key ${root.keyId} signs from manifest 1 on): a key put in effect only from manifest 3 on signs no checkpoint of a run before it`,
    ]);
    expect(compareCheckpoints(chain, [{ ...first, checkpoint: { ...first.checkpoint, runId: 'other' } }], keys, chain[0]!.hash).problems.map((problem) => problem.message)).toEqual([
      expect.stringMatching(/^checkpoint #1 .* does not verify with the locker's key in effect at #1: it was forged or altered$/),
    ]);
  });

  it('trust each key two rotations in a row put in effect for the checkpoint it signed between them', async () => {
    await sealRun();
    const checkpoints: SignedCheckpoint[] = [];
    // `key rotate` publishes a checkpoint of the same head after each rotation, signed by the key it just put in effect.
    for (let rotation = 0; rotation < 2; rotation++) {
      await test.locker.rotateKey();
      checkpoints.push((await signCheckpoint(test.locker, new Date('2026-06-02T00:00:00Z')))!);
    }
    const keys = followRotations(parsePublicKey(await test.locker.publicKey()), await test.locker.keyRotations());
    expect(new Set(checkpoints.map((signed) => signed.checkpoint.keyId)).size).toBe(2);
    const chain = await test.locker.manifests();
    expect(compareCheckpoints(chain, checkpoints, keys, chain[0]!.hash).problems).toEqual([]);
    // A key that never signed at #1 is still refused there.
    const stranger = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(checkpointKeys(keys, 1)).not.toContain(stranger);
    expect(checkpointKeys(keys, 1)).toHaveLength(3);
  });

  it('trust for a checkpoint the key in effect at its manifest, or the key a rotation right after it put in effect, and no other', () => {
    const [a, b, c] = [1, 2, 3].map(() => parsePublicKey(generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()));
    const keys: KeyChain = { root: a!, epochs: [{ key: a!, from: 1 }, { key: b!, from: 3 }, { key: c!, from: 6 }], problems: [] };
    expect(checkpointKeys(keys, 1)).toEqual([a!.pem]);
    expect(checkpointKeys(keys, 2)).toEqual([a!.pem, b!.pem]);
    expect(checkpointKeys(keys, 4)).toEqual([b!.pem]);
    expect(checkpointKeys(keys, 5)).toEqual([b!.pem, c!.pem]);
    // The retired first key is trusted for nothing after its hand-over.
    expect(checkpointKeys(keys, 9)).toEqual([c!.pem]);
  });
});
