/**
 * Drives the real `evidentia` launcher in a child process, as a user would,
 * so end-to-end tests cover argument parsing, exit codes and output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAUNCHER = join(REPO_ROOT, 'collector/bin/evidentia.js');

/** Where the CLI keeps private signing keys in tests (one directory per test file), never the user's ~/.config. */
export const TEST_KEYS_DIR = mkdtempSync(join(tmpdir(), 'evidentia-keys-'));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Run without the capabilities that let root ignore file modes (setpriv
   * drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set): a
   * test run as root then meets the modes of the files it owns, wherever the
   * checkout is (another user could not reach one under a 0700 directory).
   */
  honourFileModes?: boolean;
  /** Run under a limit on the size of every file the process writes, in bytes (prlimit --fsize): a write past it fails as on a full disk. */
  fileSizeLimit?: number;
}

export function spawnCli(args: string[], options: CliOptions = {}): { child: ChildProcess; done: Promise<CliResult> } {
  const launched = [process.execPath, LAUNCHER, ...args];
  const node = options.fileSizeLimit === undefined ? launched : ['prlimit', `--fsize=${options.fileSizeLimit}`, ...launched];
  const [command, ...argv] = options.honourFileModes ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-dac_override,-dac_read_search', ...node] : node;
  const child = spawn(command!, argv, {
    cwd: options.cwd ?? REPO_ROOT,
    // A portal's pages wait for their judgement however loaded the machine is (the "Judging" page is unit-tested in packages/portal).
    env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', EVIDENTIA_KEYS_DIR: TEST_KEYS_DIR, EVIDENTIA_PORTAL_JUDGING_WAIT_MS: '120000', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** The URL a spawned `serve` prints once it listens; rejected with its stderr if it exits first. */
export function portalUrl(server: ReturnType<typeof spawnCli>): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    server.child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /portal: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    void server.done.then((result) => reject(new Error(`serve exited ${result.code}: ${result.stderr}`)));
  });
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return spawnCli(args, options).done;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `evidentia-${prefix}-`));
}

/** A config file for the GitHub connector pointed at `baseUrl`, in a fresh directory with its own locker. */
export async function githubConfig(baseUrl: string, extra = ''): Promise<{ dir: string; file: string; locker: string }> {
  const dir = await tempDir('e2e');
  const file = join(dir, 'evidentia.yaml');
  await writeFile(
    file,
    `locker: ./locker\nconnectors:\n  github:\n    config:\n      org: acme-corp\n      token: \${env:GITHUB_TOKEN}\n      baseUrl: ${baseUrl}\n${extra}`,
  );
  return { dir, file, locker: join(dir, 'locker') };
}

/**
 * The audit period the demo's evidence falls in: its event ranges start on
 * 2026-04-02 and its inventories are taken on the day it runs, so the
 * period ends today (a fixed end date would leave them out once it passed).
 */
export const DEMO_PERIOD = `2026-04-02..${new Date().toISOString().slice(0, 10)}`;

/** A fresh directory with a locker filled by `evidentia demo`. */
export async function demoLocker(prefix: string): Promise<{ dir: string; locker: string }> {
  const dir = await tempDir(prefix);
  const locker = join(dir, 'locker');
  const demo = await runCli(['demo', '--locker', locker]);
  if (demo.code !== 0) throw new Error(`evidentia demo exited ${demo.code}: ${demo.stderr}`);
  return { dir, locker };
}

export const FIXTURES = join(REPO_ROOT, 'connectors/github/fixtures');
export const TOKEN_ENV = { GITHUB_TOKEN: 'e2e-placeholder' };
