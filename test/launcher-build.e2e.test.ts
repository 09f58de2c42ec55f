/**
 * The launcher runs the compiled JavaScript while the build is current and the TypeScript sources
 * otherwise (collector/bin/compiled.js), and a start loads only what its command needs: `--version`
 * and `--help` no command module, a read command none of the heavy clients (AWS SDK, exceljs, the
 * connectors' API clients, which load when a stream collects). Which modules load is watched through a module hook, as Node reports them.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiledIsCurrent } from '../collector/bin/compiled.js';
import { demoLocker, REPO_ROOT, TEST_KEYS_DIR } from './cli.js';

const LAUNCHER = join(REPO_ROOT, 'collector/bin/evidentia.js');

/** A file with the given modification time (seconds since the epoch). */
function fileAt(file: string, seconds: number): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  utimesSync(file, seconds, seconds);
}

describe('compiledIsCurrent', () => {
  const workspace = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'evidentia-build-'));
    for (const project of ['collector', 'packages/locker', 'packages/evidence']) {
      fileAt(join(root, project, 'src/nested/a.ts'), 100);
      fileAt(join(root, project, 'dist/.tsbuildinfo'), 200);
    }
    // collector → locker → evidence (as tsc -b follows them); the reference may name the file or its folder.
    writeFileSync(join(root, 'collector/tsconfig.json'), JSON.stringify({ references: [{ path: '../packages/locker/tsconfig.json' }] }));
    writeFileSync(join(root, 'packages/locker/tsconfig.json'), JSON.stringify({ references: [{ path: '../evidence' }] }));
    writeFileSync(join(root, 'packages/evidence/tsconfig.json'), '{}');
    fileAt(join(root, 'collector/dist/main.js'), 200);
    return root;
  };

  it('runs the build when every project was built after its last source change', () => {
    expect(compiledIsCurrent(join(workspace(), 'collector'))).toBe(true);
  });

  it('runs the sources when any source, in any project, is newer than its build', () => {
    const root = workspace();
    fileAt(join(root, 'packages/evidence/src/nested/b.ts'), 300);
    expect(compiledIsCurrent(join(root, 'collector'))).toBe(false);
  });

  it('ignores projects the CLI is not built from (a package of its own, the tests)', () => {
    const root = workspace();
    fileAt(join(root, 'packages/verify/tsconfig.json'), 100);
    fileAt(join(root, 'packages/verify/src/index.ts'), 300);
    expect(compiledIsCurrent(join(root, 'collector'))).toBe(true);
  });

  it('runs the sources when there is no build, and the build when there are no sources (an installed package)', () => {
    const unbuilt = mkdtempSync(join(tmpdir(), 'evidentia-build-'));
    fileAt(join(unbuilt, 'collector/tsconfig.json'), 100);
    fileAt(join(unbuilt, 'collector/src/main.ts'), 100);
    expect(compiledIsCurrent(join(unbuilt, 'collector'))).toBe(false);
    const installed = mkdtempSync(join(tmpdir(), 'evidentia-build-'));
    fileAt(join(installed, 'dist/main.js'), 100);
    expect(compiledIsCurrent(installed)).toBe(true);
  });
});

describe('what a start loads', () => {
  let hook: string;
  let locker: string;

  beforeAll(async () => {
    // The build this checkout's sources make (nothing to do when `pnpm typecheck` ran).
    const build = spawnSync('pnpm', ['-s', 'build'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(build.stdout + build.stderr).toBe('');
    ({ locker } = await demoLocker('launcher'));
    const dir = mkdtempSync(join(tmpdir(), 'evidentia-hook-'));
    writeFileSync(join(dir, 'hooks.mjs'), "export async function load(url, context, next) { process.stderr.write(`loaded ${url}\\n`); return next(url, context); }\n");
    hook = join(dir, 'register.mjs');
    writeFileSync(hook, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
  }, 300_000);

  /** The modules a start loads; `exits` are the codes it may end with (status says 1 on the demo's open gaps). */
  function loaded(args: string[], env: NodeJS.ProcessEnv = {}, exits: number[] = [0]): { stdout: string; modules: string[] } {
    const run = spawnSync(process.execPath, ['--import', hook, LAUNCHER, ...args], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', EVIDENTIA_KEYS_DIR: TEST_KEYS_DIR, ...env },
    });
    expect(exits).toContain(run.status);
    const lines = run.stderr.split('\n');
    expect(lines.filter((line) => line !== '' && !line.startsWith('loaded '))).toEqual([]);
    return { stdout: run.stdout, modules: lines.filter((line) => line.startsWith('loaded ')).map((line) => line.slice('loaded '.length)) };
  }

  // Third-party clients by their folders in pnpm's store; the built-in connectors by their own folders.
  const heavy = /\/\.pnpm\/(@aws-sdk|exceljs@|@octokit|@googleapis|jira\.js@|@slack|playwright)|\/connectors\/[^/]+\/(dist|src)\//;
  const workspaceBuild = (url: string) => url.startsWith(pathToFileURL(REPO_ROOT).href) && !url.includes('/node_modules/') && url.includes('/dist/');

  it('--version and --help load no command module and no TypeScript', () => {
    for (const args of [['--version'], ['--help']]) {
      const { modules } = loaded(args);
      expect(modules.filter((url) => url.includes('/collector/dist/commands/') || url.endsWith('.ts') || heavy.test(url))).toEqual([]);
      expect(modules).toContain(pathToFileURL(join(REPO_ROOT, 'collector/dist/main.js')).href);
    }
  });

  it('a read command loads its own module and none of the heavy clients', () => {
    const { stdout, modules } = loaded(['runs', '--locker', locker]);
    expect(stdout).toMatch(/complete/);
    expect(modules.filter((url) => url.includes('/collector/dist/commands/'))).toEqual([pathToFileURL(join(REPO_ROOT, 'collector/dist/commands/runs.js')).href]);
    expect(modules.filter((url) => heavy.test(url))).toEqual([]);
  });

  it('a command that reads a config naming every connector loads the connectors but none of their API clients', () => {
    const { modules } = loaded(['status', '--config', join(dirname(locker), 'evidentia.yaml')], {}, [0, 1]);
    expect(modules.some((url) => url.includes('/connectors/aws/dist/'))).toBe(true);
    expect(modules.filter((url) => heavy.test(url) && !url.includes('/connectors/'))).toEqual([]);
  });

  it('a TypeScript custom connector is compiled once into the cache: later starts load neither tsx nor a .ts file, and a changed connector is compiled again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evidentia-connector-cache-'));
    const cache = join(dir, 'cache');
    const connector = join(dir, 'hr/connector.ts');
    mkdirSync(dirname(connector));
    copyFileSync(join(REPO_ROOT, 'config/examples/hr-export/connector.ts'), connector);
    const config = join(dir, 'evidentia.yaml');
    writeFileSync(config, `locker: ${JSON.stringify(locker)}\nconnectors:\n  hr:\n    module: ./hr/connector.ts\n    config:\n      exportFile: ./people.json\n`);
    const status = () => loaded(['status', '--config', config], { EVIDENTIA_CACHE_DIR: cache }, [0, 1]);
    const tsx = (modules: string[]) => modules.filter((url) => url.endsWith('.ts') || url.includes('/tsx@') || url.includes('/esbuild@'));

    const first = status();
    expect(first.stdout).toMatch(/hr\/lifecycle/);
    expect(readdirSync(cache).filter((name) => name.endsWith('.mjs'))).toHaveLength(1);
    const again = status();
    expect(again.stdout).toMatch(/hr\/lifecycle/);
    expect(tsx(again.modules)).toEqual([]);
    expect(again.modules.some((url) => url.startsWith(pathToFileURL(cache).href))).toBe(true);

    // The same file with its stream renamed: served from the cache, status would still say lifecycle.
    writeFileSync(connector, readFileSync(connector, 'utf8').replace(/^ {4}lifecycle: \{$/m, '    joiners_leavers: {'));
    const changed = status();
    expect(changed.stdout).toMatch(/hr\/joiners_leavers/);
    expect(changed.stdout).not.toMatch(/hr\/lifecycle/);
    expect(tsx(status().modules)).toEqual([]);
  });

  it('EVIDENTIA_FROM_SOURCE=1 runs the TypeScript sources, with the same output', () => {
    const compiled = loaded(['--help']);
    const source = loaded(['--help'], { EVIDENTIA_FROM_SOURCE: '1' });
    expect(source.stdout).toBe(compiled.stdout);
    expect(source.modules).toContain(pathToFileURL(join(REPO_ROOT, 'collector/src/main.ts')).href);
    expect(source.modules.filter(workspaceBuild)).toEqual([]);
  });
});
