/**
 * End to end: the S3 witness with the real @aws-sdk/client-s3 against the
 * S3 simulator (Object Lock, conditional writes, checksums, paged listing),
 * which the test starts on 127.0.0.1. Credentials reach the SDK the way they
 * would in production: its default chain, here the environment.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startS3Simulator, type S3Simulator } from '@evidentia/testing';
import { runCli } from '../cli.js';
import { collectOk, copyLocker, initOk, verify, witnessedConfig } from './setup.js';

jest.setTimeout(300_000);

const BUCKET = 'acme-evidence-witness';
const ENV = { AWS_ACCESS_KEY_ID: 'AKIDWITNESSTEST', AWS_SECRET_ACCESS_KEY: 'witness-test-secret', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };

let s3: S3Simulator | undefined;
afterEach(async () => {
  await s3?.close();
  s3 = undefined;
});

async function s3Witnessed(objectLock = true) {
  // One key per listing page, so reading the witness back follows continuation tokens.
  s3 = await startS3Simulator({ buckets: { [BUCKET]: { objectLock } }, accessKeyId: ENV.AWS_ACCESS_KEY_ID, maxKeys: 1 });
  const setup = await witnessedConfig(`  - type: s3\n    bucket: ${BUCKET}\n    prefix: evidentia/\n    region: eu-central-1\n    endpoint: ${s3.endpoint}\n    retainDays: 30\n`);
  await initOk(setup.file);
  return { ...setup, s3 };
}

describe('S3 witness', () => {
  it('writes each checkpoint as its own compliance-locked object, and catches a restored locker.db', async () => {
    const { dir, file, locker, s3 } = await s3Witnessed();
    await collectOk(file, [], ENV);
    const backup = await copyLocker(locker, join(dir, 'backup'));
    await collectOk(file, [], ENV);

    const objects = [...s3.buckets.get(BUCKET)!.entries()];
    expect(objects.map(([key]) => key)).toEqual([expect.stringMatching(/^evidentia\/[0-9a-f]{64}\/000000000001-[0-9a-f]{64}-[0-9a-f]{16}-[0-9a-f]{16}\.json$/), expect.stringMatching(/\/000000000002-/)]);
    for (const [, object] of objects) {
      expect(object.lockMode).toBe('COMPLIANCE');
      const days = (object.retainUntil!.getTime() - object.lastModified.getTime()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThan(30.1);
    }
    const ok = await verify(file, [], ENV);
    expect(ok.stdout).toContain(`witness s3 s3://${BUCKET}/evidentia/: ok (newest checkpoint #2)`);
    expect(ok.code).toBe(0);

    await copyFile(join(backup, 'locker.db'), join(locker, 'locker.db'));
    const rolledBack = await verify(file, [], ENV);
    expect(rolledBack.stdout).toMatch(new RegExp(`PROBLEM witness-behind \\(witness s3 s3://${BUCKET}/evidentia/\\): the locker is behind the witness: checkpoint #2 .*\\(its chain ends at #1\\)`));
    expect(rolledBack.code).toBe(1);
    expect(s3.requests.filter((request) => request === `ListObjectsV2 ${BUCKET}/`).length).toBeGreaterThanOrEqual(2);
  });

  it('a bucket without Object Lock refuses the checkpoint: a warning, and the run stays complete', async () => {
    const { file, s3 } = await s3Witnessed(false);
    const collected = await runCli(['collect', '--config', file, '--since', '2024-01-01'], { env: ENV });
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/^warning: witness s3 s3:\/\/acme-evidence-witness\/evidentia\/ did not take checkpoint #1: could not put .*: InvalidRequest \(HTTP 400\): Bucket is missing Object Lock Configuration$/m);
    expect(s3.buckets.get(BUCKET)!.size).toBe(0);
    const verified = await verify(file, [], ENV);
    expect(verified.stdout).toContain('note: witness s3 s3://acme-evidence-witness/evidentia/: holds no checkpoint yet');
    // Nothing was compared: the witness is not said to be ok, and that no rollback check happened is said.
    expect(verified.stdout).toContain('witness s3 s3://acme-evidence-witness/evidentia/: nothing compared\n');
    expect(verified.stdout).toContain('note: no witness holds a checkpoint of this locker: nothing was compared, so a rollback cannot be detected until one does');
  });

  it('wrong credentials are a warning naming the witness, never the secret', async () => {
    const { file } = await s3Witnessed();
    const collected = await runCli(['collect', '--config', file, '--since', '2024-01-01'], { env: { ...ENV, AWS_ACCESS_KEY_ID: 'AKIDSOMEONEELSE' } });
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/warning: witness s3 .* did not take checkpoint #1: .*InvalidAccessKeyId \(HTTP 403\)/);
    expect(collected.stderr).not.toContain(ENV.AWS_SECRET_ACCESS_KEY);
  });
});
