/**
 * End to end: every command walked through its error paths (bad flags,
 * missing and garbage configs, missing and garbage lockers, files that are
 * directories, bad periods, garbage input files, outputs into a missing
 * folder). Each must exit 1 or 2 with one clear line on stderr: never a stack
 * trace, an "Error:" prefix or the "unexpected ... a bug in evidentia" line
 * that wrap.ts prints for an error nobody handled.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { demoLocker, REPO_ROOT, tempDir, type CliResult } from './cli.js';
import { errorPathCases, type ErrorPathCase, type Paths } from './error-paths.js';

let paths: Paths;
let cwd: string;

beforeAll(async () => {
  const { locker } = await demoLocker('error-paths');
  const dir = await tempDir('error-paths');
  cwd = join(dir, 'empty');
  await mkdir(cwd);
  const garbageLocker = join(dir, 'garbage-locker');
  await mkdir(join(garbageLocker, 'keys'), { recursive: true });
  await writeFile(join(garbageLocker, 'locker.db'), randomBytes(4096));
  await writeFile(join(garbageLocker, 'keys/signing.pub'), 'not a key');
  paths = {
    locker,
    garbageLocker,
    dir: join(dir, 'a-directory'),
    file: join(dir, 'a-file'),
    missing: join(dir, 'missing'),
    garbageYaml: join(dir, 'garbage.yaml'),
    wrongYaml: join(dir, 'wrong.yaml'),
    okYaml: join(dir, 'ok.yaml'),
    garbage: join(dir, 'garbage.bin'),
    brokenJsonl: join(dir, 'broken.jsonl'),
  };
  await mkdir(paths.dir);
  await writeFile(paths.file, 'just a file\n');
  await writeFile(paths.garbageYaml, 'connectors: [\n  : : {\n');
  await writeFile(paths.wrongYaml, 'locker: 5\nconnectors:\n  nosuch:\n    config: {}\n');
  // Valid, but nothing listens on the port: what follows the config is what fails.
  await writeFile(paths.okYaml, `locker: ${paths.file}\nconnectors:\n  github:\n    config:\n      org: acme\n      token: \${env:ERROR_PATHS_TOKEN}\n      baseUrl: http://127.0.0.1:9\n`);
  await writeFile(paths.garbage, randomBytes(3000));
  await writeFile(paths.brokenJsonl, '{"format":"evidentia.population/1"\n{"broken\n');
}, 120_000);

/** Run every case in one process (cli-batch.js): starting the TypeScript CLI a hundred times would take minutes. */
async function runAll(cases: ErrorPathCase[]): Promise<Array<{ case: ErrorPathCase; result: CliResult }>> {
  const input = join(cwd, '..', 'cases.json');
  await writeFile(input, JSON.stringify(cases.map((c) => ({ args: c.args, cwd }))));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'test/cli-batch.js'), input], {
    env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', ERROR_PATHS_TOKEN: 'unused', EVIDENTIA_DEBUG: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await once(child, 'close');
  const results = JSON.parse(stdout) as Array<{ code: number | null; stdout: string; stderr: string }>;
  return cases.map((c, i) => ({ case: c, result: { signal: null, ...results[i]! } }));
}

/** What is wrong with a failure's output, or null when it is one clear line with the right exit code. */
function complaint({ case: c, result }: { case: ErrorPathCase; result: CliResult }): string | null {
  const lines = result.stderr.split('\n').filter((line) => line.trim() !== '');
  const name = `evidentia ${c.args.join(' ')}`;
  if (result.code !== c.code) return `${name}: exit ${String(result.code)}, expected ${c.code}\n${result.stderr}`;
  if (lines.length === 0) return `${name}: exit ${result.code} with nothing on stderr`;
  if (!/^(evidentia|error): /.test(lines[0]!)) return `${name}: the first line does not say it is evidentia's: ${lines[0]}`;
  if (lines.some((line) => /^\s+at /.test(line))) return `${name}: a stack trace\n${result.stderr}`;
  if (/\b\w*Error: |unexpected \w+: a bug/.test(result.stderr)) return `${name}: an internal error leaked\n${result.stderr}`;
  if (lines.length > (c.lines ?? 2)) return `${name}: ${lines.length} lines on stderr\n${result.stderr}`;
  return null;
}

describe('every command on its error paths', () => {
  it('exits 1 or 2 with one clear line, never a stack trace', async () => {
    const cases = errorPathCases(paths);
    const results = await runAll(cases);
    expect(results).toHaveLength(cases.length);
    expect(results.map(complaint).filter((problem) => problem !== null)).toEqual([]);
  }, 600_000);

  it('refuses an option given an empty value (an unset shell variable) instead of acting as if it were left out', async () => {
    // Left out, each falls back: verify would check the locker's own key, or the locker instead of the bundle, and pass.
    const cases: ErrorPathCase[] = [
      { args: ['verify', '--locker', paths.locker, '--public-key', ''], code: 2 },
      { args: ['verify', '--locker', paths.locker, '--bundle', ''], code: 2 },
      { args: ['runs', '--locker', ''], code: 2 },
      { args: ['records', '--locker', paths.locker, '--kind', ''], code: 2 },
      { args: ['collect', '--config', paths.okYaml, '--stream', 'members', ''], code: 2 },
    ];
    const results = await runAll(cases);
    expect(results.map(complaint).filter((problem) => problem !== null)).toEqual([]);
    expect(results.map(({ result }) => result.stderr)).toEqual([
      'evidentia: --public-key was given an empty value (expected <file>)\n',
      'evidentia: --bundle was given an empty value (expected <file>)\n',
      'evidentia: --locker was given an empty value (expected <dir>)\n',
      'evidentia: --kind was given an empty value (expected <kind>)\n',
      'evidentia: --stream was given an empty value (expected <name...>)\n',
    ]);
  }, 120_000);

  it('shows the control characters a failure quotes (a config key holding an escape sequence) instead of sending them to the terminal', async () => {
    const hostile = join(cwd, '..', 'hostile.yaml');
    await writeFile(hostile, 'locker: ./locker\nconnectors: {}\n"evil\\e[2J\\u202ekey": 1\n');
    const { result } = (await runAll([{ args: ['status', '--config', hostile], code: 2, lines: 3 }]))[0]!;
    expect(result.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).not.toMatch(/[\u001b\u202e]/);
    expect(result.stderr).toContain('unknown setting "evil\\x1b[2J\\u202ekey"');
  }, 120_000);
});
