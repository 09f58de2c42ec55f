/**
 * @evidentia/verify as an auditor gets it: the package packed with npm,
 * taken into empty folders outside the workspace, and run there on a bundle
 * exported from the demo locker, once by node from the unpacked tarball and
 * once as `npx @evidentia/verify bundle.zip` after an offline install of the
 * tarball. It prints exactly what `evidentia verify --bundle` prints, exit 0;
 * a tampered bundle exits 1 naming the altered file. Its code is the very
 * verify.mjs the bundle carries.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readZipEntries, rewriteZip } from '../packages/publish/src/bundle/rewrite-zip.js';
import { DEMO_PERIOD, demoLocker, REPO_ROOT, runCli, tempDir, type CliResult } from './cli.js';

const PACKAGE_DIR = join(REPO_ROOT, 'packages/verify');

let dir: string;
let bundle: string;
let reference: CliResult;
let tarball: string;
let outside: string;

type Outcome = Pick<CliResult, 'code' | 'stdout' | 'stderr'>;

/** A command in a folder outside the workspace, with an environment that names no workspace, module path or registry session. */
function run(command: string, args: string[], cwd: string): Promise<Outcome> {
  const env = { PATH: process.env.PATH ?? '', HOME: outside, npm_config_cache: join(outside, 'npm-cache'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A fresh empty folder outside the workspace holding a copy of the given bundles. */
async function auditorFolder(name: string, ...bundles: string[]): Promise<string> {
  const folder = join(outside, name);
  await mkdir(folder);
  for (const file of bundles) await copyFile(join(dir, file), join(folder, file));
  return folder;
}

beforeAll(async () => {
  let locker: string;
  ({ dir, locker } = await demoLocker('verify-package'));
  bundle = join(dir, 'bundle.zip');
  const exported = await runCli(['export', 'bundle', '--locker', locker, '--period', DEMO_PERIOD, '--out', bundle]);
  expect(exported.code).toBe(0);
  reference = await runCli(['verify', '--bundle', bundle]);
  expect(reference.code).toBe(0);
  await rewriteZip(bundle, join(dir, 'tampered.zip'), (entries) => {
    entries.set('report.html', Buffer.from(entries.get('report.html')!.toString().replace('Exceptions', 'All good')));
  });

  outside = await tempDir('verify-package');
  const packed = await run('npm', ['pack', '--json', '--pack-destination', outside], PACKAGE_DIR);
  expect(packed.code).toBe(0);
  const [summary] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(outside, summary!.filename);
  expect(summary!.files.map((file) => file.path).sort()).toEqual(['README.md', 'package.json', 'verify.mjs']);
}, 180_000);

afterAll(async () => {
  if (outside) await rm(outside, { recursive: true, force: true });
});

describe('@evidentia/verify, packed', () => {
  it('has no dependencies and one bin, and its code is the verify.mjs every bundle carries, byte for byte', async () => {
    const manifest = JSON.parse(await readFile(join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.bin).toEqual({ 'evidentia-verify': 'verify.mjs' });
    const unpacked = await auditorFolder('unpacked-bytes');
    expect((await run('tar', ['-xzf', tarball, '-C', unpacked], unpacked)).code).toBe(0);
    const packedCode = await readFile(join(unpacked, 'package/verify.mjs'));
    expect(packedCode.equals((await readZipEntries(bundle)).get('verify.mjs')!)).toBe(true);
  });

  it('run by node from the unpacked tarball in an empty folder: the report of verify --bundle, exit 0; a tampered bundle exits 1 naming the file', async () => {
    const folder = await auditorFolder('unpacked', 'bundle.zip', 'tampered.zip');
    expect((await run('tar', ['-xzf', tarball, '-C', folder], folder)).code).toBe(0);
    const bin = join('package', 'verify.mjs');
    expect(await run(process.execPath, [bin, 'bundle.zip'], folder)).toEqual({ code: 0, stdout: reference.stdout, stderr: '' });
    const tampered = await run(process.execPath, [bin, 'tampered.zip'], folder);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('PROBLEM file-altered report.html: report.html hashes to');
    expect(tampered.stdout.trimEnd().split('\n').at(-1)).toMatch(/^bundle FAILED verification: /);
  }, 60_000);

  it('as `npx @evidentia/verify bundle.zip` after installing the tarball offline in an empty folder', async () => {
    const folder = await auditorFolder('installed', 'bundle.zip', 'tampered.zip');
    const install = await run('npm', ['install', '--offline', '--no-save', tarball], folder);
    expect(install).toMatchObject({ code: 0 });
    expect(await run('npx', ['--offline', '@evidentia/verify', 'bundle.zip'], folder)).toEqual({ code: 0, stdout: reference.stdout, stderr: '' });
    const tampered = await run('npx', ['--offline', '@evidentia/verify', 'tampered.zip'], folder);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('PROBLEM file-altered report.html: ');
  }, 180_000);
});
