/**
 * End to end: `export bundle` reads the configured witnesses and the bundle
 * carries their checkpoints; `verify --bundle` checks them with nothing but
 * the bundle, and so does the standalone verify.mjs the bundle carries, run
 * by plain node in a folder holding nothing else.
 */
import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readZipEntries } from '../../packages/publish/src/bundle/rewrite-zip.js';
import { runCli } from '../cli.js';
import { collectOk, copyLocker, initOk, witnessedConfig } from './setup.js';

jest.setTimeout(300_000);

describe('bundle with witness checkpoints', () => {
  it('carries the checkpoint of its run and verifies it', async () => {
    const { dir, file } = await witnessedConfig('  - type: file\n    path: ./witness.log\n');
    await initOk(file);
    await collectOk(file);
    const out = join(dir, 'bundle.zip');
    const exported = await runCli(['export', 'bundle', '--config', file, '--period', `2024-01-01..${new Date().toISOString().slice(0, 10)}`, '--out', out]);
    expect(exported.stdout).toMatch(/manifests #1–#1, 1 stream runs, \d+ records, 1 witness checkpoint\(s\)/);
    expect(exported.code).toBe(0);
    const verified = await runCli(['verify', '--bundle', out]);
    expect(verified.stdout).toMatch(/checked \d+ files: 1 manifests, 1 stream runs, \d+ records, \d+ objects, 1 witness checkpoint\(s\)\n/);
    expect(verified.stdout).toContain('bundle verified: no problems');
    expect(verified.code).toBe(0);
    // The auditor's way: verify.mjs out of the bundle, plain node, nothing else in the folder; the same report.
    const auditor = join(dir, 'auditor');
    await mkdir(auditor);
    await copyFile(out, join(auditor, 'bundle.zip'));
    await writeFile(join(auditor, 'verify.mjs'), (await readZipEntries(out)).get('verify.mjs')!);
    expect(execFileSync(process.execPath, ['verify.mjs', 'bundle.zip'], { cwd: auditor, env: { PATH: process.env.PATH }, encoding: 'utf8' })).toBe(verified.stdout);
  });

  it('from a locker restored to before its newest witnessed run, carries that checkpoint and fails verify, with a warning at export', async () => {
    const { dir, file, locker } = await witnessedConfig('  - type: file\n    path: ./witness.log\n');
    await initOk(file);
    await collectOk(file);
    const backup = await copyLocker(locker, join(dir, 'backup'));
    await collectOk(file);
    await rm(locker, { recursive: true });
    await copyLocker(backup, locker);
    const out = join(dir, 'rolled-back.zip');
    const exported = await runCli(['export', 'bundle', '--config', file, '--period', `2024-01-01..${new Date().toISOString().slice(0, 10)}`, '--out', out]);
    expect(exported.stderr).toContain('warning: the witnesses hold checkpoints of run(s) #2 the locker lacks (its newest is #1): runs were deleted or an older locker.db restored');
    expect(exported.stdout).toMatch(/manifests #1–#1, .* 2 witness checkpoint\(s\)/);
    const verified = await runCli(['verify', '--bundle', out]);
    expect(verified.stdout).toMatch(/PROBLEM checkpoint-mismatch witness\/checkpoints\.jsonl: the locker is behind the witness: checkpoint #2 .* names a run the locker lacks \(its chain ends at #1\)/);
    expect(verified.code).toBe(1);
  });
});
