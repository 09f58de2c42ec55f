/**
 * evidentia as a team installs it: the CLI, @evidentia/sdk, @evidentia/testing and the workspace packages
 * they need, each packed with `pnpm pack`, installed with npm into an empty folder outside the workspace,
 * then `evidentia demo` run there, and custom connectors (TypeScript and JavaScript, single files next to
 * a config in a folder with no package.json or node_modules) run by the installed CLI.
 *
 * Nothing comes from the internet: npm installs from a registry on 127.0.0.1 (test/local-registry.ts)
 * serving the packed tarballs and the third-party packages `pnpm install` laid into node_modules/.pnpm,
 * with every proxy setting pointed at a closed port so any other request fails. better-sqlite3's install
 * script (prebuild-install, else node-gyp) finds its prebuilt binary as a local prebuild made from the
 * one pnpm installed, as it would find one downloaded from its release page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, tempDir } from './cli.js';
import { startLocalRegistry, type LocalRegistry } from './local-registry.js';

const STORE = join(REPO_ROOT, 'node_modules/.pnpm');
const skipped = existsSync(STORE) || process.env.CI === 'true' ? null : `no ${STORE}: run pnpm install (the install test takes its third-party packages from there)`;
if (skipped) process.stdout.write(`install test skipped: ${skipped}\n`);
const whenReady = skipped ? describe.skip : describe;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

let outside: string;
let registry: LocalRegistry | undefined;
let packs: string;
let install: Outcome;

/** A command with an environment that names no workspace, module path, user config or reachable proxy. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Outcome> {
  const closed = 'http://127.0.0.1:9';
  const base = { PATH: process.env.PATH ?? '', HOME: outside, npm_config_cache: join(outside, 'npm-cache'), npm_config_userconfig: join(outside, 'no-npmrc'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_proxy: closed, npm_config_https_proxy: closed, npm_config_noproxy: '127.0.0.1', EVIDENTIA_KEYS_DIR: join(outside, 'keys') };
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...base, ...env }, timeout: 600_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The workspace folders of the CLI and @evidentia/testing and of every workspace package they depend on. */
async function packedFolders(): Promise<string[]> {
  const folders = new Map<string, string>();
  for (const group of ['packages', 'connectors']) {
    for (const entry of await readdir(join(REPO_ROOT, group))) {
      const dir = join(REPO_ROOT, group, entry);
      if (existsSync(join(dir, 'package.json'))) folders.set(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).name as string, dir);
    }
  }
  folders.set('@evidentia/collector', join(REPO_ROOT, 'collector'));
  const wanted = new Set<string>();
  const visit = async (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    const manifest = JSON.parse(await readFile(join(folders.get(name)!, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) if (range.startsWith('workspace:')) await visit(dependency);
  };
  for (const name of ['@evidentia/collector', '@evidentia/sdk', '@evidentia/testing']) await visit(name);
  return [...wanted].map((name) => folders.get(name)!);
}

/** better-sqlite3's prebuilt binary for this Node, named and laid out as prebuild-install looks for it. */
async function localPrebuild(dir: string): Promise<string> {
  const source = await realpath(join(REPO_ROOT, 'packages/locker/node_modules/better-sqlite3'));
  const { version } = JSON.parse(await readFile(join(source, 'package.json'), 'utf8')) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await mkdir(dir, { recursive: true });
  const packed = await run('tar', ['-czf', join(dir, name), '-C', source, 'build/Release/better_sqlite3.node'], source);
  expect(packed.code).toBe(0);
  return dir;
}

/** Every file path an `exports` field points at, through any nesting of subpaths and conditions. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (typeof exports !== 'object' || exports === null) return [];
  return Object.values(exports).flatMap(exportTargets);
}

const evidentia = (args: string[], cwd: string) => run(process.execPath, [join(outside, 'app/node_modules/@evidentia/collector/bin/evidentia.js'), ...args], cwd);

beforeAll(async () => {
  if (skipped) return;
  outside = await tempDir('install');
  const build = await run('pnpm', ['-s', 'build'], REPO_ROOT, { HOME: process.env.HOME ?? '' });
  expect(build).toMatchObject({ code: 0 });
  packs = join(outside, 'packs');
  await mkdir(packs);
  for (const dir of await packedFolders()) {
    const before = await readFile(join(dir, 'package.json'), 'utf8');
    const packed = await run('pnpm', ['pack', '--pack-destination', packs], dir, { HOME: process.env.HOME ?? '' });
    expect(packed).toMatchObject({ code: 0 });
    // scripts/prepack.mjs packs a rewritten package.json; postpack puts the workspace's back as it was.
    expect(await readFile(join(dir, 'package.json'), 'utf8')).toBe(before);
    expect(existsSync(join(dir, 'package.json.workspace'))).toBe(false);
  }
  const tarballs = (await readdir(packs)).map((file) => join(packs, file));
  registry = await startLocalRegistry(REPO_ROOT, tarballs);
  const prebuilds = await localPrebuild(join(outside, 'prebuilds'));
  await mkdir(join(outside, 'app'));
  install = await run('npm', ['install', '--no-package-lock', '@evidentia/collector', '@evidentia/sdk', '@evidentia/testing'], join(outside, 'app'), {
    npm_config_registry: registry.url,
    npm_config_better_sqlite3_local_prebuilds: prebuilds,
  });
}, 900_000);

afterAll(async () => {
  await registry?.close();
  if (outside) await rm(outside, { recursive: true, force: true });
});

whenReady('the packed packages', () => {
  it('carry real versions (no workspace: left), metadata, and no sources or tests', async () => {
    const tarballs = await readdir(packs);
    expect(tarballs).toEqual(expect.arrayContaining(['evidentia-collector-0.1.0.tgz', 'evidentia-sdk-0.1.0.tgz', 'evidentia-testing-0.1.0.tgz', 'evidentia-locker-0.1.0.tgz']));
    for (const tarball of tarballs) {
      const manifestText = (await run('tar', ['-xzf', join(packs, tarball), '-O', 'package/package.json'], outside)).stdout;
      expect(manifestText).not.toContain('workspace:');
      const manifest = JSON.parse(manifestText) as { private?: boolean; license?: string; repository?: { url: string }; engines?: { node: string } };
      expect(manifest).toMatchObject({ license: 'Apache-2.0', engines: { node: '>=20.19' } });
      expect(manifest.private).toBeUndefined();
      expect(manifest.repository!.url).not.toMatch(/\.(com|org|io|net)\b/);
      const files = (await run('tar', ['-tzf', join(packs, tarball)], outside)).stdout.trim().split('\n');
      expect(files).toContain('package/LICENSE');
      expect(files).toContain('package/README.md');
      // Every file the packed exports point at is in the tarball (the workspace's "source" condition names src/).
      expect(exportTargets((manifest as { exports?: unknown }).exports).filter((target) => !files.includes(`package/${target.replace(/^\.\//, '')}`))).toEqual([]);
      expect(manifestText).not.toMatch(/"source":/);
      expect(files.filter((file) => /^package\/src\/|\.test\.|tsbuildinfo/.test(file))).toEqual([]);
    }
  });
});

whenReady('installed with npm in an empty folder, offline', () => {
  it('installs from the local registry, better-sqlite3 from its local prebuild', async () => {
    if (install.code !== 0) process.stdout.write(`npm install failed; the registry lacked ${[...registry!.missing].join(', ')}\n${install.stderr}\n`);
    expect(install.code).toBe(0);
    expect(existsSync(join(outside, 'app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(outside, 'app/node_modules/@evidentia/collector/src'))).toBe(false);
  });

  it('`evidentia demo` collects, seals and verifies a locker there; a read command works on it', async () => {
    const app = join(outside, 'app');
    const version = await evidentia(['--version'], app);
    expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    const demo = await evidentia(['demo', '--locker', './locker'], app);
    expect(demo.code).toBe(0);
    expect(demo.stderr).toContain('hr/lifecycle: 3 records'); // the example custom connector, laid in the package by prepack
    expect(demo.stdout).toContain('evidentia demo: fixtures served on');
    const verify = await evidentia(['verify', '--locker', './locker'], app);
    expect(verify.code).toBe(0);
    // The demo wrote its config beside the locker; status exits 1 for the demo's open gaps, 2 or a trace would be a failed start.
    const status = await evidentia(['status', '--config', 'evidentia.yaml'], app);
    expect(status.stderr).toBe('');
    expect([0, 1]).toContain(status.code);
    expect(status.stdout).toContain('github/members');
  }, 300_000);

  it('custom connectors in a folder of their own get @evidentia/sdk and zod from the installed CLI', async () => {
    const team = join(outside, 'team');
    await mkdir(team);
    const example = join(REPO_ROOT, 'config/examples/hr-export');
    for (const file of ['connector.ts', 'people.json']) await copyFile(join(example, file), join(team, file));
    await writeFile(join(team, 'evidentia.yaml'), 'locker: ./locker\nconnectors:\n  hr:\n    module: ./connector.ts\n    config:\n      exportFile: ./people.json\n');
    const tried = await evidentia(['connectors', 'try', '--config', 'evidentia.yaml', '--connector', 'hr', '--stream', 'lifecycle', '--since', '2020-01-01', '--json'], team);
    expect(tried.stderr).toBe('');
    expect(tried.code).toBe(0);
    expect((JSON.parse(tried.stdout) as { records: unknown[] }).records).toHaveLength(6);
    expect(existsSync(join(team, 'node_modules'))).toBe(false);
  }, 300_000);
});
