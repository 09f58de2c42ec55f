/**
 * The git witness against bare repositories on disk: two lockers keeping
 * their logs on one branch both land when they push at once (the one pushed
 * second starts again from the new tip), a refused push is one line that
 * says why, without git's hints, and a remote that never answers is given up
 * on (a daemon's run would wait on it for ever, and its SIGTERM with it).
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile, chmod } from 'node:fs/promises';
import { createServer, type Socket } from 'node:net';
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

  it('gives up on a remote that takes the connection and never answers, saying so in one line', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const witness = gitWitness({ repository: `http://127.0.0.1:${port}/witness.git`, branch: 'main', path: 'log.jsonl' }, { timeoutMs: 1_000 });
      const error = await witness.publish(checkpoint(1, 'a')).then(() => null, (e: unknown) => e as Error);
      expect(error?.message).toBe(`git fetch failed: no answer from http://127.0.0.1:${port}/witness.git within 1 s`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 60_000);

  it('says in one line why a push was refused', async () => {
    const repository = await bareRepository();
    await writeFile(join(repository, 'hooks/pre-receive'), '#!/bin/sh\necho refused by policy >&2\nexit 1\n');
    await chmod(join(repository, 'hooks/pre-receive'), 0o755);
    const error = await gitWitness({ repository, branch: 'main', path: 'log.jsonl' }).publish(checkpoint(1, 'a')).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/^git push failed: remote: refused by policy; .*\[remote rejected\].*pre-receive hook declined/);
    expect(error?.message).not.toMatch(/hint:|\n/);
  }, 60_000);

  it('ends a last line left without its newline before appending, so the checkpoint is not swallowed by it', async () => {
    const repository = await bareRepository();
    const witness = gitWitness({ repository, branch: 'main', path: 'log.jsonl' });
    await witness.publish(checkpoint(1, 'a'));
    // Someone commits the log without its final newline (an editor that strips it).
    const clone = join(await mkdtemp(join(tmpdir(), 'evidentia-git-witness-clone-')), 'clone');
    await run('git', ['clone', '-q', '-b', 'main', repository, clone]);
    const text = await readFile(join(clone, 'log.jsonl'), 'utf8');
    await writeFile(join(clone, 'log.jsonl'), text.trimEnd());
    await run('git', ['-C', clone, '-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-q', '-am', 'edited']);
    await run('git', ['-C', clone, 'push', '-q', 'origin', 'HEAD:main']);
    await witness.publish(checkpoint(2, 'b'));
    const log = await witness.read!();
    expect([log.checkpoints.map((signed) => signed.checkpoint.sequence), log.malformed]).toEqual([[1, 2], []]);
  }, 60_000);
});
