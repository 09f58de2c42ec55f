/**
 * End to end: the git witness against a bare repository on disk (git on
 * PATH): each checkpoint is a commit appending one line to the log file; a
 * remote that refuses the push is a warning of the run, and verify then says
 * the witness could not be read instead of passing.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../cli.js';
import { collectOk, copyLocker, initOk, verify, witnessedConfig } from './setup.js';

jest.setTimeout(300_000);

const git = async (dir: string, ...args: string[]) => (await promisify(execFile)('git', ['-C', dir, ...args])).stdout;

async function gitWitnessed() {
  const setup = await witnessedConfig('  - type: git\n    repository: ./witness.git\n    branch: checkpoints\n    path: acme/evidentia.jsonl\n');
  const bare = join(setup.dir, 'witness.git');
  await promisify(execFile)('git', ['init', '-q', '--bare', bare]);
  await initOk(setup.file);
  return { ...setup, bare };
}

describe('git witness', () => {
  it('commits and pushes each checkpoint, and catches a deleted newest run', async () => {
    const { dir, file, locker, bare } = await gitWitnessed();
    await collectOk(file);
    const backup = await copyLocker(locker, join(dir, 'backup'));
    await collectOk(file);

    expect((await git(bare, 'log', '--format=%s', 'checkpoints')).trim().split('\n')).toEqual([expect.stringMatching(/^evidentia checkpoint #2 \(head [0-9a-f]{64}\)$/), expect.stringMatching(/^evidentia checkpoint #1 /)]);
    const log = (await git(bare, 'show', 'checkpoints:acme/evidentia.jsonl')).trim().split('\n');
    expect(log.map((line) => (JSON.parse(line) as { checkpoint: { sequence: number } }).checkpoint.sequence)).toEqual([1, 2]);
    const name = `git ${bare} checkpoints:acme/evidentia.jsonl`;
    const ok = await verify(file);
    expect(ok.stdout).toContain(`witness ${name}: ok (newest checkpoint #2)`);
    expect(ok.code).toBe(0);

    await copyFile(join(backup, 'locker.db'), join(locker, 'locker.db'));
    const rolledBack = await verify(file);
    expect(rolledBack.stdout).toContain(`PROBLEM witness-behind (witness ${name}): the locker is behind the witness: checkpoint #2`);
    expect(rolledBack.code).toBe(1);
  });

  it('a repository that cannot be pushed to is a warning; verify then says the branch is missing', async () => {
    const { file, bare } = await gitWitnessed();
    await promisify(execFile)('git', ['-C', bare, 'config', 'receive.denyNonFastForwards', 'true']);
    // A pre-receive hook that refuses every push stands in for a remote that is down or denies us.
    await promisify(execFile)('sh', ['-c', `printf '#!/bin/sh\\necho refused by policy >&2\\nexit 1\\n' > ${bare}/hooks/pre-receive && chmod +x ${bare}/hooks/pre-receive`]);
    const collected = await runCli(['collect', '--config', file, '--since', '2024-01-01']);
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/^warning: witness git .* did not take checkpoint #1: git push failed: .*$/m);
    const verified = await verify(file);
    expect(verified.stdout).toMatch(/PROBLEM witness-unreadable \(witness git .*\): cannot be read, so rollback was not checked against it: branch checkpoints does not exist/);
    expect(verified.code).toBe(1);
  });
});
