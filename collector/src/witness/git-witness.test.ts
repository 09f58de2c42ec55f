/**
 * The git witness against bare repositories on disk: two lockers keeping
 * their logs on one branch both land when they push at once (the one pushed
 * second starts again from the new tip), and a refused push is one line that
 * says why, without git's hints.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { SignedCheckpoint } from '@evidentia/locker';
import { gitWitness } from './git-witness.js';

const run = promisify(execFile);
const checkpoint = (sequence: number, digit: string): SignedCheckpoint => ({
  checkpoint: { format: 'evidentia.checkpoint/1', lockerId: digit.repeat(64), sequence, head: digit.repeat(64), runId: `run-${sequence}`, time: '2026-06-01T00:00:00.000Z', keyId: 'c'.repeat(64) },
  signature: 'c2lnbmF0dXJl',
});

async function bareRepository(): Promise<string> {
  const repository = join(await mkdtemp(join(tmpdir(), 'evidentia-git-witness-test-')), 'witness.git');
  await run('git', ['init', '-q', '--bare', repository]);
  return repository;
}

describe('git witness', () => {
  it('lands the checkpoints of two lockers pushing to one branch at once', async () => {
    const repository = await bareRepository();
    const acme = gitWitness({ repository, branch: 'main', path: 'acme.jsonl' });
    const beta = gitWitness({ repository, branch: 'main', path: 'beta.jsonl' });
    await acme.publish(checkpoint(1, 'a'));
    await Promise.all([acme.publish(checkpoint(2, 'b')), beta.publish(checkpoint(1, 'd')), beta.publish(checkpoint(2, 'e'))]);
    expect((await acme.read!()).checkpoints.map((signed) => signed.checkpoint.sequence).sort()).toEqual([1, 2]);
    expect((await beta.read!()).checkpoints.map((signed) => signed.checkpoint.sequence).sort()).toEqual([1, 2]);
  }, 120_000);

  it('says in one line why a push was refused', async () => {
    const repository = await bareRepository();
    await writeFile(join(repository, 'hooks/pre-receive'), '#!/bin/sh\necho refused by policy >&2\nexit 1\n');
    await chmod(join(repository, 'hooks/pre-receive'), 0o755);
    const error = await gitWitness({ repository, branch: 'main', path: 'log.jsonl' }).publish(checkpoint(1, 'a')).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/^git push failed: remote: refused by policy; .*\[remote rejected\].*pre-receive hook declined/);
    expect(error?.message).not.toMatch(/hint:|\n/);
  }, 60_000);
});
