/**
 * Checkpoints signed by a real locker, and the comparison of a chain with
 * them: behind, forked, forged, another locker, and a witness that lags.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { checkpointLine, parseCheckpointLog, signCheckpoint, type SignedCheckpoint } from './checkpoint.js';
import { checkpointKeys, compareCheckpoints } from './checkpoint-compare.js';
import { followRotations, type KeyChain } from './key-rotation.js';
import { parsePublicKey } from './keys.js';
import { createTestLocker, type TestLocker } from './test-locker.js';

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
