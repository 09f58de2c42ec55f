/**
 * End to end: rollback detection with a file witness. Each way of losing the
 * newest run that the locker cannot see by itself (a restored locker.db, a
 * lost WAL, a fork collected and re-signed with the same key) must fail
 * `verify`, naming the witness; a witness that cannot be written is a warning
 * of an otherwise successful run.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { copyFile, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../cli.js';
import { collectOk, copyLocker, initOk, PEOPLE, verify, witnessedConfig } from './setup.js';

async function fileWitnessed() {
  const setup = await witnessedConfig('  - type: file\n    path: ./witness/checkpoints.log\n');
  await initOk(setup.file);
  return { ...setup, log: join(setup.dir, 'witness/checkpoints.log') };
}

// Each test runs the CLI six to ten times; on a loaded machine a run takes several seconds.
jest.setTimeout(300_000);

describe('file witness', () => {
  it('hears of a key rotation at once, from the new key, and verify pinned to the first key trusts it but no retired key after it', async () => {
    const { file, log, locker, dir } = await fileWitnessed();
    await collectOk(file);
    const firstKey = join(dir, 'first-key.pem');
    await copyFile(join(locker, 'keys', 'signing.pub'), firstKey);
    const rotated = await runCli(['key', 'rotate', '--config', file]);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain('checkpoint #1 published, signed by the new key');
    const newKeyId = /-> ([0-9a-f]{64})/.exec(rotated.stdout)![1]!;
    await collectOk(file);
    const lines = (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { checkpoint: { sequence: number; keyId: string } });
    expect(lines.map((line) => line.checkpoint.sequence)).toEqual([1, 1, 2]);
    expect(lines.map((line) => line.checkpoint.keyId === newKeyId)).toEqual([false, true, true]);
    const verified = await verify(file, ['--public-key', firstKey]);
    expect(verified.stdout).toContain('locker verified: no problems');
    expect(verified.code).toBe(0);

    // The first line re-signed by the retired key for manifest #2 (after its hand-over) is not trusted.
    const retired = JSON.parse((await readFile(log, 'utf8')).split('\n')[0]!) as { checkpoint: { sequence: number } };
    await writeFile(log, `${await readFile(log, 'utf8')}${JSON.stringify({ ...retired, checkpoint: { ...retired.checkpoint, sequence: 2 } })}\n`);
    const forged = await verify(file, ['--public-key', firstKey]);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toMatch(/checkpoint #2 .* does not verify with the locker's key in effect at #2/);
  });

  it('gets a signed checkpoint per run, and a witnessed locker verifies clean', async () => {
    const { file, log } = await fileWitnessed();
    expect((await collectOk(file)).stdout).toMatch(/checkpoint #1 published, head [0-9a-f]{64}/);
    await collectOk(file);
    const lines = (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { checkpoint: { sequence: number; head: string; lockerId: string }; signature: string });
    expect(lines.map((line) => line.checkpoint.sequence)).toEqual([1, 2]);
    expect(lines[0]!.checkpoint.lockerId).toBe(lines[0]!.checkpoint.head);
    const runs = JSON.parse((await runCli(['runs', '--config', file, '--json'])).stdout) as Array<{ manifestHash: string }>;
    expect(lines.map((line) => line.checkpoint.head)).toEqual(runs.map((run) => run.manifestHash));

    const verified = await verify(file);
    expect(verified.stdout).toContain(`witness file ${log}: ok (newest checkpoint #2)`);
    expect(verified.stdout).toContain('locker verified: no problems');
    expect(verified.code).toBe(0);
  });

  it('catches a restored locker.db that lacks the newest run', async () => {
    const { dir, file, locker, log } = await fileWitnessed();
    await collectOk(file);
    const backup = await copyLocker(locker, join(dir, 'backup'));
    await collectOk(file);
    await copyFile(join(backup, 'locker.db'), join(locker, 'locker.db'));

    const verified = await verify(file);
    expect(verified.stdout).toMatch(new RegExp(`PROBLEM witness-behind \\(witness file ${log}\\): the locker is behind the witness: checkpoint #2 .* names a run the locker lacks \\(its chain ends at #1\\)`));
    // The newer run's signed manifest is still among the objects: the locker itself shows the rollback too.
    expect(verified.stdout).toMatch(/PROBLEM manifest-missing: signed manifest #2 of run \S+ \(object [0-9a-f]{64}\) is in objects\/ but not in the manifests table: runs were deleted/);
    expect(verified.stdout).toMatch(/locker FAILED verification: 2 problem\(s\), 1 from 1 root cause\(s\) in the locker, 1 from its witnesses/);
    expect(verified.code).toBe(1);
    // Restored whole (its objects too), only the witness can tell: without it the same locker verifies clean.
    await rm(locker, { recursive: true });
    await copyLocker(backup, locker);
    const restored = await verify(file);
    expect(restored.stdout).toMatch(/PROBLEM witness-behind .*checkpoint #2 .* names a run the locker lacks \(its chain ends at #1\)/);
    expect(restored.stdout).toMatch(/locker FAILED verification: 1 problem\(s\), 1 from its witnesses/);
    expect(restored.code).toBe(1);
    expect((await verify(join(dir, 'unwitnessed.yaml'))).stdout).toContain('note: no witness is configured: a rollback');
  });

  it('catches a lost WAL that held the newest run', async () => {
    const { dir, file, locker } = await fileWitnessed();
    await collectOk(file);
    // A second connection kept open stops the collector's close from folding the WAL into locker.db.
    const holder = new Database(join(locker, 'locker.db'), { readonly: true });
    try {
      holder.prepare('SELECT COUNT(*) FROM manifests').get();
      await collectOk(file);
      expect((await stat(join(locker, 'locker.db-wal'))).size).toBeGreaterThan(0);
      await copyLocker(locker, join(dir, 'lost-wal'), (path) => !/locker\.db-(wal|shm)$/.test(path));
    } finally {
      holder.close();
    }
    const verified = await runCli(['verify', '--config', file, '--locker', join(dir, 'lost-wal')]);
    expect(verified.stdout).toMatch(/PROBLEM witness-behind .*checkpoint #2 .* names a run the locker lacks \(its chain ends at #1\)/);
    expect(verified.code).toBe(1);
  });

  it('catches a fork: a copy that collected another run, signed with the same key', async () => {
    const { dir, file, locker, unwitnessed } = await fileWitnessed();
    await collectOk(file);
    const fork = await copyLocker(locker, join(dir, 'fork'));
    await collectOk(file);
    // The fork collects different evidence as run #2, with the locker's own key, and publishes nothing.
    const people = JSON.parse(await readFile(PEOPLE, 'utf8')) as { people: Array<{ name: string }> };
    people.people[0]!.name = 'Mallory Inserted';
    await writeFile(join(dir, 'people.json'), JSON.stringify(people));
    await writeFile(unwitnessed, (await readFile(unwitnessed, 'utf8')).replace(PEOPLE, join(dir, 'people.json')));
    await collectOk(unwitnessed, ['--locker', fork]);

    const verified = await runCli(['verify', '--config', file, '--locker', fork]);
    expect(verified.stdout).toMatch(/PROBLEM witness-forked .*checkpoint #2 .* names another manifest than the locker's #2 .*: the chain was forked or rewritten/);
    expect(verified.code).toBe(1);
  });

  it('names a forged or altered checkpoint', async () => {
    const { file, log } = await fileWitnessed();
    await collectOk(file);
    const line = JSON.parse(await readFile(log, 'utf8')) as { checkpoint: { time: string } };
    line.checkpoint.time = '2020-01-01T00:00:00.000Z';
    await writeFile(log, `${JSON.stringify(line)}\nnot a checkpoint\n`);
    const verified = await verify(file);
    expect(verified.stdout).toMatch(/PROBLEM witness-signature-invalid .*checkpoint #1 .* does not verify with the locker's key in effect at #[0-9]+/);
    expect(verified.stdout).toMatch(/PROBLEM witness-malformed .*line 2: not JSON/);
    expect(verified.code).toBe(1);
  });

  it('a checkpoint the witness file takes only part of is a warning, and leaves nothing that swallows the next one', async () => {
    const { file, log } = await fileWitnessed();
    await collectOk(file);
    // Blank lines (which a log may hold) bring the file to 100 bytes short of the limit the next collect runs under,
    // so the checkpoint's write stops there, as on a full disk; the locker's own files stay far below it.
    const limit = 8 * 1024 * 1024;
    const first = await readFile(log, 'utf8');
    await writeFile(log, first.padEnd(limit - 100, '\n'));
    const cut = await runCli(['collect', '--config', file, '--since', '2024-01-01'], { fileSizeLimit: limit });
    expect(cut.code).toBe(0);
    expect(cut.stderr).toMatch(/^warning: witness file .*checkpoints\.log did not take checkpoint #2: could not append to .*: EFBIG$/m);
    expect((await readFile(log, 'utf8')).length).toBe(limit - 100);

    await writeFile(log, first);
    await collectOk(file);
    expect((await readFile(log, 'utf8')).trim().split('\n').map((line) => (JSON.parse(line) as { checkpoint: { sequence: number } }).checkpoint.sequence)).toEqual([1, 3]);
    expect((await verify(file)).stdout).toMatch(/witness file .*: ok \(newest checkpoint #3\)\nlocker verified: no problems/);

    // A line cut short by a kill in the middle of its write is ended before the next checkpoint, which stays readable.
    await writeFile(log, `${await readFile(log, 'utf8')}{"checkpoint":{"format":"evidentia.chec`);
    await collectOk(file);
    const verified = await verify(file);
    expect(verified.stdout).toMatch(/PROBLEM witness-malformed \(witness file .*\): an entry is not a checkpoint: line 3: not JSON/);
    expect(verified.stdout).toMatch(/locker FAILED verification: 1 problem\(s\), 1 from its witnesses/);
    expect((JSON.parse((await readFile(log, 'utf8')).split('\n')[3]!) as { checkpoint: { sequence: number } }).checkpoint.sequence).toBe(4);
  });

  it('a witness that cannot be written is a warning: the run succeeds and its evidence stays', async () => {
    const { dir, file, locker } = await witnessedConfig('  - type: file\n    path: ./blocked/witness.log\n');
    await writeFile(join(dir, 'blocked'), 'a file where the witness folder should be');
    await initOk(file);
    const collected = await runCli(['collect', '--config', file, '--since', '2024-01-01']);
    expect(collected.code).toBe(0);
    expect(collected.stderr).toMatch(/^warning: witness file .*blocked\/witness\.log did not take checkpoint #1: could not append to .*: (EEXIST|ENOTDIR)$/m);
    expect(collected.stdout).toMatch(/run \S+: complete \(manifest #1\)\ncheckpoint #1 published, head [0-9a-f]{64}; 1 witness\(es\) missed it/);
    const runs = JSON.parse((await runCli(['runs', '--locker', locker, '--json'])).stdout) as Array<{ status: string }>;
    expect(runs.map((run) => run.status)).toEqual(['complete']);
    // verify says the witness could not be read rather than passing silently.
    const verified = await verify(file);
    expect(verified.stdout).toMatch(/PROBLEM witness-unreadable \(witness file .*\): cannot be read, so rollback was not checked against it/);
    expect(verified.code).toBe(1);
    const coverage = await runCli(['coverage', '--config', file, '--period', `2024-01-01..${new Date().toISOString().slice(0, 10)}`, '--no-notify']);
    expect(coverage.stdout).toMatch(/^note: witness file .*blocked\/witness\.log: witness-unreadable: cannot be read/m);
    await rm(join(dir, 'blocked'));
    await collectOk(file);
    // Checkpoint #2 anchors the whole chain up to it, #1 included: the missed checkpoint leaves no hole.
    expect((await verify(file)).stdout).toMatch(/witness file .*: ok \(newest checkpoint #2\)\nlocker verified: no problems/);
  });
});
