/**
 * The S3 witness module with the real S3 client against the S3 simulator:
 * what Object Lock promises (a checkpoint can be neither replaced nor
 * deleted) and what the witness does with it (a retried put that finds its
 * own checkpoint is a success; another checkpoint under the key is not).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Socket } from 'node:net';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SignedCheckpoint } from '@evidentia/locker';
import { startS3Simulator, type S3Simulator } from '@evidentia/testing';
import { s3Witness } from './s3-witness.js';

const BUCKET = 'witness-bucket';
const credentials = { accessKeyId: 'AKIDUNITTEST', secretAccessKey: 'unit-test-secret' };
const hex = (digit: string) => digit.repeat(64);
const checkpoint = (sequence: number, head: string): SignedCheckpoint => ({
  checkpoint: { format: 'evidentia.checkpoint/1', lockerId: hex('a'), sequence, head, runId: `run-${sequence}`, time: '2026-06-01T00:00:00.000Z', keyId: hex('c') },
  signature: 'c2lnbmF0dXJl',
});

let s3: S3Simulator;
let saved: NodeJS.ProcessEnv;
beforeEach(async () => {
  s3 = await startS3Simulator({ buckets: { [BUCKET]: { objectLock: true } }, accessKeyId: credentials.accessKeyId, maxKeys: 2 });
  saved = { ...process.env };
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
});
afterEach(async () => {
  process.env = saved;
  await s3.close();
});

const witness = () => s3Witness({ bucket: BUCKET, prefix: 'p/', region: 'us-east-1', endpoint: s3.endpoint, retainDays: 1 });

describe('S3 witness', () => {
  it('gives up on an endpoint that accepts the connection and never answers, instead of holding collect and the daemon after the commit', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const hung = s3Witness({ bucket: BUCKET, prefix: 'p/', region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, retainDays: 1 }, undefined, { timeoutMs: 100 });
      await expect(hung.publish(checkpoint(1, hex('1')))).rejects.toThrow(/^could not put p\/a+\/000000000001-1+-c+\.json: no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.1 s/);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('reads back every checkpoint across listing pages', async () => {
    for (const sequence of [1, 2, 3, 4, 5]) await witness().publish(checkpoint(sequence, hex(String(sequence))));
    const log = await witness().read!();
    expect(log.checkpoints.map((signed) => signed.checkpoint.sequence).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(log.malformed).toEqual([]);
    expect(s3.requests.filter((request) => request === `ListObjectsV2 ${BUCKET}/`)).toHaveLength(3);
  });

  it('cannot be read when its listing cannot be followed to the end: the newest checkpoints sort last', async () => {
    for (const sequence of [1, 2, 3]) await witness().publish(checkpoint(sequence, hex(String(sequence))));
    for (const [fault, reason] of [
      ['no-token', 'the listing stops after 2 object(s): a page says more follow but gives no continuation token'],
      ['repeated-page', 'the listing repeats a page (continuation token AA again) after 4 object(s)'],
    ] as const) {
      const broken = await startS3Simulator({ buckets: { [BUCKET]: { objectLock: true } }, accessKeyId: credentials.accessKeyId, maxKeys: 2, listingFault: fault });
      try {
        for (const [key, object] of s3.buckets.get(BUCKET)!) broken.buckets.get(BUCKET)!.set(key, object);
        const read = s3Witness({ bucket: BUCKET, prefix: 'p/', region: 'us-east-1', endpoint: broken.endpoint, retainDays: 1 }).read!();
        await expect(read).rejects.toThrow(`cannot read s3://${BUCKET}/p/: ${reason}`);
      } finally {
        await broken.close();
      }
    }
  });

  it('takes a repeated put of the same checkpoint, refuses another one under its key', async () => {
    await witness().publish(checkpoint(1, hex('1')));
    await witness().publish(checkpoint(1, hex('1')));
    const [key] = s3.buckets.get(BUCKET)!.keys();
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials });
    try {
      await expect(client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'forged', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000) }))).rejects.toThrow(/object lock/);
      await expect(client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toThrow(/object lock/);
    } finally {
      client.destroy();
    }
    expect(s3.buckets.get(BUCKET)!.size).toBe(1);
  });

  it('keeps each checkpoint of the entry chains taken at the same run as its own object, old-style keys unchanged', async () => {
    const withEntries = (count: number): SignedCheckpoint => {
      const { checkpoint: c, signature } = checkpoint(1, hex('1'));
      return { checkpoint: { ...c, entries: { documents: { count, head: hex(String(count)) }, acceptances: { count: 0, head: null } } }, signature };
    };
    await witness().publish(checkpoint(1, hex('1')));
    await witness().publish(withEntries(1));
    await witness().publish(withEntries(2));
    await witness().publish(withEntries(2));
    const keys = [...s3.buckets.get(BUCKET)!.keys()].sort();
    expect(keys).toEqual([expect.stringMatching(/-c{16}-[0-9a-f]{16}\.json$/), expect.stringMatching(/-c{16}-[0-9a-f]{16}\.json$/), `p/${hex('a')}/000000000001-${hex('1')}-${'c'.repeat(16)}.json`]);
    const counts = (await witness().read!()).checkpoints.map((signed) => signed.checkpoint.entries?.documents?.count ?? null);
    expect(counts.sort()).toEqual([1, 2, null]);
  });

  it('names a malformed object by its key', async () => {
    const client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials });
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'p/x/stray.json', Body: '{"hello":1}' }));
    client.destroy();
    expect((await witness().read!()).malformed).toEqual([expect.stringMatching(/^p\/x\/stray\.json: not an evidentia\.checkpoint\/1 checkpoint/)]);
  });
});
